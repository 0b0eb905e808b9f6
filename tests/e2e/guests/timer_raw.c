// An interval timer set by a raw caller of proc_raise_interval following
// the documented unit, milliseconds (wasixc's guest library: signal(),
// __wasix_proc_raise_interval). Natively: setitimer(2).
#ifdef __wasm__
#include "wasix.h"
#else
#include <signal.h>
#include <sys/time.h>
#endif

#include "timer_ticks.h"

#ifdef __wasm__
static void install_handler(void) { signal(SIGALRM, on_alarm); }
static int arm_100ms(void) { return __wasix_proc_raise_interval(SIGALRM, 100, 1) == 0 ? 0 : -1; }
static int cancel_timer(void) { return __wasix_proc_raise_interval(SIGALRM, 0, 1) == 0 ? 0 : -1; }
#else
static void install_handler(void) { signal(SIGALRM, on_alarm); }
static int arm_100ms(void) {
  struct itimerval t = {{0, 100000}, {0, 100000}};
  return setitimer(ITIMER_REAL, &t, 0);
}
static int cancel_timer(void) {
  struct itimerval off = {{0, 0}, {0, 0}};
  return setitimer(ITIMER_REAL, &off, 0);
}
#endif
