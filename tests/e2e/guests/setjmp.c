// setjmp/longjmp: built for wasm over wasixc's guest library (setjmp ->
// helper -> stack_checkpoint, as wasix-libc does it) and natively over the
// C library; the outputs must match.
//   setjmp_guest [basic|pingpong|zero|nested|signal|alarm-loop|fork]
//                                                            matches native
//   setjmp_guest returned|pointer|forged                     wasm only: traps
#ifdef __wasm__
#include "wasix.h"
#define jmp_buf wasix_jmp_buf
#define setjmp wasix_setjmp
#define longjmp wasix_longjmp
static int arm_alarm_ms(unsigned ms) { return wasix_set_alarm_timer(ms, 0); }
#define alarm_jmp_buf wasix_jmp_buf
#define save_for_alarm(env) wasix_setjmp(env)
#define jump_from_alarm(env, v) wasix_longjmp(env, v)
#else
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
static int arm_alarm_ms(unsigned ms) {
  struct itimerval t = {{0, 0}, {0, ms * 1000}};
  return setitimer(ITIMER_REAL, &t, 0);
}
// The handler's mask is restored by the jump (WASIX has no masks).
#define alarm_jmp_buf sigjmp_buf
#define save_for_alarm(env) sigsetjmp(env, 1)
#define jump_from_alarm(env, v) siglongjmp(env, v)
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static jmp_buf outer, inner;
static volatile int depth_reached;

// Deep recursion with frames of their own, then a jump out of all of them.
__attribute__((noinline)) static void dive(int depth, int value) {
  volatile char frame[64];
  memset((char*)frame, depth, sizeof frame);
  depth_reached = depth;
  if (depth == 0) longjmp(outer, value);
  dive(depth - 1, value);
  printf("not reached %d\n", frame[0]);
}

static int basic(void) {
  volatile int after = 0;  // changed after setjmp: must be volatile (C11 7.13.2.1)
  int r = setjmp(outer);
  if (r == 0) {
    after = 41;
    dive(100, 7);
  }
  printf("basic: setjmp returned %d, after=%d, depth=%d\n", r, after + 1, depth_reached);
  return 0;
}

// Many round trips through one jmp_buf: no record or stack grows per trip.
static int pingpong(void) {
  volatile long sum = 0;
  for (int i = 0; i < 20000; i++) {
    int r = setjmp(outer);
    if (r == 0) dive(i % 50, i % 7 + 1);
    sum += r;
  }
  printf("pingpong: sum %ld\n", sum);
  return 0;
}

static int zero(void) {
  int r = setjmp(outer);
  if (r == 0) longjmp(outer, 0);
  printf("zero: longjmp(0) made setjmp return %d\n", r);
  return 0;
}

__attribute__((noinline)) static void inner_level(void) {
  int r = setjmp(inner);
  if (r == 0) {
    printf("nested: inner set\n");
    longjmp(inner, 2);
  }
  printf("nested: inner returned %d\n", r);
  longjmp(outer, 3);  // past the inner frame
}

static int nested(void) {
  int r = setjmp(outer);
  if (r == 0) inner_level();
  printf("nested: outer returned %d\n", r);
  return 0;
}

static void on_usr1(int sig) {
  (void)sig;
  longjmp(outer, 9);  // out of a signal handler, as siglongjmp would
}

static int from_signal(void) {
  signal(SIGUSR1, on_usr1);
  volatile int r = setjmp(outer);
  if (r == 0) {
    raise(SIGUSR1);
    printf("signal: not reached\n");
  }
  printf("signal: handler jumped back with %d\n", r);
  return 0;
}

// A timer interrupts a loop that never calls the host, three times; each
// time its handler jumps out of the loop (a timeout, as programs write
// them).
static alarm_jmp_buf alarm_env;
static void on_alarm(int sig) {
  (void)sig;
  jump_from_alarm(alarm_env, 1);
}

static int alarm_loop(void) {
  signal(SIGALRM, on_alarm);
  volatile int jumps = 0;
  while (jumps < 3) {
    if (save_for_alarm(alarm_env) == 0) {
      arm_alarm_ms(20);
      unsigned x = 1;
      for (;;) x = x * 1664525u + 1013904223u;
    }
    jumps = jumps + 1;
  }
  printf("alarm-loop: jumped out of a compute loop %d times\n", jumps);
  return 0;
}

static int in_child(void) {
  int r = setjmp(outer);
  if (r != 0) {
    printf("fork: child jumped back with %d\n", r);
    fflush(stdout);
    _exit(r);
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) dive(20, 5);
  int status = 0;
  waitpid(pid, &status, 0);
  printf("fork: child exited %d\n", WEXITSTATUS(status));
  return 0;
}

__attribute__((noinline)) static void set_and_return(void) {
  if (setjmp(inner) != 0) printf("returned: back in a dead frame\n");
}

static int (*volatile setjmp_pointer)(jmp_buf) = setjmp;

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "basic";
  if (!strcmp(mode, "basic")) return basic();
  if (!strcmp(mode, "pingpong")) return pingpong();
  if (!strcmp(mode, "zero")) return zero();
  if (!strcmp(mode, "nested")) return nested();
  if (!strcmp(mode, "signal")) return from_signal();
  if (!strcmp(mode, "alarm-loop")) return alarm_loop();
  if (!strcmp(mode, "fork")) return in_child();
  if (!strcmp(mode, "returned")) {  // undefined natively; wasixc traps
    set_and_return();
    printf("returned: jumping\n");
    fflush(stdout);
    longjmp(inner, 1);
  }
  if (!strcmp(mode, "pointer")) {  // setjmp through a function pointer
    if (setjmp_pointer(outer) == 0) longjmp(outer, 1);
    printf("pointer: back\n");
    return 0;
  }
  if (!strcmp(mode, "forged")) {  // a jmp_buf setjmp never filled
    memset(&outer, 0x5a, sizeof outer);
    longjmp(outer, 1);
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
