// Threads, run as the same program natively (pthreads, futex(2)) and under
// wasixc (wasixc's guest library over thread_spawn_v2 and futex_*):
//   threads basic     4 threads add to shared atomics and a mutex-guarded
//                     counter; tids distinct, none the main thread's, the
//                     main thread's is the pid; thread-locals private
//   threads futex     2000 futex handoffs between two threads; a changed
//                     value returns at once; a timed wait times out
//   threads exit      thread_exit from a nested call; join gets its value
//   threads main-exit the main thread exits (pthread_exit); the process
//                     lives on until the last thread ends, then exits 0
//   threads main-returns  main returns 3 while a thread waits forever: the
//                     process exits 3
//   threads exit-in-thread  a thread calls exit(5) while main waits in
//                     join: the process exits 5
//   threads cycles N [hold]  N spawn+join cycles; with `hold`, print
//                     "ready" and wait for stdin to close (the test counts
//                     the host threads meanwhile)
//   threads signal    SIGUSR1 sent to one thread (pthread_kill) runs the
//                     handler on that thread, inside its futex wait;
//                     raise() in a thread runs there, so does SIGUSR1 to
//                     a computing thread; kill(getpid()) is handled
//                     exactly once
//   threads fork      fork from a thread: the child has one thread, whose
//                     tid is the child's pid, and can start threads
//   threads trap      unreachable in a thread ends the process (wasm only)
//   threads overflow  native stack exhaustion in a thread (wasm only)
//   threads errors    bad tids, self-join, misaligned / bad futex words
//                     (wasm only)
//   threads block-race  threads block and unblock signals the wasix-libc
//                     way (callback_signal with a name that does not
//                     resolve) while signals arrive (wasm only)
#ifdef __wasm__
#include "wasix.h"
typedef wasix_thread_t thread_t;
typedef wasix_mutex_t mutex_t;
#define MUTEX_INIT WASIX_MUTEX_INIT
static int thread_create(thread_t* t, void* (*fn)(void*), void* arg) { return wasix_thread_create(t, fn, arg, 0); }
static int thread_join(thread_t t, void** result) { return wasix_thread_join(t, result); }
static _Noreturn void thread_exit(void* result) { wasix_thread_exit(result); }
static unsigned my_tid(void) { return wasix_thread_id(); }
static int thread_kill(thread_t t, int sig) { return wasix_thread_kill(wasix_thread_tid(t), sig); }
static void lock(mutex_t* m) { wasix_mutex_lock(m); }
static void unlock(mutex_t* m) { wasix_mutex_unlock(m); }
static int futex_wait(unsigned* addr, unsigned expected, long long timeout_ns) {
  return wasix_futex_wait(addr, expected, timeout_ns);
}
static int futex_wake(unsigned* addr) { return wasix_futex_wake(addr, 0); }
static unsigned cpus(void) { return wasix_thread_parallelism(); }
#else
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
typedef pthread_t thread_t;
typedef pthread_mutex_t mutex_t;
#define MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
static int thread_create(thread_t* t, void* (*fn)(void*), void* arg) { return pthread_create(t, 0, fn, arg); }
static int thread_join(thread_t t, void** result) { return pthread_join(t, result); }
static _Noreturn void thread_exit(void* result) { pthread_exit(result); }
static unsigned my_tid(void) { return (unsigned)syscall(SYS_gettid); }
static int thread_kill(thread_t t, int sig) { return pthread_kill(t, sig); }
static void lock(mutex_t* m) { pthread_mutex_lock(m); }
static void unlock(mutex_t* m) { pthread_mutex_unlock(m); }
#include <errno.h>
#include <time.h>
static int futex_wait(unsigned* addr, unsigned expected, long long timeout_ns) {
  struct timespec ts = {timeout_ns / 1000000000, timeout_ns % 1000000000};
  long r = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, expected, timeout_ns >= 0 ? &ts : 0, 0, 0);
  return r == 0 || errno == EAGAIN || errno == EINTR ? 0 : errno;
}
static int futex_wake(unsigned* addr) { return syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0) > 0; }
static unsigned cpus(void) { return (unsigned)sysconf(_SC_NPROCESSORS_ONLN); }
#endif
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static const char* yes(int b) { return b ? "yes" : "no"; }

// ---- basic ----

enum { kThreads = 4, kAdds = 100000 };
static atomic_uint counter;
static mutex_t guard = MUTEX_INIT;
static unsigned locked_counter;
static unsigned tids[kThreads];
static _Thread_local int private_value = 100;
static int private_ok[kThreads];

