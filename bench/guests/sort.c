// A quicksort calling its comparison through a function pointer chosen at
// run time, plus a merge sort (indirect calls, branches, memory moves).
// Both are written here rather than taken from libc: libc's qsort is a
// different algorithm in wasi-libc (smoothsort) and glibc (merge sort),
// which would measure the libraries, not the compilers.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*compare_fn)(uint32_t, uint32_t);
static int ascending(uint32_t x, uint32_t y) { return (x > y) - (x < y); }
static int descending(uint32_t x, uint32_t y) { return (x < y) - (x > y); }

static void swap(uint32_t* a, uint32_t* b) { uint32_t t = *a; *a = *b; *b = t; }

static void quick_sort(uint32_t* v, size_t n, compare_fn cmp) {
  while (n > 16) {
    size_t mid = n / 2;  // median of three as the pivot
    if (cmp(v[mid], v[0]) < 0) swap(&v[mid], &v[0]);
    if (cmp(v[n - 1], v[0]) < 0) swap(&v[n - 1], &v[0]);
    if (cmp(v[n - 1], v[mid]) < 0) swap(&v[n - 1], &v[mid]);
    uint32_t pivot = v[mid];
    size_t i = 0, j = n - 1;
    for (;;) {
      while (cmp(v[i], pivot) < 0) i++;
      while (cmp(pivot, v[j]) < 0) j--;
      if (i >= j) break;
      swap(&v[i++], &v[j--]);
    }
    // Recurse into the smaller side, loop on the larger.
    if (j + 1 < n - j - 1) { quick_sort(v, j + 1, cmp); v += j + 1; n -= j + 1; }
    else { quick_sort(v + j + 1, n - j - 1, cmp); n = j + 1; }
  }
  for (size_t i = 1; i < n; i++)
    for (size_t k = i; k > 0 && cmp(v[k], v[k - 1]) < 0; k--) swap(&v[k], &v[k - 1]);
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
  // Descending only when asked: the comparison stays an indirect call.
  quick_sort(a, n, argc > 2 ? descending : ascending);
  merge_sort(b, tmp, n);
  uint64_t h = 0;
  for (size_t i = 0; i < n; i++) h = h * 31 + (a[i] ^ b[i]) + a[i] % 1000;
  printf("%llu %d\n", (unsigned long long)h, memcmp(a, b, n * 4) == 0);
  return 0;
}
