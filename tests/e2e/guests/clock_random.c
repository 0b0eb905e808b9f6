// Clocks and randomness: prints only facts that hold on any correct host,
// so the native build prints the same lines.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>

int main(void) {
  struct timespec a, b, res;
  clock_gettime(CLOCK_MONOTONIC, &a);
  volatile unsigned long spin = 0;
  for (unsigned long i = 0; i < 20000000; i++) spin += i;
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
  printf("monotonic advances: %s\n", ns > 0 ? "yes" : "no");

  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  printf("realtime after 2020: %s\n", rt.tv_sec > 1577836800 ? "yes" : "no");
  printf("time() agrees: %s\n", labs((long)(time(NULL) - rt.tv_sec)) <= 2 ? "yes" : "no");

  clock_getres(CLOCK_MONOTONIC, &res);
  printf("monotonic resolution <= 1ms: %s\n",
         res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000 ? "yes" : "no");

  struct timespec cpu;
  printf("process cputime readable: %s\n",
         clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 ? "yes" : "no");

  unsigned char r1[64], r2[64], zeros[64] = {0};
  arc4random_buf(r1, sizeof r1);
  arc4random_buf(r2, sizeof r2);
  printf("random differs: %s\n", memcmp(r1, r2, sizeof r1) && memcmp(r1, zeros, 64) ? "yes" : "no");
  printf("sched_yield: %d\n", sched_yield());
  return 0;
}