static void* add(void* arg) {
  int i = (int)(long)arg;
  tids[i] = my_tid();
  private_value += i;
  for (int n = 0; n < kAdds; n++) {
    atomic_fetch_add(&counter, 1);
    lock(&guard);
    locked_counter++;
    unlock(&guard);
  }
  private_ok[i] = private_value == 100 + i;
  return (void*)(long)(i * 10);
}

static int basic(void) {
  thread_t t[kThreads];
  for (long i = 0; i < kThreads; i++)
    if (thread_create(&t[i], add, (void*)i) != 0) return 1;
  long results = 0;
  for (int i = 0; i < kThreads; i++) {
    void* r;
    if (thread_join(t[i], &r) != 0) return 2;
    results += (long)r;
  }
  int distinct = 1, not_main = 1, all_private = 1;
  for (int i = 0; i < kThreads; i++) {
    not_main &= tids[i] != my_tid() && tids[i] != 0;
    all_private &= private_ok[i];
    for (int j = 0; j < i; j++) distinct &= tids[i] != tids[j];
  }
  printf("counter %u locked %u results %ld\n", atomic_load(&counter), locked_counter, results);
  printf("tids distinct: %s, none is main's: %s, main's is the pid: %s\n", yes(distinct), yes(not_main),
         yes(my_tid() == (unsigned)getpid()));
  printf("thread-locals private: %s (main's still %d)\n", yes(all_private), private_value);
  printf("parallelism >= 1: %s\n", yes(cpus() >= 1));
  return 0;
}

// ---- futex ----

enum { kHandoffs = 2000 };
static unsigned turn;  // 0: main's move, 1: the partner's

static void* partner(void* arg) {
  (void)arg;
  for (int i = 0; i < kHandoffs; i++) {
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 1) futex_wait(&turn, 0, -1);
    __atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
    futex_wake(&turn);
  }
  return 0;
}

static int futex(void) {
  thread_t t;
  if (thread_create(&t, partner, 0) != 0) return 1;
  for (int i = 0; i < kHandoffs; i++) {
    __atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
    futex_wake(&turn);
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != 0) futex_wait(&turn, 1, -1);
  }
  thread_join(t, 0);
  printf("handoffs %d, last turn %u\n", kHandoffs, turn);
  unsigned word = 5;
  double t0 = now();
  int changed = futex_wait(&word, 4, -1);
  printf("wait on a changed value: %d, at once: %s\n", changed, yes(now() - t0 < 0.5));
  t0 = now();
  int timed = futex_wait(&word, 5, 20 * 1000000LL);
  double waited = now() - t0;
  printf("timed wait: %s, after 20ms..2s: %s\n", timed == ETIMEDOUT ? "ETIMEDOUT" : "other",
         yes(waited >= 0.019 && waited < 2));
  printf("wake with nobody waiting: %d\n", futex_wake(&word));
  return 0;
}

// ---- exit ----

static int after_exit_ran;
static void leave_deep(int depth) {
  if (depth == 0) thread_exit((void*)42);
  leave_deep(depth - 1);
  after_exit_ran = 1;
}
static void* exits(void* arg) {
  (void)arg;
  leave_deep(5);
  after_exit_ran = 1;
  return (void*)7;
}

static int exit_mode(void) {
  thread_t t;
  void* r = 0;
  if (thread_create(&t, exits, 0) != 0) return 1;
  thread_join(t, &r);
  printf("thread_exit value %ld, code after it ran: %s\n", (long)r, yes(after_exit_ran));
  return 0;
}

static void* outlive_main(void* arg) {
  (void)arg;
  nap_ms(100);
  printf("worker: still running after main left\n");
  return 0;
}

static int main_exit(void) {
  thread_t t;
  if (thread_create(&t, outlive_main, 0) != 0) return 1;
  printf("main: leaving with thread_exit\n");
  fflush(stdout);
  thread_exit(0);
}

static unsigned forever;
static void* wait_forever(void* arg) {
  (void)arg;
  for (;;) futex_wait(&forever, 0, -1);
}

static int main_returns(void) {
  thread_t t;
  if (thread_create(&t, wait_forever, 0) != 0) return 1;
  printf("main: returning 3\n");
  return 3;
}

static void* exit_process(void* arg) {
  (void)arg;
  printf("thread: exit(5)\n");
  exit(5);
}

static int exit_in_thread(void) {
  thread_t t;
  if (thread_create(&t, exit_process, 0) != 0) return 1;
  thread_join(t, 0);
  printf("main: not reached\n");
  return 0;
}

// ---- cycles ----

static void* echo(void* arg) { return arg; }

static int cycles(int n, int hold) {
  long sum = 0;
  for (long i = 0; i < n; i++) {
    thread_t t;
    void* r;
    if (thread_create(&t, echo, (void*)i) != 0 || thread_join(t, &r) != 0) {
      printf("cycle %ld failed\n", i);
      return 1;
    }
    sum += (long)r;
  }
  printf("%d cycles: sum %ld\n", n, sum);
  if (hold) {
    printf("ready\n");
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {
    }
  }
  return 0;
}

