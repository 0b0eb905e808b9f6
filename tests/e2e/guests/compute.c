// A little of everything a compiler can get wrong: integer and float
// arithmetic, function pointers (call_indirect), malloc, qsort, strings.
// The output is compared with the native build, byte for byte.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const void* data, size_t n) {
  const unsigned char* p = data;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static int cmp_int(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x > y) - (x < y);
}

typedef double (*unary)(double);
static double twice(double x) { return 2 * x; }
static double square(double x) { return x * x; }
static double halve(double x) { return x / 2; }

struct node { struct node* left; struct node* right; };
static struct node* tree(int depth) {
  struct node* n = malloc(sizeof *n);
  n->left = depth ? tree(depth - 1) : NULL;
  n->right = depth ? tree(depth - 1) : NULL;
  return n;
}
static long count(struct node* n) {
  if (!n) return 0;
  long c = 1 + count(n->left) + count(n->right);
  free(n);
  return c;
}

int main(void) {
  enum { N = 100000 };
  int* v = malloc(N * sizeof *v);
  uint32_t seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1103515245u + 12345u;
    v[i] = (int)(seed >> 1) - (1 << 30);
  }
  qsort(v, N, sizeof *v, cmp_int);
  printf("sorted: min %d max %d hash %08x\n", v[0], v[N - 1], fnv1a(v, N * sizeof *v));
  free(v);

  unary ops[] = {twice, square, halve, sqrt, sin, exp};
  double x = 0.75;
  for (int i = 0; i < 600; i++) x = ops[i % 6](x) + 0.5;
  printf("float chain: %.12g\n", x);

  int64_t acc = 1;
  for (int64_t i = 1; i < 1000; i++) acc = acc * 6364136223846793005LL + i / 7 - (i % 13) * (acc >> 17);
  printf("i64: %lld  u32 div: %u  i32 rem: %d\n", (long long)acc, 4000000000u / 7u, -17 % 5);
  printf("conversions: %d %u %lld %.3f %.3f\n", (int)-3.99, (unsigned)3.99, (long long)-1e18,
         (double)(float)1.1, (double)UINT64_MAX);

  char text[256];
  snprintf(text, sizeof text, "%s-%d-%x-%5.2f", "wasixc", 42, 0xbeef, 3.14159);
  printf("string: %s len %zu\n", text, strlen(text));
  // memcmp (a host call under the llvm backend): C promises the sign.
  volatile size_t len = strlen(text);
  char other[256];
  memcpy(other, text, sizeof text);
  other[len - 1] ^= 1;
  int lt = memcmp(text, other, len), gt = memcmp(other, text, len), eq = memcmp(text, other, len - 1);
  printf("memcmp signs: %d %d %d\n", (lt > 0) - (lt < 0), (gt > 0) - (gt < 0), eq);
  printf("tree nodes: %ld\n", count(tree(14)));
  return 0;
}
