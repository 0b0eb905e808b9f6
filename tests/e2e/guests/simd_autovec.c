// Loops clang vectorises on its own: built with -O2 -msimd128 for wasm
// (SIMD128 instructions; simd_test.cc checks they are there) and -O2
// natively; the printed results must be the same. Integer kernels of
// every lane width, element-wise float arithmetic (no reductions, so the
// order of operations is the C program's), conversions, and selects.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 4099  // not a multiple of any vector width: the scalar tails run too

static uint32_t seed = 12345;
static uint32_t next(void) {
  seed = seed * 1103515245u + 12345u;
  return seed >> 7;
}

static uint8_t u8a[N], u8b[N], u8r[N];
static int8_t i8a[N];
static int16_t i16a[N], i16b[N], i16r[N];
static int32_t i32a[N], i32b[N], i32r[N];
static uint32_t u32r[N];
static int64_t i64a[N], i64b[N], i64r[N];
static float f32a[N], f32b[N], f32r[N];
static double f64a[N], f64b[N], f64r[N];

static uint64_t hash_bytes(const void* p, size_t n) {
  const uint8_t* b = p;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}
#define REPORT(name, arr) printf("%-22s %016llx\n", name, (unsigned long long)hash_bytes(arr, sizeof arr))

__attribute__((noinline)) static void u8_kernels(void) {
  for (int i = 0; i < N; ++i) u8r[i] = (uint8_t)(u8a[i] + u8b[i]);
  REPORT("u8 add", u8r);
  for (int i = 0; i < N; ++i) u8r[i] = u8a[i] > u8b[i] ? u8a[i] : u8b[i];
  REPORT("u8 max", u8r);
  for (int i = 0; i < N; ++i) {
    int s = u8a[i] + u8b[i];
    u8r[i] = s > 255 ? 255 : (uint8_t)s;
  }
  REPORT("u8 add saturating", u8r);
  for (int i = 0; i < N; ++i) u8r[i] = (uint8_t)((u8a[i] + u8b[i] + 1) >> 1);
  REPORT("u8 average", u8r);
  for (int i = 0; i < N; ++i) u8r[i] = (uint8_t)(i8a[i] < 0 ? -i8a[i] : i8a[i]);
  REPORT("i8 abs", u8r);
  for (int i = 0; i < N; ++i) u8r[i] = (uint8_t)(u8a[i] << 3) ^ (uint8_t)(u8b[i] >> 2);
  REPORT("u8 shifts", u8r);
  uint32_t sum = 0;
  for (int i = 0; i < N; ++i) sum += u8a[i];
  printf("%-22s %u\n", "u8 sum", sum);
}

