// Open-addressing hash table: inserts, lookups, deletes (memory-bound,
// integer hashing, malloc).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { uint64_t key; uint64_t value; } Slot;

static uint64_t mix(uint64_t x) {
  x ^= x >> 33; x *= 0xff51afd7ed558ccdull; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ull; x ^= x >> 33;
  return x;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 8000000;
  size_t cap = 1;
  while (cap < (size_t)n * 2) cap <<= 1;
  Slot* t = calloc(cap, sizeof *t);
  for (long i = 1; i <= n; i++) {
    uint64_t k = mix(i);
    size_t h = k & (cap - 1);
    while (t[h].key && t[h].key != k) h = (h + 1) & (cap - 1);
    t[h].key = k; t[h].value = i;
  }
  uint64_t sum = 0;
  for (long i = 1; i <= 2 * n; i += 2) {
    uint64_t k = mix(i);
    size_t h = k & (cap - 1);
    while (t[h].key) { if (t[h].key == k) { sum += t[h].value; break; } h = (h + 1) & (cap - 1); }
  }
  printf("%llu\n", (unsigned long long)sum);
  return 0;
}
