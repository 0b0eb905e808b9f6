// An interval timer as a wasix-libc program sets it: on wasm, this guest
// mimics wasix-libc (no wasixc guest library): it exports `__wasm_signal`
// and registers it with callback_signal, and its setitimer passes
// it_interval in nanoseconds to wasix_32v1.proc_raise_interval with
// repeat = 1; its alarm-style cancel passes 0. wasixc reads the interval
// in nanoseconds for such a module (SYSCALLS.md, "Interval timer units").
// Natively: setitimer(2).
#include <stdint.h>
#ifdef __wasm__
#include "wasix.h"  // the constants and struct itimerval only: no guest library
#else
#include <signal.h>
#include <sys/time.h>
#endif

#include "timer_ticks.h"

#ifdef __wasm__
static void (*volatile handler)(int);

__attribute__((export_name("__wasm_signal"))) void __wasm_signal(int sig) {
  if (sig == SIGALRM && handler) handler(sig);
}

uint32_t raise_interval(uint32_t sig, uint64_t interval, uint32_t repeat)
    __attribute__((import_module("wasix_32v1"), import_name("proc_raise_interval")));
void callback_signal(const char* name, uint32_t len)
    __attribute__((import_module("wasix_32v1"), import_name("callback_signal")));

// As wasix-libc's setitimer: it_interval in ns, it_value ignored, repeat.
static int libc_setitimer(const struct itimerval* t) {
  uint64_t ns = (uint64_t)t->it_interval.tv_sec * 1000000000ull + (uint64_t)t->it_interval.tv_usec * 1000ull;
  return raise_interval(SIGALRM, ns, 1) == 0 ? 0 : -1;
}

static void install_handler(void) {
  handler = on_alarm;
  static const char name[] = "__wasm_signal";
  callback_signal(name, sizeof name - 1);
}
#else
static int libc_setitimer(const struct itimerval* t) { return setitimer(ITIMER_REAL, t, 0); }
static void install_handler(void) { signal(SIGALRM, on_alarm); }
#endif

static int arm_100ms(void) {
  struct itimerval t = {{0, 100000}, {0, 100000}};
  return libc_setitimer(&t);
}

// wasix-libc's alarm(0) and setitimer with a zero interval both send 0.
static int cancel_timer(void) {
  struct itimerval off = {{0, 0}, {0, 0}};
  return libc_setitimer(&off);
}
