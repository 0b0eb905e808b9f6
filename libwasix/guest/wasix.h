/* wasix.h — WASIX process calls for guest programs built with Debian's
 * clang-19 and wasi-libc (which knows only WASI preview1).
 *
 * Two layers: the raw `wasix_32v1` imports (as wasixc's syscall table and
 * wasix-libc define them, ../../shared/wasix-abi.md §2.3, §3.2), and small
 * POSIX-style wrappers over them (fork, waitpid, getpid, ...) in
 * libwasix-guest.a, so tests and users write ordinary C:
 *
 *   clang-19 --target=wasm32-wasi --sysroot=/usr -I<wasixc>/lib/wasixc/guest \
 *       prog.c <wasixc>/lib/wasixc/guest/libwasix-guest.a -o prog.wasm
 */
#ifndef WASIXC_GUEST_WASIX_H
#define WASIXC_GUEST_WASIX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASIX_IMPORT(name) __attribute__((import_module("wasix_32v1"), import_name(#name)))

typedef uint16_t wasix_errno_t; /* WASI errno values (== wasi-libc's errno) */

/* option<pid>: tag 0 = none (any child), 1 = some. 8 bytes. */
typedef struct {
  uint8_t tag;
  uint32_t pid;
} wasix_option_pid_t;

/* join_status: 6 bytes, align 2. */
enum {
  WASIX_JOIN_NOTHING = 0,
  WASIX_JOIN_EXIT_NORMAL = 1,
  WASIX_JOIN_EXIT_SIGNAL = 2,
  WASIX_JOIN_STOPPED = 3,
};
typedef struct {
  uint8_t tag;
  uint16_t code;  /* EXIT_NORMAL / EXIT_SIGNAL: exit code */
  uint8_t signal; /* EXIT_SIGNAL: the signal */
} wasix_join_status_t;

enum { WASIX_JOIN_NON_BLOCKING = 1, WASIX_JOIN_WAKE_STOPPED = 2 };

/* The cwd the runtime keeps (wasix-libc's getcwd/chdir; Debian's wasi-libc
 * keeps its own). getcwd: *len in/out, ERANGE with the needed length. */
wasix_errno_t __wasix_getcwd(char* buf, uint32_t* len) WASIX_IMPORT(getcwd);
wasix_errno_t __wasix_chdir(const char* path, uint32_t path_len) WASIX_IMPORT(chdir);
/* path_open with fdflagsext (1: CLOEXEC). */
wasix_errno_t __wasix_path_open2(uint32_t dirfd, uint32_t lookupflags, const char* path, uint32_t path_len,
                                 uint32_t oflags, uint64_t rights_base, uint64_t rights_inheriting,
                                 uint32_t fdflags, uint32_t fdflagsext, uint32_t* fd) WASIX_IMPORT(path_open2);

wasix_errno_t __wasix_proc_id(uint32_t* pid) WASIX_IMPORT(proc_id);
wasix_errno_t __wasix_proc_parent(uint32_t pid, uint32_t* parent) WASIX_IMPORT(proc_parent);
wasix_errno_t __wasix_proc_fork(uint32_t copy_memory, uint32_t* pid) WASIX_IMPORT(proc_fork);
wasix_errno_t __wasix_proc_join(wasix_option_pid_t* pid, uint32_t flags,
                                wasix_join_status_t* status) WASIX_IMPORT(proc_join);
_Noreturn void __wasix_proc_exit2(uint32_t code) WASIX_IMPORT(proc_exit2);

void __wasix_callback_signal(const char* name, uint32_t name_len) WASIX_IMPORT(callback_signal);
wasix_errno_t __wasix_proc_signal(uint32_t pid, uint32_t sig) WASIX_IMPORT(proc_signal);
wasix_errno_t __wasix_thread_signal(uint32_t tid, uint32_t sig) WASIX_IMPORT(thread_signal);
wasix_errno_t __wasix_proc_raise_interval(uint32_t sig, uint64_t interval_ms, uint32_t repeat)
    WASIX_IMPORT(proc_raise_interval);