// ---- signal ----

static atomic_uint handled_on;  // the tid the SIGUSR1 handler ran on
static atomic_int usr1_count, usr2_count;
static unsigned release_word;
static unsigned waiter_tid, raiser_tid;
static atomic_uint raised_on;

static void on_usr1(int sig) {
  (void)sig;
  atomic_store(&handled_on, my_tid());
  atomic_fetch_add(&usr1_count, 1);
}
static void on_usr2(int sig) {
  (void)sig;
  atomic_fetch_add(&usr2_count, 1);
}
static void on_winch(int sig) {
  (void)sig;
  atomic_store(&raised_on, my_tid());
}

static void* wait_for_release(void* arg) {
  (void)arg;
  waiter_tid = my_tid();
  while (__atomic_load_n(&release_word, __ATOMIC_ACQUIRE) == 0) futex_wait(&release_word, 0, -1);
  return 0;
}

static void* raiser(void* arg) {
  (void)arg;
  raiser_tid = my_tid();
  raise(SIGWINCH);
  return 0;
}

static atomic_int stop_spinning;
static void* spinner(void* arg) {
  (void)arg;
  while (!atomic_load(&stop_spinning)) {
  }
  return 0;
}

// Computes until its own SIGUSR1 handler has run, calling the host only
// every 2^24 steps (so that the C backend, which cannot interrupt code,
// delivers at last).
static unsigned spinner_tid;
static volatile unsigned spin_sink;
static void* compute_until_usr1(void* arg) {
  (void)arg;
  spinner_tid = my_tid();
  int before = atomic_load(&usr1_count);
  unsigned x = 1;
  for (unsigned i = 1; atomic_load(&usr1_count) == before; i++) {
    x = x * 1664525u + 1013904223u;
    if ((i & 0xffffff) == 0) nap_ms(0);
  }
  spin_sink = x;
  return 0;
}

static int signal_mode(void) {
  signal(SIGUSR1, on_usr1);
  signal(SIGUSR2, on_usr2);
  signal(SIGWINCH, on_winch);
  thread_t w;
  if (thread_create(&w, wait_for_release, 0) != 0) return 1;
  nap_ms(50);  // let it reach its futex wait
  thread_kill(w, SIGUSR1);
  for (int i = 0; i < 200 && atomic_load(&usr1_count) == 0; i++) nap_ms(5);
  __atomic_store_n(&release_word, 1, __ATOMIC_RELEASE);
  futex_wake(&release_word);
  thread_join(w, 0);
  printf("SIGUSR1 to a waiting thread: handled %d time(s), on that thread: %s, not on main: %s\n",
         atomic_load(&usr1_count), yes(atomic_load(&handled_on) == waiter_tid),
         yes(atomic_load(&handled_on) != my_tid()));

  thread_t r;
  if (thread_create(&r, raiser, 0) != 0) return 1;
  thread_join(r, 0);
  printf("raise() in a thread ran the handler there: %s\n", yes(atomic_load(&raised_on) == raiser_tid));

  thread_t c;
  if (thread_create(&c, compute_until_usr1, 0) != 0) return 1;
  nap_ms(50);  // let it compute
  thread_kill(c, SIGUSR1);
  thread_join(c, 0);
  printf("SIGUSR1 to a computing thread: handled on that thread: %s\n",
         yes(atomic_load(&handled_on) == spinner_tid));

  thread_t s[2];
  for (int i = 0; i < 2; i++)
    if (thread_create(&s[i], spinner, 0) != 0) return 1;
  kill(getpid(), SIGUSR2);
  for (int i = 0; i < 200 && atomic_load(&usr2_count) == 0; i++) nap_ms(5);
  nap_ms(50);  // time for a wrong second delivery
  atomic_store(&stop_spinning, 1);
  for (int i = 0; i < 2; i++) thread_join(s[i], 0);
  printf("kill(getpid()) with 3 threads: handled %d time(s)\n", atomic_load(&usr2_count));
  return 0;
}

// ---- fork ----

static atomic_int child_thread_ran;
static void* mark(void* arg) {
  (void)arg;
  atomic_store(&child_thread_ran, 1);
  return 0;
}

static void* forker(void* arg) {
  (void)arg;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int only_thread = my_tid() == (unsigned)getpid();
    thread_t t;
    int started = thread_create(&t, mark, 0) == 0 && thread_join(t, 0) == 0;
    printf("child: tid is the pid: %s, a new thread ran: %s\n", yes(only_thread),
           yes(started && atomic_load(&child_thread_ran)));
    fflush(stdout);
    _exit(7);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  printf("parent: child exited %d\n", WEXITSTATUS(status));
  return 0;
}

