// Shared by the interval-timer guests (timer_libc.c, timer_raw.c): count
// SIGALRM ticks of a 100 ms repeating timer over 1.05 s (about 10), then
// cancel it and check that no tick follows. Each guest supplies
// arm_100ms(), cancel_timer() and install_handler(); natively they are
// setitimer(2) and signal(2).
#include <stdio.h>
#include <time.h>

static volatile int ticks;
static void on_alarm(int sig) {
  (void)sig;
  ticks++;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Sleeps in 10 ms steps (a tick may cut a step short) until `seconds` pass.
static void wait_s(double seconds) {
  double end = now_s() + seconds;
  while (now_s() < end) {
    struct timespec step = {0, 10 * 1000000L};
    nanosleep(&step, 0);
  }
}

static void install_handler(void);
static int arm_100ms(void);
static int cancel_timer(void);

int main(void) {
  install_handler();
  if (arm_100ms() != 0) return 2;
  wait_s(1.05);
  int counted = ticks;
  if (cancel_timer() != 0) return 3;
  int at_cancel = ticks;
  wait_s(0.3);
  printf("100 ms timer: 8..12 ticks in 1.05 s: %s\n", counted >= 8 && counted <= 12 ? "yes" : "no");
  printf("no tick after the cancel: %s\n", ticks == at_cancel ? "yes" : "no");
  fprintf(stderr, "ticks %d\n", counted);
  return 0;
}
