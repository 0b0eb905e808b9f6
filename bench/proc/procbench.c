// Process-operation benchmarks, the same program natively and under
// wasixc (with its guest library, wasix.h):
//   fork+join       fork(2), child _exit(0), waitpid: round trip
//   spawn+join      start this program again (`procbench exit`) and wait:
//                   posix_spawn natively, proc_spawn2 under wasixc (which
//                   maps the program's directory as /bench)
//   signal rtt      parent -> SIGUSR1 -> child handler -> SIGUSR2 -> parent
//   timer jitter    1 ms repeating interval timer: |tick gap - 1 ms|
//   thread spawn+join  start a thread that returns at once, join it:
//                   pthreads natively, wasix_thread_create/join (over
//                   thread_spawn_v2) for wasm; only in wasm builds with
//                   shared memory (-matomics -mbulk-memory
//                   -Wl,--shared-memory,--import-memory,--max-memory=N
//                   -Wl,--no-check-features), last so a runtime without
//                   threads still reports the rest
// Prints medians (and p99 for the jitter and threads) in microseconds.
// `procbench [N [OPS]]`: N round trips (300); OPS, e.g. "fork,timer", runs
// only those of fork, spawn, signal, timer, thread.
//
// -DWASMER builds it for @wasmer/sdk (bench/run_proc.py), working around
// three ways Wasmer differs: a forked child's proc_parent is 0 and it has
// no signal callback until it registers one again, and there is no
// proc_raise_interval2 (proc_raise_interval takes milliseconds).
#ifdef __wasm__
#include "wasix.h"
#ifdef WASMER
#define SELF "/bench/procbench.wasm"
#else
#define SELF "/bench/procbench.wasixc"
#endif
#else
#include <spawn.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#endif
#if !defined(__wasm__)
#include <pthread.h>
#define HAVE_THREADS 1
typedef pthread_t thread_t;
static int thread_start(thread_t* t, void* (*fn)(void*)) { return pthread_create(t, 0, fn, 0); }
static int thread_join(thread_t t) { return pthread_join(t, 0); }
#elif defined(__wasm_atomics__)
#define HAVE_THREADS 1
typedef wasix_thread_t thread_t;
static int thread_start(thread_t* t, void* (*fn)(void*)) { return wasix_thread_create(t, fn, 0, 0); }
static int thread_join(thread_t t) { return wasix_thread_join(t, 0); }
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double pct(double* v, int n, double p) {
  qsort(v, n, sizeof *v, cmp);
  return v[(int)(p * (n - 1))];
}

static void nap_us(long us) {
  struct timespec ts = {0, us * 1000};
  nanosleep(&ts, 0);
}

static volatile int got;
static void on_usr2(int sig) { (void)sig; got = 1; }
#ifdef WASMER
static pid_t parent_pid;  // set before fork: getppid() is 0 in the child
static pid_t parent(void) { return parent_pid; }
#else
static pid_t parent(void) { return getppid(); }
#endif
static void on_usr1(int sig) { (void)sig; kill(parent(), SIGUSR2); }

static volatile int ticks;
static double tick_at[2100];
static void on_alarm(int sig) {
  (void)sig;
  if (ticks < 2100) tick_at[ticks] = now_us();
  ticks++;
}

// A repeating 1 ms SIGALRM timer (on = 0: off).
static void alarm_every_ms(int on) {
#ifdef WASMER
  __wasix_proc_raise_interval(SIGALRM, on ? 1 : 0, 1);
#else
  struct itimerval it = {{0, on ? 1000 : 0}, {0, on ? 1000 : 0}};
  setitimer(ITIMER_REAL, &it, 0);
#endif
}

#ifdef HAVE_THREADS
static void* thread_noop(void* arg) { return arg; }
#endif

// Whether the operation list (argv[2], comma-separated) names op; none: all.
static int want(const char* ops, const char* op) { return !ops || strstr(ops, op); }

extern char** environ;

static pid_t spawn_self(const char* self) {
  char* args[] = {"procbench", "exit", 0};
  pid_t pid = 0;
#ifdef __wasm__
  (void)self;
  if (wasix_spawn(&pid, SELF, args, 0, 0) != 0) return -1;
#else
  if (posix_spawn(&pid, self, 0, 0, args, environ) != 0) return -1;
#endif
  return pid;
}

int main(int argc, char** argv) {
  if (argc > 1 && !strcmp(argv[1], "exit")) return 0;
  int n = argc > 1 ? atoi(argv[1]) : 300;
  const char* ops = argc > 2 ? argv[2] : 0;  // e.g. "fork,timer"; default all
  double* t = malloc(sizeof(double) * (n > 2000 ? n : 2000));

  if (want(ops, "fork")) {
    for (int i = 0; i < n; i++) {
      double a = now_us();
      pid_t c = fork();
      if (c == 0) _exit(0);
      int st;
      waitpid(c, &st, 0);
      t[i] = now_us() - a;
    }
    printf("fork+join: median %.1f us\n", pct(t, n, 0.5));
  }

  if (want(ops, "spawn")) {
    for (int i = 0; i < n; i++) {
      double a = now_us();
      pid_t c = spawn_self(argv[0]);
      if (c < 0) {
        printf("spawn failed\n");
        return 1;
      }
      int st;
      waitpid(c, &st, 0);
      t[i] = now_us() - a;
    }
    printf("spawn+join: median %.1f us\n", pct(t, n, 0.5));
  }

  if (want(ops, "signal")) {
    signal(SIGUSR2, on_usr2);
    signal(SIGUSR1, on_usr1);
    fflush(stdout);
#ifdef WASMER
    parent_pid = getpid();
#endif
    pid_t child = fork();
    if (child == 0) {
#ifdef WASMER
      // Register the handler again and tell the parent it is ready.
      __wasix_callback_signal("__wasm_signal", 13);
      kill(parent_pid, SIGUSR2);
#endif
      for (;;) nap_us(50);  // handlers run at each wake-up
    }
    nap_us(50000);
#ifdef WASMER
    while (!got) nap_us(2);
#endif
    for (int i = 0; i < n; i++) {
      got = 0;
      double a = now_us();
      kill(child, SIGUSR1);
      while (!got) nap_us(2);
      t[i] = now_us() - a;
    }
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    printf("signal round trip: median %.1f us\n", pct(t, n, 0.5));
  }

  if (want(ops, "timer")) {
    signal(SIGALRM, on_alarm);
    alarm_every_ms(1);
    while (ticks < 2001) nap_us(200);
    alarm_every_ms(0);
    for (int i = 0; i < 2000; i++) {
      double gap = tick_at[i + 1] - tick_at[i] - 1000.0;
      t[i] = gap < 0 ? -gap : gap;
    }
    double p50 = pct(t, 2000, 0.5), p99 = pct(t, 2000, 0.99);
    printf("timer jitter at 1 ms: median %.1f us, p99 %.1f us\n", p50, p99);
    fflush(stdout);
  }

#ifdef HAVE_THREADS
  if (want(ops, "thread")) {
    for (int i = 0; i < n; i++) {
      double a = now_us();
      thread_t th;
      if (thread_start(&th, thread_noop) != 0 || thread_join(th) != 0) {
        printf("thread spawn failed\n");
        return 1;
      }
      t[i] = now_us() - a;
    }
    double p50 = pct(t, n, 0.5), p99 = pct(t, n, 0.99);
    printf("thread spawn+join: median %.1f us, p99 %.1f us\n", p50, p99);
  }
#endif
  return 0;
}