__attribute__((noinline)) static void i16_kernels(void) {
  for (int i = 0; i < N; ++i) i16r[i] = (int16_t)(i16a[i] * i16b[i]);
  REPORT("i16 mul", i16r);
  for (int i = 0; i < N; ++i) i16r[i] = (int16_t)(i16a[i] >> 3) - (int16_t)(i16b[i] << 1);
  REPORT("i16 shifts", i16r);
  for (int i = 0; i < N; ++i) i16r[i] = i16a[i] < i16b[i] ? i16a[i] : i16b[i];
  REPORT("i16 min", i16r);
  for (int i = 0; i < N; ++i) i16r[i] = (int16_t)u8a[i] - (int16_t)u8b[i];
  REPORT("u8->i16 widen sub", i16r);
  int32_t dot = 0;
  for (int i = 0; i < N; ++i) dot += i16a[i] * i16b[i];
  printf("%-22s %d\n", "i16 dot", dot);
  for (int i = 0; i < N; ++i) {
    int v = i16a[i] / 64;
    u8r[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
  }
  REPORT("i16->u8 clamp", u8r);
}

__attribute__((noinline)) static void i32_kernels(void) {
  for (int i = 0; i < N; ++i) i32r[i] = i32a[i] * 7 + i32b[i];
  REPORT("i32 mul add", i32r);
  for (int i = 0; i < N; ++i) i32r[i] = i32a[i] > i32b[i] ? i32a[i] - i32b[i] : i32b[i] - i32a[i];
  REPORT("i32 absdiff", i32r);
  for (int i = 0; i < N; ++i) u32r[i] = (uint32_t)i32a[i] >> (i & 31);
  REPORT("u32 variable shift", u32r);
  for (int i = 0; i < N; ++i) i32r[i] = (i32a[i] & 0xff00ff) | (i32b[i] & ~0xff00ff);
  REPORT("i32 bit select", i32r);
  int64_t total = 0;
  for (int i = 0; i < N; ++i) total += i32a[i];
  printf("%-22s %lld\n", "i32 sum (i64)", (long long)total);
  int32_t mx = INT32_MIN;
  for (int i = 0; i < N; ++i) mx = i32a[i] > mx ? i32a[i] : mx;
  printf("%-22s %d\n", "i32 max", mx);
  int count = 0;
  for (int i = 0; i < N; ++i) count += i32a[i] > i32b[i];
  printf("%-22s %d\n", "i32 count greater", count);
}

__attribute__((noinline)) static void i64_kernels(void) {
  for (int i = 0; i < N; ++i) i64r[i] = i64a[i] * i64b[i] + (i64a[i] >> 5);
  REPORT("i64 mul add shift", i64r);
  for (int i = 0; i < N; ++i) i64r[i] = (int64_t)i32a[i] * i32b[i];
  REPORT("i32->i64 widening mul", i64r);
  for (int i = 0; i < N; ++i) i64r[i] = i64a[i] < i64b[i] ? i64a[i] : i64b[i];
  REPORT("i64 min", i64r);
}

__attribute__((noinline)) static void float_kernels(void) {
  for (int i = 0; i < N; ++i) f32r[i] = f32a[i] * 2.5f + f32b[i];
  REPORT("f32 axpy", f32r);
  for (int i = 0; i < N; ++i) f32r[i] = f32a[i] / (f32b[i] + 1.0f);
  REPORT("f32 div", f32r);
  for (int i = 0; i < N; ++i) f32r[i] = sqrtf(fabsf(f32a[i]));
  REPORT("f32 sqrt abs", f32r);
  for (int i = 0; i < N; ++i) f32r[i] = f32a[i] < f32b[i] ? f32a[i] : f32b[i];
  REPORT("f32 select min", f32r);
  for (int i = 0; i < N; ++i) f32r[i] = floorf(f32a[i]) + ceilf(f32b[i]) - truncf(f32a[i] * 0.3f);
  REPORT("f32 rounding", f32r);
  for (int i = 0; i < N; ++i) f32r[i] = (float)i32a[i] * (1.0f / 1024);
  REPORT("i32->f32", f32r);
  for (int i = 0; i < N; ++i) i32r[i] = (int32_t)(f32a[i] * 100.0f);
  REPORT("f32->i32", i32r);
  for (int i = 0; i < N; ++i) f64r[i] = f64a[i] * f64b[i] - f64a[i];
  REPORT("f64 mul sub", f64r);
  for (int i = 0; i < N; ++i) f64r[i] = sqrt(f64a[i] * f64a[i] + f64b[i] * f64b[i]);
  REPORT("f64 hypot", f64r);
  for (int i = 0; i < N; ++i) f64r[i] = (double)f32a[i] + 0.5;
  REPORT("f32->f64", f64r);
  for (int i = 0; i < N; ++i) f32r[i] = (float)(f64a[i] * 3.0);
  REPORT("f64->f32", f32r);
}

// A 3x3 box blur over bytes: neighbouring loads and widening sums.
__attribute__((noinline)) static void blur(void) {
  enum { W = 67, H = 61 };
  static uint8_t img[H][W], out[H][W];
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) img[y][x] = (uint8_t)next();
  for (int y = 1; y < H - 1; ++y)
    for (int x = 1; x < W - 1; ++x) {
      unsigned s = 0;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) s += img[y + dy][x + dx];
      out[y][x] = (uint8_t)(s / 9);
    }
  REPORT("u8 box blur", out);
}

int main(void) {
  for (int i = 0; i < N; ++i) {
    u8a[i] = (uint8_t)next();
    u8b[i] = (uint8_t)next();
    i8a[i] = (int8_t)next();
    i16a[i] = (int16_t)next();
    i16b[i] = (int16_t)next();
    i32a[i] = (int32_t)(next() * 2654435761u);
    i32b[i] = (int32_t)(next() * 40503u);
    i64a[i] = (int64_t)next() << 20 | next();
    i64b[i] = (int64_t)next() - (1 << 24);
    f32a[i] = (float)((int32_t)next() % 100000) / 77.0f;
    f32b[i] = (float)((int32_t)next() % 1000) / 13.0f;
    f64a[i] = (double)((int32_t)next() % 1000000) / 97.0;
    f64b[i] = (double)((int32_t)next() % 10000) / 7.0;
  }
  f32b[5] = NAN;  // (float->int conversions of NaN differ: C leaves them undefined)
  f32b[9] = INFINITY;
  f64a[7] = -INFINITY;
  u8_kernels();
  i16_kernels();
  i32_kernels();
  i64_kernels();
  float_kernels();
  blur();
  return 0;
}