/* The dispositions this program inherited (the signals its parent left
 * ignored): count, then {sig u8, disposition u8 (1 = ignore)} each. */
typedef struct {
  uint8_t sig;
  uint8_t disposition;
} wasix_signal_disposition_t;
wasix_errno_t __wasix_proc_signals_sizes_get(uint32_t* count) WASIX_IMPORT(proc_signals_sizes_get);
wasix_errno_t __wasix_proc_signals_get(wasix_signal_disposition_t* out) WASIX_IMPORT(proc_signals_get);

/* proc_raise_interval2 (a wasixc extension with exact setitimer(2)
 * semantics): first expiry after value_ns, then every interval_ns (0:
 * once); value_ns 0 disarms. `old` receives the previous setting. */
typedef struct {
  uint64_t interval_ns;
  uint64_t value_ns;
} wasixc_itimerval;
wasix_errno_t __wasix_proc_raise_interval2(uint32_t sig, const wasixc_itimerval* new_value,
                                           wasixc_itimerval* old_value) WASIX_IMPORT(proc_raise_interval2);

wasix_errno_t __wasix_proc_exec3(const char* name, uint32_t name_len, const char* args, uint32_t args_len,
                                const char* envs, uint32_t envs_len, uint32_t search_path, const char* path,
                                uint32_t path_len) WASIX_IMPORT(proc_exec3);
wasix_errno_t __wasix_proc_spawn2(const char* name, uint32_t name_len, const char* args, uint32_t args_len,
                                 const char* envs, uint32_t envs_len, const void* fd_ops, uint32_t n_fd_ops,
                                 const void* sig_disp, uint32_t n_sig_disp, uint32_t search_path,
                                 const char* path, uint32_t path_len, uint32_t* pid) WASIX_IMPORT(proc_spawn2);

/* Threads and futexes (wasix-abi.md §3.4, §3.5). */
typedef struct {
  uint8_t tag; /* 1: some */
  uint64_t ns; /* relative */
} wasix_option_timestamp_t;
wasix_errno_t __wasix_thread_spawn_v2(void* start, uint32_t* tid) WASIX_IMPORT(thread_spawn_v2);
wasix_errno_t __wasix_thread_id(uint32_t* tid) WASIX_IMPORT(thread_id);
wasix_errno_t __wasix_thread_join(uint32_t tid) WASIX_IMPORT(thread_join);
_Noreturn void __wasix_thread_exit(uint32_t code) WASIX_IMPORT(thread_exit);
wasix_errno_t __wasix_thread_sleep(uint64_t ns) WASIX_IMPORT(thread_sleep);
wasix_errno_t __wasix_thread_parallelism(uint32_t* count) WASIX_IMPORT(thread_parallelism);
wasix_errno_t __wasix_futex_wait(uint32_t* addr, uint32_t expected, const wasix_option_timestamp_t* timeout,
                                 uint8_t* woken) WASIX_IMPORT(futex_wait);
wasix_errno_t __wasix_futex_wake(uint32_t* addr, uint8_t* woken) WASIX_IMPORT(futex_wake);
wasix_errno_t __wasix_futex_wake_all(uint32_t* addr, uint8_t* woken) WASIX_IMPORT(futex_wake_all);

/* Superseded entry points, still served for older binaries. */
_Noreturn void __wasix_proc_exec2(const char* name, uint32_t name_len, const char* args, uint32_t args_len,
                                  const char* envs, uint32_t envs_len) WASIX_IMPORT(proc_exec2);
