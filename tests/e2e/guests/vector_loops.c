// Loops the -O2 pipeline vectorises after widening their 32-bit address
// induction variables and versioning them by address stream
// (aot/llvm/address_iv_widening.cc, stream_versioning.cc), run on arrays
// that do not overlap (the vector copy) and on arrays that do (the checked
// copy's fallback), against the native build. clang -O2 for wasm32 unrolls
// most of these by two, leaving two pointers per array: the case the
// stream versioning is for.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Offsets the compiler cannot see through, so aliasing is decided at run time.
volatile int zero = 0, one = 1, two = 2;

__attribute__((noinline)) void axpy(double* c, const double* b, double a, int n) {
  for (int j = 0; j < n; j++) c[j] += a * b[j];
}

__attribute__((noinline)) void add_int(int* out, const int* x, const int* y, int n) {
  for (int i = 0; i < n; i++) out[i] = x[i] + y[i];
}

__attribute__((noinline)) void scale_bytes(unsigned char* out, const unsigned char* in, int n) {
  for (int i = 0; i < n; i++) out[i] = (unsigned char)(in[i] * 3 + 1);
}

__attribute__((noinline)) void stencil(float* out, const float* in, int n) {
  for (int i = 1; i + 1 < n; i++) out[i] = in[i - 1] + 2.0f * in[i] + in[i + 1];
}

__attribute__((noinline)) void pairs(int64_t* p, int64_t* end) {
  for (; p != end; p += 2) p[0] += p[1] * 3;
}

__attribute__((noinline)) void matmul(double* c, const double* a, const double* b, int n) {
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
}

uint64_t hash_bytes(const void* data, size_t len) {
  const unsigned char* p = data;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

void fill_doubles(double* d, int n, int seed) {
  for (int i = 0; i < n; i++) d[i] = ((i * 7 + seed) % 23) * 0.5 - 3.0;
}

int main(void) {
  enum { N = 203 };  // odd: remainders after the vector loop
  double* buf = malloc(sizeof(double) * 4 * N);
  // axpy: disjoint, the same array, overlapping one element either way,
  // and a length too short for the vector loop.
  int shifts[] = {N, 0, 1, -1, 2, -2};
  for (unsigned s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
    fill_doubles(buf, 4 * N, (int)s);
    double* c = buf + N + zero;
    axpy(c, c + shifts[s] * one, 1.5, N);
    printf("axpy shift %d: %016llx\n", shifts[s], (unsigned long long)hash_bytes(buf, sizeof(double) * 4 * N));
  }
  fill_doubles(buf, 4 * N, 9);
  axpy(buf + 1, buf + 2 * N, -0.25, 3 * two);
  printf("axpy short: %016llx\n", (unsigned long long)hash_bytes(buf, sizeof(double) * 4 * N));

  int* ints = malloc(sizeof(int) * 4 * N);
  for (int mode = 0; mode < 4; mode++) {
    for (int i = 0; i < 4 * N; i++) ints[i] = i * 31 % 97 - 40;
    int* base = ints + N;
    int* x = mode == 0 ? base + N : base - mode * one;  // disjoint, then out overlapping x
    add_int(base, x, base + 2 * N * (mode == 0) + zero, N);
    printf("add_int mode %d: %016llx\n", mode, (unsigned long long)hash_bytes(ints, sizeof(int) * 4 * N));
  }

  unsigned char* bytes = malloc(3 * N);
  for (int shift = -3; shift <= 3; shift++) {
    for (int i = 0; i < 3 * N; i++) bytes[i] = (unsigned char)(i * 13);
    scale_bytes(bytes + N, bytes + N + shift * one, N);
    printf("scale_bytes shift %d: %016llx\n", shift, (unsigned long long)hash_bytes(bytes, 3 * N));
  }

  float* floats = malloc(sizeof(float) * 3 * N);
  for (int shift = -1; shift <= 1; shift++) {
    for (int i = 0; i < 3 * N; i++) floats[i] = (float)((i * 5) % 11) - 4.5f;
    stencil(floats + N, floats + N + shift * one, N);
    printf("stencil shift %d: %016llx\n", shift, (unsigned long long)hash_bytes(floats, sizeof(float) * 3 * N));
  }

  int64_t* longs = malloc(sizeof(int64_t) * 2 * N);
  for (int i = 0; i < 2 * N; i++) longs[i] = i * 1000003ll;
  pairs(longs + one, longs + 1 + 2 * (N - 2));
  printf("pairs: %016llx\n", (unsigned long long)hash_bytes(longs, sizeof(int64_t) * 2 * N));

  enum { M = 37 };
  double *a = malloc(sizeof(double) * M * M), *b = malloc(sizeof(double) * M * M);
  double* c = calloc(M * M, sizeof(double));
  fill_doubles(a, M * M, 1);
  fill_doubles(b, M * M, 2);
  matmul(c, a, b, M);
  printf("matmul: %016llx\n", (unsigned long long)hash_bytes(c, sizeof(double) * M * M));
  matmul(c, c, c, M * one);  // every stream the same array
  printf("matmul in place: %016llx\n", (unsigned long long)hash_bytes(c, sizeof(double) * M * M));
  return 0;
}