static int fork_mode(void) {
  thread_t t;
  if (thread_create(&t, forker, 0) != 0) return 1;
  thread_join(t, 0);
  return 0;
}

// ---- wasm only ----

int native_recurse(int n);
int (*volatile native_recurse_ptr)(int) = native_recurse;
int native_recurse(int n) { return n == 0 ? 0 : native_recurse_ptr(n - 1) + 1; }

static void* thread_trap(void* arg) {
  (void)arg;
  __builtin_trap();
}

static void* thread_overflow(void* arg) { return (void*)(long)native_recurse(INT_MAX); }

#ifdef __wasm__
static atomic_int stop_toggling;
static void* toggle_blocking(void* arg) {
  (void)arg;
  static const char on[] = "__wasm_signal", off[] = "__wasm_signal_blocked";
  while (!atomic_load(&stop_toggling)) {
    __wasix_callback_signal(off, sizeof off - 1);
    __wasix_callback_signal(on, sizeof on - 1);
  }
  return 0;
}
#endif

static int wasm_only(const char* mode) {
#ifdef __wasm__
  if (!strcmp(mode, "block-race")) {
    signal(SIGUSR2, on_usr2);
    thread_t t[2];
    for (int i = 0; i < 2; i++)
      if (thread_create(&t[i], toggle_blocking, 0) != 0) return 1;
    int sent = 0;
    for (; sent < 200; sent++) {
      kill(getpid(), SIGUSR2);
      nap_ms(1);
    }
    atomic_store(&stop_toggling, 1);
    for (int i = 0; i < 2; i++) thread_join(t[i], 0);
    for (int i = 0; i < 200 && atomic_load(&usr2_count) == 0; i++) nap_ms(5);
    printf("block/unblock races with %s signals: survived, handled: %s\n", sent > 0 ? "incoming" : "no",
           yes(atomic_load(&usr2_count) >= 1));
    return 0;
  }
  if (!strcmp(mode, "errors")) {
    printf("signal to an unknown tid: %d (ESRCH %d)\n", wasix_thread_kill(999999999u, SIGUSR1), ESRCH);
    printf("bad signal number: %d (EINVAL %d)\n", wasix_thread_kill(wasix_thread_id(), 100), EINVAL);
    printf("join self: %d (EDEADLK %d)\n", __wasix_thread_join(wasix_thread_id()), EDEADLK);
    printf("join the alias of the main thread from it: %d\n", __wasix_thread_join(0x3fffffff));
    printf("join an unknown tid: %d\n", __wasix_thread_join(999999999u));
    uint8_t woken = 9;
    static uint32_t words[2];
    printf("futex_wait misaligned: %d (EINVAL %d)\n",
           __wasix_futex_wait((uint32_t*)((char*)words + 1), 0, 0, &woken), EINVAL);
    printf("futex_wait out of bounds: %d (EFAULT %d)\n", __wasix_futex_wait((uint32_t*)0xfffffff0u, 0, 0, &woken),
           EFAULT);
    printf("futex_wake bad out pointer: %d\n", __wasix_futex_wake(words, (uint8_t*)0xffffffffu));
    uint32_t tid;
    printf("thread_spawn_v2 bad tid pointer: %d\n", __wasix_thread_spawn_v2(words, (uint32_t*)0xfffffff0u));
    (void)tid;
    return 0;
  }
#endif
  thread_t t;
  printf("about to trap in a thread: %s\n", mode);
  fflush(stdout);
  if (thread_create(&t, !strcmp(mode, "trap") ? thread_trap : thread_overflow, 0) != 0) return 1;
  thread_join(t, 0);
  printf("the process survived\n");
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* mode = argv[1];
  if (!strcmp(mode, "basic")) return basic();
  if (!strcmp(mode, "futex")) return futex();
  if (!strcmp(mode, "exit")) return exit_mode();
  if (!strcmp(mode, "main-exit")) return main_exit();
  if (!strcmp(mode, "main-returns")) return main_returns();
  if (!strcmp(mode, "exit-in-thread")) return exit_in_thread();
  if (!strcmp(mode, "cycles")) return cycles(argc > 2 ? atoi(argv[2]) : 100, argc > 3 && !strcmp(argv[3], "hold"));
  if (!strcmp(mode, "signal")) return signal_mode();
  if (!strcmp(mode, "fork")) return fork_mode();
  if (!strcmp(mode, "trap") || !strcmp(mode, "overflow") || !strcmp(mode, "errors") || !strcmp(mode, "block-race"))
    return wasm_only(mode);
  printf("no such mode\n");
  return 3;
}