typedef struct {
  uint32_t pid;
  uint8_t stdio[24]; /* three option<fd>: none from wasixc */
} wasix_process_handles_t;
enum { WASIX_STDIO_PIPED = 0, WASIX_STDIO_INHERIT = 1, WASIX_STDIO_NULL = 2, WASIX_STDIO_LOG = 3 };
wasix_errno_t __wasix_proc_spawn(const char* name, uint32_t name_len, uint32_t chroot, const char* args,
                                 uint32_t args_len, const char* preopens, uint32_t preopens_len, uint32_t stdin_mode,
                                 uint32_t stdout_mode, uint32_t stderr_mode, const char* workdir,
                                 uint32_t workdir_len, wasix_process_handles_t* handles) WASIX_IMPORT(proc_spawn);

/* The fd family (wasix-abi.md §2.1) and terminals (§4.4). */
enum { WASIX_FDFLAGSEXT_CLOEXEC = 1 };
wasix_errno_t __wasix_fd_dup(uint32_t fd, uint32_t* out) WASIX_IMPORT(fd_dup);
/* F_DUPFD semantics: the lowest free fd >= min_fd. */
wasix_errno_t __wasix_fd_dup2(uint32_t fd, uint32_t min_fd, uint32_t cloexec, uint32_t* out) WASIX_IMPORT(fd_dup2);
wasix_errno_t __wasix_fd_pipe(uint32_t* read_end, uint32_t* write_end) WASIX_IMPORT(fd_pipe);
wasix_errno_t __wasix_fd_event(uint64_t initial, uint32_t flags, uint32_t* out) WASIX_IMPORT(fd_event);
wasix_errno_t __wasix_fd_fdflags_get(uint32_t fd, uint16_t* flags) WASIX_IMPORT(fd_fdflags_get);
wasix_errno_t __wasix_fd_fdflags_set(uint32_t fd, uint32_t flags) WASIX_IMPORT(fd_fdflags_set);
typedef struct {
  uint32_t cols, rows, width, height; /* the window: cells and pixels */
  uint8_t stdin_tty, stdout_tty, stderr_tty;
  uint8_t echo, line_buffered, line_feeds; /* termios ECHO, ICANON, OPOST|ONLCR */
  uint8_t reserved[2];
} wasix_tty_t;
wasix_errno_t __wasix_tty_get(wasix_tty_t* tty) WASIX_IMPORT(tty_get);
wasix_errno_t __wasix_tty_set(const wasix_tty_t* tty) WASIX_IMPORT(tty_set);

/* ---- POSIX-style wrappers (wasix_posix.c) ---- */

pid_t fork(void);
/* vfork(2): the parent resumes when the child execs or exits. */
pid_t vfork(void);
pid_t getpid(void);
pid_t getppid(void);
pid_t waitpid(pid_t pid, int* status, int options);
pid_t wait(int* status);

/* exec and spawn: paths are guest paths inside directories mapped with
 * `wasixc --dir`; envp NULL inherits the environment. */
int execve(const char* path, char* const argv[], char* const envp[]);
int execv(const char* path, char* const argv[]);
int execvp(const char* file, char* const argv[]);
/* posix_spawn(p)-like: starts `path` (searched in PATH if use_path) with
 * argv/envp; *pid gets the child. Returns 0 or an errno, as posix_spawn. */
int wasix_spawn(pid_t* pid, const char* path, char* const argv[], char* const envp[], int use_path);

/* fd calls (wasix_fd.c). wasi-libc's O_CLOEXEC is 0 (WASI has no exec),
 * so pipe2/dup3/eventfd take WASIX_O_CLOEXEC; fcntl (replacing
 * wasi-libc's) serves F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL
 * and F_SETFL. */
#define WASIX_O_CLOEXEC 0x40000000
#ifndef F_DUPFD
#define F_DUPFD 0
#endif
#ifndef F_DUPFD_CLOEXEC
#define F_DUPFD_CLOEXEC 1030
#endif
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int dup(int fd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);

/* Signals (Linux numbers). The library keeps the dispositions (starting
 * from those inherited: a signal ignored by the parent, as under nohup, is
 * SIG_IGN, as after execve(2)) and exports the handler the host calls
 * (`__wasm_signal`) and the disposition query
 * (`__wasixc_signal_disposition`) with which the host carries out SIG_DFL
 * and SIG_IGN exactly as Linux would; every signal() call tells the host
 * to look again. */
