// Signals, run as the same program natively and under wasixc:
//   signals self      handlers run before raise()/kill(self) return
//   signals errors PID  kill(): a process outside the sandbox (PID, started
//                     by the test) is refused, sig 0, ESRCH, EINVAL; not
//                     run natively (as root a native kill would succeed)
//   signals pure      a timer interrupts a loop that never calls the host;
//                     delivery latency stays under 10 ms
//   signals redzone   a handler that uses the stack interrupts a leaf
//                     function whose locals live below the stack pointer
//                     (clang's 128-byte wasm red zone); they survive
//   signals counted N a counted loop of N iterations (long: the copy with
//                     polls runs) is interrupted; the handler ends the run
//   signals frames    a 1 ms timer's handler, whose frame is 2 KiB, keeps
//                     interrupting a function that fills and checks a
//                     1200-byte frame without calls; no frame is touched
//   signals in-libc   a loop that spends nearly all its time in strlen and
//                     memset (host code under wasixc: aot/llvm/
//                     libc_builtins.cc) still gets its SIGALRM within 20 ms
//   signals stdio-in-handler  a handler runs while stdout holds buffered
//                     output; the buffer is written once, at exit
//   signals spin      a pure compute loop interrupted by a timer (SIGALRM)
//   signals interval  a repeating 20 ms timer ticks while the program waits
//   signals cancel    a cancelled timer never fires
//   signals child     fork; the parent signals a computing child, whose
//                     handler runs; the child exits 5
//   signals default   no handler: SIGTERM kills the child for real
//   signals child-pure  as `child`, but the child's loop never calls the
//                     host (needs safepoints: llvm backend)
//   signals sigchld   the parent's SIGCHLD handler runs when a child ends
//   signals eintr     a 50 ms timer's handler runs during a 1 s nanosleep,
//                     not after it (natively nanosleep then ends with EINTR;
//                     under WASIX the sleep goes on)
//   signals setitimer setitimer(2) with the old value, then alarm(1)
//   signals groups PGID  kill(-PGID) (the caller's group, given by the
//                     test: WASIX has no getpgrp), kill(-1), kill(0) reach the sandbox's
//                     members only (wasm only: natively, as root, kill(-1)
//                     would signal every process on the machine)
//   signals wait [handle]  sleep up to 5 s; with `handle`, SIGTERM and
//                     SIGINT from outside run a handler that exits 0
//   signals rtmax     signal 64 (Linux's SIGRTMAX; the runtime's own retry
//                     timer uses it too) is a signal like any other: a
//                     handler for it runs; left at its default, it kills a
//                     child that sends it to itself
#ifdef __wasm__
#include "wasix.h"
static int set_timer_ms(unsigned first, unsigned repeat) { return wasix_set_alarm_timer(first, repeat); }
#else
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
static int set_timer_ms(unsigned first, unsigned repeat) {
  struct itimerval t = {{repeat / 1000, (repeat % 1000) * 1000}, {first / 1000, (first % 1000) * 1000}};
  return setitimer(ITIMER_REAL, &t, 0);
}
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int hits[65];
static void count(int sig) { hits[sig]++; }

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile double fired_at;
static void stamp(int sig) {
  fired_at = now();
  hits[sig]++;
}

static const char* err(int r) {
  if (r == 0) return "ok";
  return errno == EPERM ? "EPERM" : errno == ESRCH ? "ESRCH" : errno == EINVAL ? "EINVAL" : "other";
}

// Computes until `flag` is set (no host calls inside the loop).
static unsigned spin_until(volatile int* flag, double limit) {
  unsigned x = 1;
  double start = now();
  while (!*flag) {
    for (int i = 0; i < 1000000 && !*flag; i++) x = x * 1664525u + 1013904223u;
    if (now() - start > limit) break;
  }
  return x;
}

