/* POSIX-style wrappers over the wasix_32v1 imports (wasix.h). Errors come
 * back as -1 with errno set, as POSIX specifies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wasix.h"

pid_t getpid(void) {
  uint32_t pid = 0;
  __wasix_proc_id(&pid);
  return (pid_t)pid;
}

pid_t getppid(void) {
  uint32_t parent = 0;
  if (__wasix_proc_parent((uint32_t)getpid(), &parent) != 0) return 0;
  return (pid_t)parent;
}

pid_t fork(void) {
  uint32_t pid = 0;
  wasix_errno_t e = __wasix_proc_fork(1, &pid);
  if (e != 0) {
    errno = e;
    return -1;
  }
  return (pid_t)pid;
}

pid_t vfork(void) {
  uint32_t pid = 0;
  wasix_errno_t e = __wasix_proc_fork(0, &pid);
  if (e != 0) {
    errno = e;
    return -1;
  }
  return (pid_t)pid;
}

/* waitpid(2): pid > 0 one child, -1 any child. Process groups (pid 0 or
 * < -1) are not supported by proc_join: EINVAL. */
pid_t waitpid(pid_t pid, int* status, int options) {
  if (pid == 0 || pid < -1) {
    errno = EINVAL;
    return -1;
  }
  wasix_option_pid_t which = {pid == -1 ? 0 : 1, pid == -1 ? 0 : (uint32_t)pid};
  wasix_join_status_t st = {0};
  uint32_t flags = (options & WNOHANG ? WASIX_JOIN_NON_BLOCKING : 0) |
                   (options & WUNTRACED ? WASIX_JOIN_WAKE_STOPPED : 0);
  wasix_errno_t e = __wasix_proc_join(&which, flags, &st);
  if (e != 0) {
    errno = e;
    return -1;
  }
  if (which.tag == 0) {  /* the host reports no child at all */
    errno = ECHILD;
    return -1;
  }
  if (status) {
    switch (st.tag) {
      case WASIX_JOIN_EXIT_NORMAL: *status = (st.code & 0xff) << 8; break;
      case WASIX_JOIN_EXIT_SIGNAL: *status = st.signal & 0x7f; break;
      case WASIX_JOIN_STOPPED: *status = (st.signal << 8) | 0x7f; break;
      default: *status = 0;
    }
  }
  return (pid_t)which.pid; /* 0: WNOHANG and nothing has changed yet */
}

pid_t wait(int* status) { return waitpid(-1, status, 0); }

/* ---- signals ---- */

static wasix_sighandler_t handlers[65];
static unsigned char inherited_ignored[65];
static int dispositions_loaded;

/* What the program inherited: execve(2) keeps ignored signals ignored. */
static void load_inherited_dispositions(void) {
  if (dispositions_loaded) return;
  dispositions_loaded = 1;
  uint32_t count = 0;
  if (__wasix_proc_signals_sizes_get(&count) != 0 || count == 0 || count > 64) return;
  wasix_signal_disposition_t inherited[64];
  if (__wasix_proc_signals_get(inherited) != 0) return;
  for (uint32_t i = 0; i < count; i++)
    if (inherited[i].sig > 0 && inherited[i].sig < 65 && inherited[i].disposition == 1) {
      handlers[inherited[i].sig] = SIG_IGN;
      inherited_ignored[inherited[i].sig] = 1;
    }
}

__attribute__((export_name("__wasm_signal"))) void __wasm_signal(int sig) {
  if (sig > 0 && sig < 65 && handlers[sig] != SIG_DFL && handlers[sig] != SIG_IGN) handlers[sig](sig);
}

/* 0 default, 1 ignore, 2 handled, 3 default over an inherited ignore (see
 * kernel/signals.h in wasixc). */
__attribute__((export_name("__wasixc_signal_disposition"))) int __wasixc_signal_disposition(int sig) {
  if (sig <= 0 || sig >= 65) return 0;
  if (handlers[sig] == SIG_DFL) return inherited_ignored[sig] ? 3 : 0;
  return handlers[sig] == SIG_IGN ? 1 : 2;
}

wasix_sighandler_t signal(int sig, wasix_sighandler_t handler) {
  if (sig <= 0 || sig >= 65 || sig == SIGKILL || sig == SIGSTOP) {
    errno = EINVAL;
    return SIG_ERR;
  }
  load_inherited_dispositions();
  wasix_sighandler_t old = handlers[sig];
  handlers[sig] = handler;
  /* (Re-)registering makes the host read every disposition again. */
  static const char name[] = "__wasm_signal";
  __wasix_callback_signal(name, sizeof name - 1);
  return old;
}

/* kill(2) returns -1 with errno, as POSIX (wasix-libc returns the errno). */
int kill(pid_t pid, int sig) {
  wasix_errno_t e = __wasix_proc_signal((uint32_t)pid, (uint32_t)sig);
  if (e != 0) {
    errno = e;
    return -1;
  }
  return 0;
}