#ifndef SIGHUP
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#endif
typedef void (*wasix_sighandler_t)(int);
/* In wasm a function pointer is a table index, and index 1 is a real
 * function: SIG_IGN must not be 1 as in musl. */
#ifndef SIG_DFL
#define SIG_DFL ((wasix_sighandler_t)0)
#define SIG_IGN ((wasix_sighandler_t)-2)
#define SIG_ERR ((wasix_sighandler_t)-1)
#endif

wasix_sighandler_t signal(int sig, wasix_sighandler_t handler);
int kill(pid_t pid, int sig);
int raise(int sig);
/* alarm(2): SIGALRM after `seconds` (0 cancels); returns 0 (the time left
 * on an earlier alarm is not reported by WASIX). */
unsigned alarm(unsigned seconds);
/* setitimer(ITIMER_REAL)-like: SIGALRM after `first_ms`, then every
 * `repeat_ms` (0: once); first_ms 0 cancels. */
int wasix_set_alarm_timer(uint64_t first_ms, uint64_t repeat_ms);

/* setitimer(2) for ITIMER_REAL over proc_raise_interval2. */
#ifndef ITIMER_REAL
#define ITIMER_REAL 0
struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};
#endif
int setitimer(int which, const struct itimerval* new_value, struct itimerval* old_value);

/* ---- Threads (wasix_thread.c) ----
 *
 * A pthread-like API over thread_spawn_v2. Programs using it must be built
 * with shared memory:
 *
 *   clang-19 --target=wasm32-wasi --sysroot=/usr -matomics -mbulk-memory \
 *       -Wl,--shared-memory -Wl,--import-memory -Wl,--max-memory=67108864 \
 *       -Wl,--no-check-features -Wl,--export=wasi_thread_start \
 *       -I<guest> prog.c <guest>/libwasix-guest.a -o prog.wasm
 *
 * (--no-check-features because Debian's wasi-libc objects are not built
 * for atomics; wasi_thread_start exports itself, --export is belt and
 * braces.) Only wasixc's LLVM backend runs such programs.
 *
 * What is safe: each thread has its own shadow stack and its own TLS
 * (_Thread_local works; the block is set up with __wasm_init_tls). But
 * Debian's 2022 wasi-libc knows nothing of threads: errno is one global,
 * malloc/free, stdio (printf, FILE buffers), getenv/setenv, strtok, rand
 * keep unlocked global state. Call them from one thread at a time (e.g.
 * under a wasix_mutex_t) or only from the main thread; atomics, futexes,
 * memory the program owns, and the wasix_* calls here are thread-safe.
 * wasix_thread_create and wasix_thread_join call malloc/free under a lock
 * of their own: threads may create and join threads at once, but not
 * while other code of theirs is inside malloc.
 */
typedef struct wasix_thread* wasix_thread_t;
enum { WASIX_THREAD_DEFAULT_STACK = 128 * 1024, WASIX_THREAD_MIN_STACK = 4096 };

/* pthread_create: runs fn(arg) on a new thread with a shadow stack of
 * stack_size bytes (0: 128 KiB). 0 or an errno (EAGAIN, ENOTSUP when the
 * runtime has no threads). */
int wasix_thread_create(wasix_thread_t* thread, void* (*fn)(void*), void* arg, size_t stack_size);
/* pthread_join: waits for the thread, stores fn's result (or the value
 * given to wasix_thread_exit), frees its stack. 0, EINVAL or EDEADLK. */
int wasix_thread_join(wasix_thread_t thread, void** result);
/* pthread_exit: ends the calling thread. On the main thread the others go
 * on. The last thread to end (returning from its function or here) calls
 * exit(0), so atexit handlers run and stdio is flushed. */