// A handler with a big frame, and a leaf function whose small frame clang
// keeps in the red zone below __stack_pointer (it never moves the stack
// pointer). Delivery must not put the handler's frame on top of it.
static volatile int scribbled;
static void scribble(int sig) {
  volatile char junk[256];
  for (int i = 0; i < 256; i++) junk[i] = (char)0xAA;
  scribbled = junk[7] + sig;
}
__attribute__((noinline)) static int leaf_with_locals(int seed) {
  volatile int locals[16];
  for (int i = 0; i < 16; i++) locals[i] = seed + i;
  while (!scribbled) {}  // no calls: the signal arrives at a loop safepoint
  int sum = 0;
  for (int i = 0; i < 16; i++) sum += locals[i];
  return sum;
}

// A handler with a 2 KiB frame, and a function with a 1200-byte frame
// and no calls: interrupted anywhere, its frame must survive the handler.
static void scribble_deep(int sig) {
  volatile char junk[2048];
  for (int i = 0; i < 2048; i++) junk[i] = (char)0x5A;
  hits[sig] += junk[sig] == 0x5A;
}
__attribute__((noinline)) static int frame_damage(int seed) {
  volatile int frame[300];
  for (int i = 0; i < 300; i++) frame[i] = seed * 31 + i;
  int bad = 0;
  for (int i = 0; i < 300; i++) bad += frame[i] != seed * 31 + i;
  return bad;
}

