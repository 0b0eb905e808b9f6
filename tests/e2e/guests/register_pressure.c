// A hot loop keeping many values live in registers across its safepoint
// poll, with and without a 100 us interval timer whose handler runs at
// that poll. A safepoint entry that clobbers a register generated code
// expects preserved changes the checksum.
//   register_pressure plain N   the loop alone
//   register_pressure timer N   the same with SIGALRM every 100 us
// Built natively too: the checksum must match the native one.
#ifdef __wasm__
#include "wasix.h"
#else
#include <signal.h>
#include <sys/time.h>
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile unsigned ticks;
static void on_alarm(int sig) { ticks++; }

#define ROUND(x, y, z, s) x = ((x + (y ^ z)) << s | (x + (y ^ z)) >> (64 - s)) * 0x9E3779B97F4A7C15ull
__attribute__((noinline)) static uint64_t churn(uint64_t n, uint64_t seed) {
  uint64_t a = seed, b = seed ^ 1, c = seed ^ 2, d = seed ^ 3, e = seed ^ 4, f = seed ^ 5, g = seed ^ 6,
           h = seed ^ 7, i = seed ^ 8, j = seed ^ 9, k = seed ^ 10, l = seed ^ 11, m = seed ^ 12;
  for (uint64_t x = 0; x < n; x++) {
    ROUND(a, b, x, 5);
    ROUND(b, c, a, 7);
    ROUND(c, d, b, 11);
    ROUND(d, e, c, 13);
    ROUND(e, f, d, 17);
    ROUND(f, g, e, 19);
    ROUND(g, h, f, 23);
    ROUND(h, i, g, 29);
    ROUND(i, j, h, 31);
    ROUND(j, k, i, 37);
    ROUND(k, l, j, 41);
    ROUND(l, m, k, 43);
    ROUND(m, a, l, 47);
  }
  return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ i ^ j ^ k ^ l ^ m;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  uint64_t n = strtoull(argv[2], 0, 10);
  if (!strcmp(argv[1], "timer")) {
    signal(SIGALRM, on_alarm);
    struct itimerval t = {{0, 100}, {0, 100}};
    if (setitimer(ITIMER_REAL, &t, 0) != 0) return 3;
  }
  uint64_t sum = churn(n, (uint64_t)argc * 0x1234567ull);
  if (!strcmp(argv[1], "timer")) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
  }
  printf("checksum %016" PRIx64 "\n", sum);
  fprintf(stderr, "ticks %u\n", ticks);
  return 0;
}