_Noreturn void wasix_thread_exit(void* result);
/* The tid of a created thread (a host thread id; ps -L shows it). */
uint32_t wasix_thread_tid(wasix_thread_t thread);
/* gettid: the calling thread's tid; the main thread's is getpid(). */
uint32_t wasix_thread_id(void);
/* pthread_kill on a tid: 0 or an errno (ESRCH, EINVAL). */
int wasix_thread_kill(uint32_t tid, int sig);
/* Sleeps ns nanoseconds (0 yields); signal handlers run meanwhile. */
void wasix_thread_sleep(uint64_t ns);
/* How many CPUs the process may use. */
unsigned wasix_thread_parallelism(void);

/* Futexes: wait while *addr == expected (timeout_ns < 0: forever); 0 when
 * woken or the value differed, ETIMEDOUT. wake: one waiter, or all; 1 if
 * someone woke. They share one queue with memory.atomic.wait/notify. */
int wasix_futex_wait(uint32_t* addr, uint32_t expected, int64_t timeout_ns);
int wasix_futex_wake(uint32_t* addr, int all);

/* A futex mutex, statically initialisable with WASIX_MUTEX_INIT. */
typedef struct {
  uint32_t state;
} wasix_mutex_t;
#define WASIX_MUTEX_INIT {0}
void wasix_mutex_lock(wasix_mutex_t* m);
void wasix_mutex_unlock(wasix_mutex_t* m);

/* setjmp/longjmp over stack_checkpoint/stack_restore, built the way
 * wasix-libc builds them (setjmp calls a helper that calls the import), so
 * programs and tests exercise what real WASIX binaries do. Native C rules
 * apply: longjmp only to a function that has not returned (wasixc traps
 * otherwise), locals changed after setjmp must be volatile. */
typedef struct {
  uint64_t user;      /* where the checkpoint's result goes */
  uint8_t key[16];
} wasix_stack_snapshot_t;
typedef struct {
  wasix_stack_snapshot_t snapshot;
} wasix_jmp_buf[1];
wasix_errno_t __wasix_stack_checkpoint(wasix_stack_snapshot_t* snapshot, uint64_t* value)
    WASIX_IMPORT(stack_checkpoint);
_Noreturn void __wasix_stack_restore(const wasix_stack_snapshot_t* snapshot, uint64_t value)
    WASIX_IMPORT(stack_restore);
int wasix_setjmp(wasix_jmp_buf env) __attribute__((returns_twice));
_Noreturn void wasix_longjmp(wasix_jmp_buf env, int value);

/* waitpid status encoding, as on Linux (code << 8, or the signal). */
#ifndef WNOHANG
#define WNOHANG 1
#define WUNTRACED 2
#endif
#ifndef WEXITSTATUS
#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (!WTERMSIG(s))
#define WIFSTOPPED(s) ((short)((((s) & 0xffff) * 0x10001U) >> 8) > 0x7f00)
#define WIFSIGNALED(s) (((s) & 0xffff) - 1U < 0xffu)
#endif

/* Dynamic linking (dlopen/dlsym/dlclose as wasix-libc calls them): wasixc
 * runs one ahead-of-time compiled module, so these always fail with a
 * dlerror()-style text in err_buf. */
wasix_errno_t __wasix_dlopen(const char* path, uint32_t path_len, uint32_t flags, char* err_buf,
                             uint32_t err_buf_len, const char* ld_path, uint32_t ld_path_len,
                             uint32_t* handle) WASIX_IMPORT(dlopen);
wasix_errno_t __wasix_dlsym(uint32_t handle, const char* symbol, uint32_t symbol_len, char* err_buf,
                            uint32_t err_buf_len, uint32_t* value) WASIX_IMPORT(dlsym);
wasix_errno_t __wasix_dl_invalid_handle(uint32_t handle) WASIX_IMPORT(dl_invalid_handle);

#ifdef __cplusplus
}
#endif

#endif /* WASIXC_GUEST_WASIX_H */
