// String processing: build text, split into words, count distinct words
// with a sorted array of strdup'd strings (malloc, strcmp, memcpy).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

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
  qsort(words, n, sizeof(char*), cmp);
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