/* raise(3) on Linux is tgkill(getpid(), gettid(), sig): the calling
 * thread gets the signal. */
int raise(int sig) {
  wasix_errno_t e = __wasix_thread_signal(wasix_thread_id(), (uint32_t)sig);
  if (e != 0) {
    errno = e;
    return -1;
  }
  return 0;
}

/* ---- threads: the calls that need no atomics (the rest: wasix_thread.c) ---- */

uint32_t wasix_thread_id(void) {
  uint32_t tid = 0x3fffffff; /* wasix-libc's name for the main thread */
  __wasix_thread_id(&tid);
  return tid;
}

int wasix_thread_kill(uint32_t tid, int sig) { return __wasix_thread_signal(tid, (uint32_t)sig); }

void wasix_thread_sleep(uint64_t ns) { __wasix_thread_sleep(ns); }

unsigned wasix_thread_parallelism(void) {
  uint32_t n = 1;
  __wasix_thread_parallelism(&n);
  return n;
}

unsigned alarm(unsigned seconds) {
  __wasix_proc_raise_interval(SIGALRM, (uint64_t)seconds * 1000, 0);
  return 0;
}

int wasix_set_alarm_timer(uint64_t first_ms, uint64_t repeat_ms) {
  wasixc_itimerval t = {repeat_ms * 1000000ull, first_ms * 1000000ull};
  wasix_errno_t e = __wasix_proc_raise_interval2(SIGALRM, &t, 0);
  if (e != 0) {
    errno = e;
    return -1;
  }
  return 0;
}

static uint64_t tv_ns(struct timeval tv) { return (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000ull; }
static struct timeval ns_tv(uint64_t ns) {
  struct timeval tv = {(time_t)(ns / 1000000000ull), (suseconds_t)(ns % 1000000000ull / 1000)};
  return tv;
}

int setitimer(int which, const struct itimerval* new_value, struct itimerval* old_value) {
  if (which != ITIMER_REAL) {
    errno = EINVAL;
    return -1;
  }
  wasixc_itimerval n = {0, 0}, o = {0, 0};
  if (new_value) n = (wasixc_itimerval){tv_ns(new_value->it_interval), tv_ns(new_value->it_value)};
  wasix_errno_t e = __wasix_proc_raise_interval2(SIGALRM, new_value ? &n : 0, old_value ? &o : 0);
  if (e != 0) {
    errno = e;
    return -1;
  }
  if (old_value) {
    old_value->it_interval = ns_tv(o.interval_ns);
    old_value->it_value = ns_tv(o.value_ns);
  }
  return 0;
}

/* ---- exec and spawn ---- */

/* "a\nb\n": the newline-joined form proc_exec3/proc_spawn2 take. */
static char* join_lines(char* const items[], uint32_t* len) {
  size_t n = 0;
  for (size_t i = 0; items && items[i]; i++) n += strlen(items[i]) + 1;
  char* out = malloc(n + 1);
  if (!out) return 0;
  size_t at = 0;
  for (size_t i = 0; items && items[i]; i++) {
    size_t l = strlen(items[i]);
    memcpy(out + at, items[i], l);
    out[at + l] = '\n';
    at += l + 1;
  }
  out[at] = 0;
  *len = (uint32_t)at;
  return out;
}

static int exec_common(const char* path, char* const argv[], char* const envp[], int use_path) {
  uint32_t args_len = 0, envs_len = 0;
  char* args = join_lines(argv, &args_len);
  char* envs = envp ? join_lines(envp, &envs_len) : 0;
  const char* search = use_path ? getenv("PATH") : 0;
  wasix_errno_t e = __wasix_proc_exec3(path, strlen(path), args, args_len, envs, envs_len, use_path != 0, search,
                                       search ? strlen(search) : 0);
  free(args);
  free(envs);
  errno = e;
  return -1;
}

int execve(const char* path, char* const argv[], char* const envp[]) { return exec_common(path, argv, envp, 0); }
int execv(const char* path, char* const argv[]) { return exec_common(path, argv, 0, 0); }
int execvp(const char* file, char* const argv[]) { return exec_common(file, argv, 0, 1); }

int wasix_spawn(pid_t* pid, const char* path, char* const argv[], char* const envp[], int use_path) {
  uint32_t args_len = 0, envs_len = 0, child = 0;
  char* args = join_lines(argv, &args_len);
  char* envs = envp ? join_lines(envp, &envs_len) : 0;
  const char* search = use_path ? getenv("PATH") : 0;
  wasix_errno_t e = __wasix_proc_spawn2(path, strlen(path), args, args_len, envs, envs_len, 0, 0, 0, 0,
                                        use_path != 0, search, search ? strlen(search) : 0, &child);
  free(args);
  free(envs);
  if (e == 0 && pid) *pid = (pid_t)child;
  return e;
}
