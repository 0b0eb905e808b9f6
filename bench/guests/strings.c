// String processing: build words, sort the strdup'd strings with a merge
// sort written here (libc's qsort differs between wasi-libc and glibc),
// count distinct words (malloc, strcmp, strlen, memcpy).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void merge_sort(char** v, char** tmp, int n) {
  if (n < 2) return;
  int h = n / 2;
  merge_sort(v, tmp, h);
  merge_sort(v + h, tmp, n - h);
  int i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = strcmp(v[i], v[j]) <= 0 ? v[i++] : v[j++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1200000;
  char** words = malloc(sizeof(char*) * n);
  char buf[32];
  unsigned s = 3;
  for (int i = 0; i < n; i++) {
    s = s * 1664525u + 1013904223u;
    int len = 3 + (s >> 28);
    for (int k = 0; k < len; k++) { s = s * 1664525u + 1013904223u; buf[k] = (char)('a' + (s >> 29)); }
    buf[len] = 0;
    words[i] = strdup(buf);
  }
  char** tmp = malloc(sizeof(char*) * n);
  merge_sort(words, tmp, n);
  int distinct = 0;
  size_t total = 0;
  for (int i = 0; i < n; i++) {
    if (i == 0 || strcmp(words[i], words[i - 1])) distinct++;
    total += strlen(words[i]);
  }
  printf("%d distinct of %d, %zu bytes, first %s last %s\n", distinct, n, total, words[0], words[n - 1]);
  for (int i = 0; i < n; i++) free(words[i]);
  return 0;
}