static void end_run(int sig) {
  static const char msg[] = "counted loop interrupted\n";
  (void)sig;
  write(1, msg, sizeof msg - 1);
  _exit(0);
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "self")) {
    signal(SIGUSR1, count);
    signal(SIGUSR2, count);
    raise(SIGUSR1);
    printf("after raise: SIGUSR1 handled %d times\n", hits[SIGUSR1]);
    kill(getpid(), SIGUSR2);
    printf("after kill(self): SIGUSR2 handled %d times\n", hits[SIGUSR2]);
    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored: SIGUSR1 still %d\n", hits[SIGUSR1]);
    return 0;
  }
  if (!strcmp(mode, "errors") && argc > 2) {
    int r = kill(atoi(argv[2]), SIGTERM);
    printf("kill(outsider): %s\n", r == 0 ? "ok" : (errno == EPERM || errno == ESRCH) ? "refused" : "other");
    r = kill(999999, 0);
    printf("kill(999999, 0): %s\n", err(r));
    r = kill(getpid(), 0);
    printf("kill(self, 0): %s\n", err(r));
    r = kill(getpid(), 100);
    printf("kill(self, 100): %s\n", err(r));
    return 0;
  }
  if (!strcmp(mode, "counted") && argc > 2) {
    signal(SIGALRM, end_run);
    set_timer_ms(50, 0);
    long long n = atoll(argv[2]);
    unsigned long long acc = 1;
    for (long long i = 0; i < n; i++) acc = acc * 6364136223846793005ull + (unsigned long long)i;
    printf("counted loop finished without a signal (%llu)\n", acc);
    return 0;
  }
  if (!strcmp(mode, "frames")) {
    signal(SIGALRM, scribble_deep);
    set_timer_ms(1, 1);
    double t0 = now();
    int bad = 0, n = 0;
    while (now() - t0 < 0.3)
      for (int i = 0; i < 1000; i++) bad += frame_damage(n++);
    set_timer_ms(0, 0);
    printf("frames intact: %s, handler ran often: %s\n", bad == 0 ? "yes" : "no", hits[SIGALRM] > 20 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "in-libc")) {
    static char big[1 << 20];
    signal(SIGALRM, stamp);
    double t0 = now();
    set_timer_ms(50, 0);
    unsigned long length = 0;
    while (!hits[SIGALRM]) {
      memset(big, 'a' + (length & 7), sizeof big - 1);
      length += strlen(big);
    }
    double latency = fired_at - (t0 + 0.050);
    printf("libc loop interrupted (%d), delivered within 20ms of the timer: %s\n", length != 0,
           latency < 0.020 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "stdio-in-handler")) {
    signal(SIGUSR1, count);
    printf("buffered ");  // stdout is a pipe: fully buffered until exit
    raise(SIGUSR1);
    write(1, "direct\n", 7);
    printf("after %d\n", hits[SIGUSR1]);
    return 0;
  }
  if (!strcmp(mode, "redzone")) {
    signal(SIGALRM, scribble);
    set_timer_ms(20, 0);
    int sum = leaf_with_locals(100);
    printf("handler ran: %s, leaf's locals intact: %s\n", scribbled ? "yes" : "no", sum == 1720 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "spin")) {
    signal(SIGALRM, count);
    double start = now();
    set_timer_ms(100, 0);
    spin_until(&hits[SIGALRM], 10.0);
    double t = now() - start;
    printf("compute loop interrupted: %s, after 90ms..2s: %s\n", hits[SIGALRM] == 1 ? "yes" : "no",
           t > 0.09 && t < 2.0 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "pure")) {
    signal(SIGALRM, stamp);
    double t0 = now();
    set_timer_ms(50, 0);
    unsigned x = 1;
    while (!hits[SIGALRM]) x = x * 1664525u + 1013904223u;  // no calls at all
    double latency = fired_at - (t0 + 0.050);
    printf("pure loop interrupted (%u), delivered within 10ms of the timer: %s\n", x != 0 || 1,
           latency < 0.010 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "setitimer")) {
    signal(SIGALRM, stamp);
    struct itimerval t = {{0, 0}, {0, 300000}}, old;
    setitimer(ITIMER_REAL, &t, 0);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &old);  // disarm, reading what was left
    long left_us = old.it_value.tv_sec * 1000000L + old.it_value.tv_usec;
    printf("old value in (200ms, 300ms]: %s, old interval 0: %s\n", left_us > 200000 && left_us <= 300000 ? "yes" : "no",
           old.it_interval.tv_sec == 0 && old.it_interval.tv_usec == 0 ? "yes" : "no");
    double t0 = now();
    alarm(1);
    while (!hits[SIGALRM] && now() - t0 < 3.0) {
      struct timespec ts = {0, 10000000};
      nanosleep(&ts, 0);
    }
    printf("alarm(1) fired after 0.9..1.5s: %s\n", fired_at - t0 > 0.9 && fired_at - t0 < 1.5 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "eintr")) {
    signal(SIGALRM, stamp);
    double t0 = now();
    set_timer_ms(50, 0);
    struct timespec ts = {1, 0};
    nanosleep(&ts, 0);
    printf("handler ran %d time(s), during the sleep: %s\n", hits[SIGALRM],
           fired_at - t0 > 0.04 && fired_at - t0 < 0.5 ? "yes" : "no");
    return 0;
  }
  if (!strcmp(mode, "groups") && argc > 2) {
#ifdef __wasm__
    signal(SIGUSR1, count);
    signal(SIGUSR2, count);
    signal(SIGWINCH, count);
    fflush(stdout);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
      kids[k] = fork();
      if (kids[k] == 0) {
        double t0 = now();
        while ((!hits[SIGUSR1] || !hits[SIGUSR2]) && now() - t0 < 3.0) {
          struct timespec ts = {0, 5000000};
          nanosleep(&ts, 0);
        }
        _exit(hits[SIGUSR1] + 2 * hits[SIGUSR2]);
      }
    }
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, 0);
    int r1 = kill(-atoi(argv[2]), SIGUSR1);  // the group: parent and children
    int r2 = kill(-1, SIGUSR2);               // every member but the caller
    int r3 = kill(0, SIGWINCH);               // the caller's group
    printf("kill(-pgid) %d kill(-1) %d kill(0) %d\n", r1, r2, r3);
    printf("parent got USR1 %d USR2 %d WINCH %d\n", hits[SIGUSR1], hits[SIGUSR2], hits[SIGWINCH]);
    for (int k = 0; k < 2; k++) {
      int status = 0;
      waitpid(kids[k], &status, 0);
      printf("child %d exit %d\n", k, WEXITSTATUS(status));
    }
