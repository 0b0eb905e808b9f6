// qsort with a comparison callback plus a hand-written merge sort
// (indirect calls, branches, memory moves).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return (x > y) - (x < y);
}

static void merge_sort(uint32_t* v, uint32_t* tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  merge_sort(v, tmp, h);
  merge_sort(v + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

int main(int argc, char** argv) {
  size_t n = argc > 1 ? strtoul(argv[1], 0, 10) : 3000000;
  uint32_t *a = malloc(n * 4), *b = malloc(n * 4), *tmp = malloc(n * 4);
  uint32_t s = 1;
  for (size_t i = 0; i < n; i++) { s = s * 1664525u + 1013904223u; a[i] = b[i] = s; }
  qsort(a, n, 4, cmp);
  merge_sort(b, tmp, n);
  uint64_t h = 0;
  for (size_t i = 0; i < n; i++) h = h * 31 + (a[i] ^ b[i]) + a[i] % 1000;
  printf("%llu %d\n", (unsigned long long)h, memcmp(a, b, n * 4) == 0);
  return 0;
}