#endif
    return 0;
  }
  if (!strcmp(mode, "wait")) {
    if (argc > 2 && !strcmp(argv[2], "handle")) {
      signal(SIGTERM, count);
      signal(SIGINT, count);
    }
    printf("ready\n");
    fflush(stdout);
    double t0 = now();
    while (!hits[SIGTERM] && !hits[SIGINT] && now() - t0 < 5.0) {
      struct timespec ts = {0, 20000000};
      nanosleep(&ts, 0);
    }
    printf("handled TERM %d INT %d\n", hits[SIGTERM], hits[SIGINT]);
    return 0;
  }
  if (!strcmp(mode, "interval")) {
    signal(SIGALRM, count);
    set_timer_ms(20, 20);
    double start = now();
    while (now() - start < 0.4) {
      struct timespec ts = {0, 5000000};
      nanosleep(&ts, 0);  // EINTR when a tick lands: keep going
    }
    set_timer_ms(0, 0);
    int ticks = hits[SIGALRM];
    printf("ticks in 400ms at 20ms: %s\n", ticks >= 10 && ticks <= 21 ? "between 10 and 21" : "out of range");
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, 0);
    printf("after cancel: %s\n", hits[SIGALRM] == ticks ? "no more ticks" : "still ticking");
    return 0;
  }
  if (!strcmp(mode, "cancel")) {
    signal(SIGALRM, count);
    set_timer_ms(50, 0);
    set_timer_ms(0, 0);
    struct timespec ts = {0, 150000000};
    nanosleep(&ts, 0);
    printf("cancelled timer fired: %d\n", hits[SIGALRM]);
    return 0;
  }
  if (!strcmp(mode, "sigchld")) {
    signal(SIGCHLD, count);
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) _exit(0);
    double t0 = now();
    while (!hits[SIGCHLD] && now() - t0 < 3.0) {
      struct timespec ts = {0, 5000000};
      nanosleep(&ts, 0);
    }
    int status;
    waitpid(c, &status, 0);
    printf("SIGCHLD handled %d time(s)\n", hits[SIGCHLD]);
    return 0;
  }
  if (!strcmp(mode, "child-pure")) {
    signal(SIGUSR1, count);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      unsigned x = 1;
      while (!hits[SIGUSR1]) x = x * 1664525u + 1013904223u;  // never calls the host
      printf("child: handler ran in a pure compute loop (%d)\n", x != 0 || 1);
      fflush(stdout);
      _exit(5);
    }
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, 0);
    kill(child, SIGUSR1);
    int status = 0;
    pid_t got = waitpid(child, &status, 0);
    printf("parent: joined %d, child exited with %d\n", got == child, WEXITSTATUS(status));
    return 0;
  }
  if (!strcmp(mode, "rtmax")) {
    signal(64, count);
    raise(64);
    kill(getpid(), 64);
    printf("signal 64 handled %d times\n", hits[64]);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      signal(64, SIG_DFL);
      signal(SIGUSR1, count);  // a handled signal: the runtime keeps its handlers installed
      kill(getpid(), 64);
      spin_until(&hits[SIGUSR1], 2.0);
      printf("child: still alive after signal 64\n");
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status)) printf("parent: child exited with %d\n", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) printf("parent: child killed by signal %d\n", WTERMSIG(status));
    return 0;
  }
  if (!strcmp(mode, "child") || !strcmp(mode, "default")) {
    int handled = !strcmp(mode, "child");
    if (handled) signal(SIGUSR1, count);  // inherited by the child
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      spin_until(&hits[SIGUSR1], 10.0);
      printf("child: handler ran %d time(s) in a compute loop\n", hits[SIGUSR1]);
      fflush(stdout);
      _exit(5);
    }
    struct timespec ts = {0, 100000000};
    nanosleep(&ts, 0);
    kill(child, handled ? SIGUSR1 : SIGTERM);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFEXITED(status)) printf("parent: child exited with %d\n", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) printf("parent: child killed by signal %d\n", WTERMSIG(status));
    return 0;
  }
  return 2;
}
