// Explicit SIMD128 (and relaxed SIMD) through clang's wasm_simd128.h. The
// wasm build runs the real instructions; the native build runs a scalar
// twin below that spells out each instruction's lane semantics from the
// spec (and, for relaxed SIMD, the choice wasixc documents in
// aot/llvm/emit_simd.cc). simd_test.cc compares the two outputs: one hash
// per instruction over inputs rich in edge values (lane minima and maxima,
// +-0, +-inf, NaN, halves, values past the integer ranges). NaN lanes of
// float results are hashed as "some NaN": the twin cannot know the host's
// payloads, and the spec suite checks them.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#else
// ---- the scalar twin --------------------------------------------------------
typedef struct {
  uint8_t b[16];
} v128_t;

#define LANE_ACCESS(T, name)                                                  \
  static T name(v128_t v, int i) { T x; memcpy(&x, v.b + i * sizeof(T), sizeof(T)); return x; } \
  static void set_##name(v128_t* v, int i, T x) { memcpy(v->b + i * sizeof(T), &x, sizeof(T)); }
LANE_ACCESS(int8_t, s8)
LANE_ACCESS(uint8_t, u8)
LANE_ACCESS(int16_t, s16)
LANE_ACCESS(uint16_t, u16)
LANE_ACCESS(int32_t, s32)
LANE_ACCESS(uint32_t, u32)
LANE_ACCESS(int64_t, s64)
LANE_ACCESS(uint64_t, u64)
LANE_ACCESS(float, f32)
LANE_ACCESS(double, f64)
static const v128_t zero_v;

static v128_t wasm_v128_load(const void* p) { v128_t r; memcpy(&r, p, 16); return r; }
static void wasm_v128_store(void* p, v128_t v) { memcpy(p, &v, 16); }

// Lane-wise operations, one macro per shape: r[i] = EXPR(a[i], b[i]).
#define MAP2(name, get, set, n, EXPR)                                          \
  static v128_t name(v128_t a, v128_t b) {                                     \
    v128_t r;                                                                  \
    for (int i = 0; i < n; ++i) { __typeof__(get(a, 0)) x = get(a, i), y = get(b, i); set(&r, i, EXPR); } \
    return r;                                                                  \
  }
#define MAP1(name, get, set, n, EXPR)                                          \
  static v128_t name(v128_t a) {                                               \
    v128_t r;                                                                  \
    for (int i = 0; i < n; ++i) { __typeof__(get(a, 0)) x = get(a, i); set(&r, i, EXPR); } \
    return r;                                                                  \
  }
static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

MAP2(wasm_i8x16_add_sat, s8, set_s8, 16, (int8_t)clamp(x + y, -128, 127))
MAP2(wasm_u8x16_add_sat, u8, set_u8, 16, (uint8_t)clamp(x + y, 0, 255))
MAP2(wasm_i8x16_sub_sat, s8, set_s8, 16, (int8_t)clamp(x - y, -128, 127))
MAP2(wasm_u8x16_sub_sat, u8, set_u8, 16, (uint8_t)clamp(x - y, 0, 255))
MAP2(wasm_i16x8_add_sat, s16, set_s16, 8, (int16_t)clamp(x + y, -32768, 32767))
MAP2(wasm_u16x8_sub_sat, u16, set_u16, 8, (uint16_t)clamp(x - y, 0, 65535))
MAP2(wasm_u8x16_avgr, u8, set_u8, 16, (uint8_t)((x + y + 1) >> 1))
MAP2(wasm_u16x8_avgr, u16, set_u16, 8, (uint16_t)((x + y + 1) >> 1))
MAP2(wasm_i8x16_min, s8, set_s8, 16, x < y ? x : y)
MAP2(wasm_u8x16_min, u8, set_u8, 16, x < y ? x : y)
MAP2(wasm_u8x16_max, u8, set_u8, 16, x > y ? x : y)
MAP2(wasm_i16x8_max, s16, set_s16, 8, x > y ? x : y)
MAP2(wasm_u32x4_min, u32, set_u32, 4, x < y ? x : y)
MAP2(wasm_i8x16_add, u8, set_u8, 16, (uint8_t)(x + y))
MAP2(wasm_i16x8_mul, u16, set_u16, 8, (uint16_t)(x * y))
MAP2(wasm_i32x4_mul, u32, set_u32, 4, x * y)
MAP2(wasm_i64x2_mul, u64, set_u64, 2, x * y)
MAP2(wasm_i64x2_sub, u64, set_u64, 2, x - y)
MAP2(wasm_i8x16_eq, u8, set_u8, 16, x == y ? 0xff : 0)
MAP2(wasm_i8x16_gt, s8, set_s8, 16, x > y ? -1 : 0)
MAP2(wasm_u8x16_lt, u8, set_u8, 16, x < y ? 0xff : 0)
MAP2(wasm_i16x8_le, s16, set_s16, 8, x <= y ? -1 : 0)
MAP2(wasm_u16x8_ge, u16, set_u16, 8, x >= y ? 0xffff : 0)
MAP2(wasm_u32x4_lt, u32, set_u32, 4, x < y ? ~0u : 0)
MAP2(wasm_i32x4_ge, s32, set_s32, 4, x >= y ? -1 : 0)
MAP2(wasm_i64x2_lt, s64, set_s64, 2, x < y ? -1 : 0)
MAP2(wasm_i64x2_ne, u64, set_u64, 2, x != y ? ~0ull : 0)
MAP1(wasm_i8x16_abs, s8, set_s8, 16, (int8_t)(x < 0 ? -x : x))
MAP1(wasm_i32x4_abs, s32, set_s32, 4, x < 0 ? (int32_t)(0u - (uint32_t)x) : x)
MAP1(wasm_i64x2_neg, u64, set_u64, 2, 0 - x)
MAP1(wasm_i8x16_popcnt, u8, set_u8, 16, (uint8_t)__builtin_popcount(x))

static v128_t wasm_v128_andnot(v128_t a, v128_t b) {
  for (int i = 0; i < 16; ++i) a.b[i] &= (uint8_t)~b.b[i];
  return a;
}
static v128_t wasm_v128_bitselect(v128_t a, v128_t b, v128_t m) {
  v128_t r;
  for (int i = 0; i < 16; ++i) r.b[i] = (uint8_t)((a.b[i] & m.b[i]) | (b.b[i] & ~m.b[i]));
  return r;
}
static int wasm_v128_any_true(v128_t a) {
  for (int i = 0; i < 16; ++i)
    if (a.b[i]) return 1;
  return 0;
}
static int wasm_i8x16_all_true(v128_t a) {
  for (int i = 0; i < 16; ++i)
    if (!a.b[i]) return 0;
  return 1;
}
static int wasm_i16x8_all_true(v128_t a) {
  for (int i = 0; i < 8; ++i)
    if (!u16(a, i)) return 0;
  return 1;
}
static int wasm_i64x2_all_true(v128_t a) { return u64(a, 0) && u64(a, 1); }
static uint32_t wasm_i8x16_bitmask(v128_t a) {
  uint32_t m = 0;
  for (int i = 0; i < 16; ++i) m |= (uint32_t)(s8(a, i) < 0) << i;
  return m;
}
static uint32_t wasm_i16x8_bitmask(v128_t a) {
  uint32_t m = 0;
  for (int i = 0; i < 8; ++i) m |= (uint32_t)(s16(a, i) < 0) << i;
  return m;
}
static uint32_t wasm_i32x4_bitmask(v128_t a) {
  uint32_t m = 0;
  for (int i = 0; i < 4; ++i) m |= (uint32_t)(s32(a, i) < 0) << i;
  return m;
}
static uint32_t wasm_i64x2_bitmask(v128_t a) { return (uint32_t)(s64(a, 0) < 0) | (uint32_t)(s64(a, 1) < 0) << 1; }

// Shifts take the count modulo the lane width.
static v128_t wasm_i8x16_shl(v128_t a, uint32_t c) {
  for (int i = 0; i < 16; ++i) set_u8(&a, i, (uint8_t)(u8(a, i) << (c & 7)));
  return a;
}
static v128_t wasm_i16x8_shr(v128_t a, uint32_t c) {
  for (int i = 0; i < 8; ++i) set_s16(&a, i, (int16_t)(s16(a, i) >> (c & 15)));
  return a;
}
static v128_t wasm_u16x8_shr(v128_t a, uint32_t c) {
  for (int i = 0; i < 8; ++i) set_u16(&a, i, (uint16_t)(u16(a, i) >> (c & 15)));
  return a;
}
static v128_t wasm_i32x4_shl(v128_t a, uint32_t c) {
  for (int i = 0; i < 4; ++i) set_u32(&a, i, u32(a, i) << (c & 31));
  return a;
}
static v128_t wasm_i64x2_shr(v128_t a, uint32_t c) {
  for (int i = 0; i < 2; ++i) set_s64(&a, i, s64(a, i) >> (c & 63));
  return a;
}
static v128_t wasm_u64x2_shr(v128_t a, uint32_t c) {
  for (int i = 0; i < 2; ++i) set_u64(&a, i, u64(a, i) >> (c & 63));
  return a;
}

static v128_t wasm_i8x16_narrow_i16x8(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; ++i) {
    set_s8(&r, i, (int8_t)clamp(s16(a, i), -128, 127));
    set_s8(&r, i + 8, (int8_t)clamp(s16(b, i), -128, 127));
  }
  return r;
}
static v128_t wasm_u8x16_narrow_i16x8(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; ++i) {
    set_u8(&r, i, (uint8_t)clamp(s16(a, i), 0, 255));
    set_u8(&r, i + 8, (uint8_t)clamp(s16(b, i), 0, 255));
  }
  return r;
}
static v128_t wasm_u16x8_narrow_i32x4(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 4; ++i) {
    set_u16(&r, i, (uint16_t)clamp(s32(a, i), 0, 65535));
    set_u16(&r, i + 4, (uint16_t)clamp(s32(b, i), 0, 65535));
  }
  return r;
}
static v128_t wasm_i16x8_extend_low_i8x16(v128_t a) {
  v128_t r;
  for (int i = 0; i < 8; ++i) set_s16(&r, i, s8(a, i));
  return r;
}
static v128_t wasm_u16x8_extend_high_u8x16(v128_t a) {
  v128_t r;
  for (int i = 0; i < 8; ++i) set_u16(&r, i, u8(a, i + 8));
  return r;
}
static v128_t wasm_i32x4_extend_high_i16x8(v128_t a) {
  v128_t r;
  for (int i = 0; i < 4; ++i) set_s32(&r, i, s16(a, i + 4));
  return r;
}
static v128_t wasm_u64x2_extend_low_u32x4(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; ++i) set_u64(&r, i, u32(a, i));
  return r;
}
static v128_t wasm_i16x8_extmul_low_i8x16(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; ++i) set_s16(&r, i, (int16_t)(s8(a, i) * s8(b, i)));
  return r;
}
static v128_t wasm_u32x4_extmul_high_u16x8(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 4; ++i) set_u32(&r, i, (uint32_t)u16(a, i + 4) * u16(b, i + 4));
  return r;
}
static v128_t wasm_i64x2_extmul_low_i32x4(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 2; ++i) set_s64(&r, i, (int64_t)s32(a, i) * s32(b, i));
  return r;
}
static v128_t wasm_i16x8_extadd_pairwise_i8x16(v128_t a) {
  v128_t r;
  for (int i = 0; i < 8; ++i) set_s16(&r, i, (int16_t)(s8(a, 2 * i) + s8(a, 2 * i + 1)));
  return r;
}
static v128_t wasm_u32x4_extadd_pairwise_u16x8(v128_t a) {
  v128_t r;
  for (int i = 0; i < 4; ++i) set_u32(&r, i, (uint32_t)u16(a, 2 * i) + u16(a, 2 * i + 1));
  return r;
}
static v128_t wasm_i32x4_dot_i16x8(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 4; ++i)
    set_u32(&r, i, (uint32_t)(s16(a, 2 * i) * s16(b, 2 * i)) + (uint32_t)(s16(a, 2 * i + 1) * s16(b, 2 * i + 1)));
  return r;
}
static v128_t wasm_i16x8_q15mulr_sat(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; ++i) set_s16(&r, i, (int16_t)clamp((s16(a, i) * s16(b, i) + 0x4000) >> 15, -32768, 32767));
  return r;
}
// Lane i = a[s[i]], 0 when s[i] >= 16.
static v128_t wasm_i8x16_swizzle(v128_t a, v128_t s) {
  v128_t r;
  for (int i = 0; i < 16; ++i) r.b[i] = s.b[i] < 16 ? a.b[s.b[i]] : 0;
  return r;
}
static v128_t shuffle(v128_t a, v128_t b, const int* lanes) {
  v128_t r;
  for (int i = 0; i < 16; ++i) r.b[i] = lanes[i] < 16 ? a.b[lanes[i]] : b.b[lanes[i] - 16];
  return r;
}
#define wasm_i8x16_shuffle(a, b, ...) shuffle(a, b, (const int[]){__VA_ARGS__})
static v128_t wasm_i32x4_splat(int32_t x) {
  v128_t r;
  for (int i = 0; i < 4; ++i) set_s32(&r, i, x);
  return r;
}
static v128_t wasm_i8x16_splat(int8_t x) {
  v128_t r;
  memset(&r, (uint8_t)x, 16);
  return r;
}
static v128_t wasm_f64x2_splat(double x) {
  v128_t r;
  set_f64(&r, 0, x);
  set_f64(&r, 1, x);
  return r;
}
#define wasm_i8x16_extract_lane(a, i) s8(a, i)
#define wasm_u16x8_extract_lane(a, i) u16(a, i)
#define wasm_i64x2_extract_lane(a, i) s64(a, i)
#define wasm_f32x4_extract_lane(a, i) f32(a, i)
static v128_t replace16(v128_t a, int i, int16_t x) { set_s16(&a, i, x); return a; }
static v128_t replacef64(v128_t a, int i, double x) { set_f64(&a, i, x); return a; }
#define wasm_i16x8_replace_lane(a, i, x) replace16(a, i, x)
#define wasm_f64x2_replace_lane(a, i, x) replacef64(a, i, x)
static v128_t wasm_v128_load8_splat(const void* p) { return wasm_i8x16_splat(*(const int8_t*)p); }
static v128_t wasm_v128_load32_zero(const void* p) { v128_t r = zero_v; memcpy(r.b, p, 4); return r; }
static v128_t wasm_v128_load16_lane(const void* p, v128_t v, int i) { memcpy(v.b + 2 * i, p, 2); return v; }
static void wasm_v128_store64_lane(void* p, v128_t v, int i) { memcpy(p, v.b + 8 * i, 8); }
static v128_t wasm_i16x8_load8x8(const void* p) {
  v128_t r;
  for (int i = 0; i < 8; ++i) set_s16(&r, i, ((const int8_t*)p)[i]);
  return r;
}
static v128_t wasm_u32x4_load16x4(const void* p) {
  v128_t r;
  for (int i = 0; i < 4; ++i) {
    uint16_t x;
    memcpy(&x, (const uint8_t*)p + 2 * i, 2);
    set_u32(&r, i, x);
  }
  return r;
}

// Floats: min/max propagate NaN and order -0 < +0; pmin/pmax are b < a ? b : a / a < b ? b : a.
static float fmin32(float x, float y) {
  if (x != x || y != y) return NAN;
  if (x == 0 && y == 0) return signbit(x) ? x : y;
  return x < y ? x : y;
}
static float fmax32(float x, float y) {
  if (x != x || y != y) return NAN;
  if (x == 0 && y == 0) return signbit(x) ? y : x;
  return x > y ? x : y;
}
static double fmin64(double x, double y) {
  if (x != x || y != y) return NAN;
  if (x == 0 && y == 0) return signbit(x) ? x : y;
  return x < y ? x : y;
}
static double fmax64(double x, double y) {
  if (x != x || y != y) return NAN;
  if (x == 0 && y == 0) return signbit(x) ? y : x;
  return x > y ? x : y;
}
MAP2(wasm_f32x4_add, f32, set_f32, 4, x + y)
MAP2(wasm_f32x4_sub, f32, set_f32, 4, x - y)
MAP2(wasm_f32x4_mul, f32, set_f32, 4, x * y)
MAP2(wasm_f32x4_div, f32, set_f32, 4, x / y)
MAP2(wasm_f32x4_min, f32, set_f32, 4, fmin32(x, y))
MAP2(wasm_f32x4_max, f32, set_f32, 4, fmax32(x, y))
MAP2(wasm_f32x4_pmin, f32, set_f32, 4, y < x ? y : x)
MAP2(wasm_f32x4_pmax, f32, set_f32, 4, x < y ? y : x)
MAP1(wasm_f32x4_sqrt, f32, set_f32, 4, sqrtf(x))
MAP1(wasm_f32x4_ceil, f32, set_f32, 4, ceilf(x))
MAP1(wasm_f32x4_floor, f32, set_f32, 4, floorf(x))
MAP1(wasm_f32x4_trunc, f32, set_f32, 4, truncf(x))
MAP1(wasm_f32x4_nearest, f32, set_f32, 4, nearbyintf(x))
MAP1(wasm_f32x4_abs, f32, set_f32, 4, fabsf(x))
MAP1(wasm_f32x4_neg, f32, set_f32, 4, -x)
MAP2(wasm_f64x2_add, f64, set_f64, 2, x + y)
MAP2(wasm_f64x2_mul, f64, set_f64, 2, x * y)
MAP2(wasm_f64x2_div, f64, set_f64, 2, x / y)
MAP2(wasm_f64x2_min, f64, set_f64, 2, fmin64(x, y))
MAP2(wasm_f64x2_max, f64, set_f64, 2, fmax64(x, y))
MAP2(wasm_f64x2_pmin, f64, set_f64, 2, y < x ? y : x)
MAP2(wasm_f64x2_pmax, f64, set_f64, 2, x < y ? y : x)
MAP1(wasm_f64x2_sqrt, f64, set_f64, 2, sqrt(x))
MAP1(wasm_f64x2_nearest, f64, set_f64, 2, nearbyint(x))
MAP1(wasm_f64x2_floor, f64, set_f64, 2, floor(x))
MAP1(wasm_f64x2_neg, f64, set_f64, 2, -x)

static v128_t fcmp_result4(int (*pred)(float, float), v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 4; ++i) set_s32(&r, i, pred(f32(a, i), f32(b, i)) ? -1 : 0);
  return r;
}
static int f_eq(float x, float y) { return x == y; }
static int f_ne(float x, float y) { return x != y; }
static int f_lt(float x, float y) { return x < y; }
static int f_ge(float x, float y) { return x >= y; }
static v128_t wasm_f32x4_eq(v128_t a, v128_t b) { return fcmp_result4(f_eq, a, b); }
static v128_t wasm_f32x4_ne(v128_t a, v128_t b) { return fcmp_result4(f_ne, a, b); }
static v128_t wasm_f32x4_lt(v128_t a, v128_t b) { return fcmp_result4(f_lt, a, b); }
static v128_t wasm_f32x4_ge(v128_t a, v128_t b) { return fcmp_result4(f_ge, a, b); }
static v128_t wasm_f64x2_le(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 2; ++i) set_s64(&r, i, f64(a, i) <= f64(b, i) ? -1 : 0);
  return r;
}

// Saturating float -> int: NaN -> 0, out of range -> the nearest bound.
static int32_t sat_s32(double x) {
  if (x != x) return 0;
  if (x >= 2147483648.0) return INT32_MAX;
  if (x <= -2147483649.0) return INT32_MIN;
  return (int32_t)x;
}
static uint32_t sat_u32(double x) {
  if (x != x || x <= -1.0) return 0;
  if (x >= 4294967296.0) return UINT32_MAX;
  return (uint32_t)x;
}
MAP1(wasm_i32x4_trunc_sat_f32x4, f32, set_s32, 4, sat_s32(x))
MAP1(wasm_u32x4_trunc_sat_f32x4, f32, set_u32, 4, sat_u32(x))
static v128_t wasm_i32x4_trunc_sat_f64x2_zero(v128_t a) {
  v128_t r = zero_v;
  for (int i = 0; i < 2; ++i) set_s32(&r, i, sat_s32(f64(a, i)));
  return r;
}
static v128_t wasm_u32x4_trunc_sat_f64x2_zero(v128_t a) {
  v128_t r = zero_v;
  for (int i = 0; i < 2; ++i) set_u32(&r, i, sat_u32(f64(a, i)));
  return r;
}
MAP1(wasm_f32x4_convert_i32x4, s32, set_f32, 4, (float)x)
MAP1(wasm_f32x4_convert_u32x4, u32, set_f32, 4, (float)x)
static v128_t wasm_f64x2_convert_low_i32x4(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; ++i) set_f64(&r, i, s32(a, i));
  return r;
}
static v128_t wasm_f64x2_convert_low_u32x4(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; ++i) set_f64(&r, i, u32(a, i));
  return r;
}
static v128_t wasm_f32x4_demote_f64x2_zero(v128_t a) {
  v128_t r = zero_v;
  for (int i = 0; i < 2; ++i) set_f32(&r, i, (float)f64(a, i));
  return r;
}
static v128_t wasm_f64x2_promote_low_f32x4(v128_t a) {
  v128_t r;
  for (int i = 0; i < 2; ++i) set_f64(&r, i, f32(a, i));
  return r;
}

// Relaxed SIMD: the deterministic choices of aot/llvm/emit_simd.cc.
#define wasm_i8x16_relaxed_swizzle wasm_i8x16_swizzle
#define wasm_i32x4_relaxed_trunc_f32x4 wasm_i32x4_trunc_sat_f32x4
#define wasm_u32x4_relaxed_trunc_f64x2_zero wasm_u32x4_trunc_sat_f64x2_zero
#define wasm_i32x4_relaxed_laneselect wasm_v128_bitselect
#define wasm_f32x4_relaxed_min wasm_f32x4_min
#define wasm_f64x2_relaxed_max wasm_f64x2_max
#define wasm_i16x8_relaxed_q15mulr wasm_i16x8_q15mulr_sat
static v128_t wasm_f32x4_relaxed_madd(v128_t a, v128_t b, v128_t c) {  // unfused
  v128_t r;
  for (int i = 0; i < 4; ++i) {
    volatile float product = f32(a, i) * f32(b, i);
    set_f32(&r, i, product + f32(c, i));
  }
  return r;
}
static v128_t wasm_f64x2_relaxed_nmadd(v128_t a, v128_t b, v128_t c) {
  v128_t r;
  for (int i = 0; i < 2; ++i) {
    volatile double product = -f64(a, i) * f64(b, i);
    set_f64(&r, i, product + f64(c, i));
  }
  return r;
}
// b's lanes read as signed; 16-bit products and pair sums wrap.
static v128_t wasm_i16x8_relaxed_dot_i8x16_i7x16(v128_t a, v128_t b) {
  v128_t r;
  for (int i = 0; i < 8; ++i)
    set_u16(&r, i, (uint16_t)((uint16_t)(s8(a, 2 * i) * s8(b, 2 * i)) + (uint16_t)(s8(a, 2 * i + 1) * s8(b, 2 * i + 1))));
  return r;
}
static v128_t wasm_i32x4_relaxed_dot_i8x16_i7x16_add(v128_t a, v128_t b, v128_t c) {
  v128_t d = wasm_i16x8_relaxed_dot_i8x16_i7x16(a, b), r;
  for (int i = 0; i < 4; ++i) set_u32(&r, i, (uint32_t)(s16(d, 2 * i) + s16(d, 2 * i + 1)) + u32(c, i));
  return r;
}
#endif  // the scalar twin

// ---- inputs -----------------------------------------------------------------
// (Out of line: inlined into every test loop they made the module large and
// slow to compile.)
#define NOINLINE __attribute__((noinline))
static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (uint32_t)(state >> 16);
}
static const uint8_t kEdgeBytes[] = {0x00, 0x7f, 0x80, 0xff, 0x01, 0x10, 0x0f, 0xfe};
NOINLINE static v128_t int_vector(void) {
  uint8_t b[16];
  for (int i = 0; i < 16; ++i) b[i] = next() % 3 == 0 ? kEdgeBytes[next() % 8] : (uint8_t)next();
  return wasm_v128_load(b);
}
static const float kEdgeFloats[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, INFINITY, -INFINITY,
                                    NAN, 2147483648.0f, -2147483904.0f, 4294967296.0f, 3e9f, -3e9f, 1e-40f, 3.4e38f,
                                    -0.75f, 16777217.0f, 8388609.5f};
NOINLINE static float float_value(void) {
  if (next() % 2) return kEdgeFloats[next() % (sizeof kEdgeFloats / sizeof *kEdgeFloats)];
  return (float)((int32_t)next() % 200001) / (float)(1 + next() % 1000);
}
NOINLINE static v128_t f32_vector(void) {
  float f[4];
  for (int i = 0; i < 4; ++i) f[i] = float_value();
  return wasm_v128_load(f);
}
NOINLINE static v128_t f64_vector(void) {
  double d[2];
  for (int i = 0; i < 2; ++i) d[i] = next() % 4 == 0 ? (double)float_value() * 1e6 : (double)float_value() / 3.0;
  return wasm_v128_load(d);
}

// ---- hashing ----------------------------------------------------------------
enum Shape { BITS, F32, F64 };
NOINLINE static uint64_t mix(uint64_t h, const void* p, size_t n) {
  const uint8_t* b = p;
  for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}
// NaN lanes count as one value: payloads are the host's business.
NOINLINE static uint64_t hash_v(uint64_t h, v128_t v, enum Shape shape) {
  uint8_t b[16];
  wasm_v128_store(b, v);
  if (shape == F32)
    for (int i = 0; i < 4; ++i) {
      float f;
      memcpy(&f, b + 4 * i, 4);
      if (f != f) memcpy(b + 4 * i, "NaN!", 4);
    }
  if (shape == F64)
    for (int i = 0; i < 2; ++i) {
      double d;
      memcpy(&d, b + 8 * i, 8);
      if (d != d) memcpy(b + 8 * i, "NaN!NaN!", 8);
    }
  return mix(h, b, 16);
}

#define ROUNDS 300
#define TEST(name, shape, setup, expr)                                \
  do {                                                                \
    uint64_t h = 1469598103934665603ull;                              \
    for (int k = 0; k < ROUNDS; ++k) {                                \
      setup;                                                          \
      h = hash_v(h, (expr), shape);                                   \
    }                                                                 \
    printf("%-34s %016llx\n", name, (unsigned long long)h);           \
  } while (0)
#define II v128_t a = int_vector(), b = int_vector(), c = int_vector(); (void)b; (void)c
#define FF v128_t a = f32_vector(), b = f32_vector(), c = f32_vector(); (void)b; (void)c
#define DD v128_t a = f64_vector(), b = f64_vector(), c = f64_vector(); (void)b; (void)c
#define SCALAR(name, setup, expr)                                     \
  do {                                                                \
    uint64_t h = 1469598103934665603ull;                              \
    for (int k = 0; k < ROUNDS; ++k) {                                \
      setup;                                                          \
      uint64_t x = (uint64_t)(expr);                                  \
      h = mix(h, &x, 8);                                              \
    }                                                                 \
    printf("%-34s %016llx\n", name, (unsigned long long)h);           \
  } while (0)

static void integer_tests(void) {
  TEST("i8x16.add_sat_s", BITS, II, wasm_i8x16_add_sat(a, b));
  TEST("i8x16.add_sat_u", BITS, II, wasm_u8x16_add_sat(a, b));
  TEST("i8x16.sub_sat_s", BITS, II, wasm_i8x16_sub_sat(a, b));
  TEST("i8x16.sub_sat_u", BITS, II, wasm_u8x16_sub_sat(a, b));
  TEST("i16x8.add_sat_s", BITS, II, wasm_i16x8_add_sat(a, b));
  TEST("i16x8.sub_sat_u", BITS, II, wasm_u16x8_sub_sat(a, b));
  TEST("i8x16.avgr_u", BITS, II, wasm_u8x16_avgr(a, b));
  TEST("i16x8.avgr_u", BITS, II, wasm_u16x8_avgr(a, b));
  TEST("i8x16.min_s", BITS, II, wasm_i8x16_min(a, b));
  TEST("i8x16.max_u", BITS, II, wasm_u8x16_max(a, b));
  TEST("i16x8.max_s", BITS, II, wasm_i16x8_max(a, b));
  TEST("i32x4.min_u", BITS, II, wasm_u32x4_min(a, b));
  TEST("i8x16.add", BITS, II, wasm_i8x16_add(a, b));
  TEST("i16x8.mul", BITS, II, wasm_i16x8_mul(a, b));
  TEST("i32x4.mul", BITS, II, wasm_i32x4_mul(a, b));
  TEST("i64x2.mul", BITS, II, wasm_i64x2_mul(a, b));
  TEST("i64x2.sub", BITS, II, wasm_i64x2_sub(a, b));
  TEST("i8x16.eq", BITS, II, wasm_i8x16_eq(a, wasm_v128_bitselect(a, b, c)));
  TEST("i8x16.gt_s", BITS, II, wasm_i8x16_gt(a, b));
  TEST("i8x16.lt_u", BITS, II, wasm_u8x16_lt(a, b));
  TEST("i16x8.le_s", BITS, II, wasm_i16x8_le(a, b));
  TEST("i16x8.ge_u", BITS, II, wasm_u16x8_ge(a, b));
  TEST("i32x4.lt_u", BITS, II, wasm_u32x4_lt(a, b));
  TEST("i32x4.ge_s", BITS, II, wasm_i32x4_ge(a, b));
  TEST("i64x2.lt_s", BITS, II, wasm_i64x2_lt(a, b));
  TEST("i64x2.ne", BITS, II, wasm_i64x2_ne(a, wasm_v128_bitselect(a, b, c)));
  TEST("i8x16.abs", BITS, II, wasm_i8x16_abs(a));
  TEST("i32x4.abs", BITS, II, wasm_i32x4_abs(a));
  TEST("i64x2.neg", BITS, II, wasm_i64x2_neg(a));
  TEST("i8x16.popcnt", BITS, II, wasm_i8x16_popcnt(a));
  TEST("v128.andnot", BITS, II, wasm_v128_andnot(a, b));
  TEST("v128.bitselect", BITS, II, wasm_v128_bitselect(a, b, c));
  TEST("i8x16.shl", BITS, II; uint32_t n = next() % 20, wasm_i8x16_shl(a, n));
  TEST("i16x8.shr_s", BITS, II; uint32_t n = next() % 40, wasm_i16x8_shr(a, n));
  TEST("i16x8.shr_u", BITS, II; uint32_t n = next() % 40, wasm_u16x8_shr(a, n));
  TEST("i32x4.shl", BITS, II; uint32_t n = next() % 70, wasm_i32x4_shl(a, n));
  TEST("i64x2.shr_s", BITS, II; uint32_t n = next() % 130, wasm_i64x2_shr(a, n));
  TEST("i64x2.shr_u", BITS, II; uint32_t n = next(), wasm_u64x2_shr(a, n));
  TEST("i8x16.narrow_i16x8_s", BITS, II, wasm_i8x16_narrow_i16x8(a, b));
  TEST("i8x16.narrow_i16x8_u", BITS, II, wasm_u8x16_narrow_i16x8(a, b));
  TEST("i16x8.narrow_i32x4_u", BITS, II, wasm_u16x8_narrow_i32x4(a, b));
  TEST("i16x8.extend_low_i8x16_s", BITS, II, wasm_i16x8_extend_low_i8x16(a));
  TEST("i16x8.extend_high_i8x16_u", BITS, II, wasm_u16x8_extend_high_u8x16(a));
  TEST("i32x4.extend_high_i16x8_s", BITS, II, wasm_i32x4_extend_high_i16x8(a));
  TEST("i64x2.extend_low_i32x4_u", BITS, II, wasm_u64x2_extend_low_u32x4(a));
  TEST("i16x8.extmul_low_i8x16_s", BITS, II, wasm_i16x8_extmul_low_i8x16(a, b));
  TEST("i32x4.extmul_high_i16x8_u", BITS, II, wasm_u32x4_extmul_high_u16x8(a, b));
  TEST("i64x2.extmul_low_i32x4_s", BITS, II, wasm_i64x2_extmul_low_i32x4(a, b));
  TEST("i16x8.extadd_pairwise_i8x16_s", BITS, II, wasm_i16x8_extadd_pairwise_i8x16(a));
  TEST("i32x4.extadd_pairwise_i16x8_u", BITS, II, wasm_u32x4_extadd_pairwise_u16x8(a));
  TEST("i32x4.dot_i16x8_s", BITS, II, wasm_i32x4_dot_i16x8(a, b));
  TEST("i16x8.q15mulr_sat_s", BITS, II, wasm_i16x8_q15mulr_sat(a, b));
  TEST("i8x16.swizzle", BITS, II, wasm_i8x16_swizzle(a, b));
  TEST("i8x16.swizzle (small indices)", BITS, II, wasm_i8x16_swizzle(a, wasm_u8x16_min(b, wasm_i8x16_splat(17))));
  TEST("i8x16.shuffle", BITS, II, wasm_i8x16_shuffle(a, b, 0, 17, 2, 19, 31, 30, 5, 5, 16, 0, 15, 14, 8, 24, 9, 1));
  TEST("i8x16.splat/replace/extract", BITS, II,
       wasm_i16x8_replace_lane(wasm_i8x16_splat(wasm_i8x16_extract_lane(a, 3)), 5,
                               (int16_t)wasm_u16x8_extract_lane(b, 7)));
  SCALAR("v128.any_true", II, wasm_v128_any_true(wasm_v128_andnot(a, b)));
  SCALAR("i8x16.all_true", II, wasm_i8x16_all_true(a) + 2 * wasm_i8x16_all_true(wasm_i8x16_splat((int8_t)(k % 3))));
  SCALAR("i16x8.all_true", II, wasm_i16x8_all_true(wasm_u8x16_max(a, wasm_i8x16_splat(1))));
  SCALAR("i64x2.all_true", II, wasm_i64x2_all_true(wasm_i8x16_gt(a, b)));
  SCALAR("i8x16.bitmask", II, wasm_i8x16_bitmask(a));
  SCALAR("i16x8.bitmask", II, wasm_i16x8_bitmask(a));
  SCALAR("i32x4.bitmask", II, wasm_i32x4_bitmask(a));
  SCALAR("i64x2.bitmask", II, wasm_i64x2_bitmask(a));
  SCALAR("i64x2.extract_lane", II, wasm_i64x2_extract_lane(a, 1));
}

static void memory_tests(void) {
  static uint8_t buf[64];
  for (int i = 0; i < 64; ++i) buf[i] = (uint8_t)next();
  TEST("v128.load8_splat", BITS, II; (void)a, wasm_v128_load8_splat(buf + k % 64));
  TEST("v128.load32_zero", BITS, II; (void)a, wasm_v128_load32_zero(buf + k % 60));
  TEST("v128.load16_lane", BITS, II, wasm_v128_load16_lane(buf + k % 62, a, 5));
  TEST("v128.load8x8_s", BITS, II; (void)a, wasm_i16x8_load8x8(buf + k % 56));
  TEST("v128.load16x4_u", BITS, II; (void)a, wasm_u32x4_load16x4(buf + k % 56));
  uint8_t out[24] = {0};
  TEST("v128.store64_lane", BITS, II; wasm_v128_store64_lane(out + k % 16, a, 1), wasm_v128_load(out));
}

static void float_tests(void) {
  TEST("f32x4.add", F32, FF, wasm_f32x4_add(a, b));
  TEST("f32x4.sub", F32, FF, wasm_f32x4_sub(a, b));
  TEST("f32x4.mul", F32, FF, wasm_f32x4_mul(a, b));
  TEST("f32x4.div", F32, FF, wasm_f32x4_div(a, b));
  TEST("f32x4.min", F32, FF, wasm_f32x4_min(a, b));
  TEST("f32x4.max", F32, FF, wasm_f32x4_max(a, b));
  TEST("f32x4.pmin", F32, FF, wasm_f32x4_pmin(a, b));
  TEST("f32x4.pmax", F32, FF, wasm_f32x4_pmax(a, b));
  TEST("f32x4.sqrt", F32, FF, wasm_f32x4_sqrt(a));
  TEST("f32x4.ceil", F32, FF, wasm_f32x4_ceil(a));
  TEST("f32x4.floor", F32, FF, wasm_f32x4_floor(a));
  TEST("f32x4.trunc", F32, FF, wasm_f32x4_trunc(a));
  TEST("f32x4.nearest", F32, FF, wasm_f32x4_nearest(a));
  TEST("f32x4.abs", F32, FF, wasm_f32x4_abs(a));
  TEST("f32x4.neg", F32, FF, wasm_f32x4_neg(a));
  TEST("f32x4.eq", BITS, FF, wasm_f32x4_eq(a, wasm_v128_bitselect(a, b, c)));
  TEST("f32x4.ne", BITS, FF, wasm_f32x4_ne(a, wasm_v128_bitselect(a, b, c)));
  TEST("f32x4.lt", BITS, FF, wasm_f32x4_lt(a, b));
  TEST("f32x4.ge", BITS, FF, wasm_f32x4_ge(a, b));
  TEST("f64x2.add", F64, DD, wasm_f64x2_add(a, b));
  TEST("f64x2.mul", F64, DD, wasm_f64x2_mul(a, b));
  TEST("f64x2.div", F64, DD, wasm_f64x2_div(a, b));
  TEST("f64x2.min", F64, DD, wasm_f64x2_min(a, b));
  TEST("f64x2.max", F64, DD, wasm_f64x2_max(a, b));
  TEST("f64x2.pmin", F64, DD, wasm_f64x2_pmin(a, b));
  TEST("f64x2.pmax", F64, DD, wasm_f64x2_pmax(a, b));
  TEST("f64x2.sqrt", F64, DD, wasm_f64x2_sqrt(a));
  TEST("f64x2.nearest", F64, DD, wasm_f64x2_nearest(a));
  TEST("f64x2.floor", F64, DD, wasm_f64x2_floor(a));
  TEST("f64x2.neg", F64, DD, wasm_f64x2_neg(a));
  TEST("f64x2.le", BITS, DD, wasm_f64x2_le(a, b));
  TEST("f64x2.splat/replace_lane", F64, DD, wasm_f64x2_replace_lane(wasm_f64x2_splat(k * 0.25), 1, 7.5));
  TEST("i32x4.trunc_sat_f32x4_s", BITS, FF, wasm_i32x4_trunc_sat_f32x4(a));
  TEST("i32x4.trunc_sat_f32x4_u", BITS, FF, wasm_u32x4_trunc_sat_f32x4(a));
  TEST("i32x4.trunc_sat_f64x2_s_zero", BITS, DD, wasm_i32x4_trunc_sat_f64x2_zero(a));
  TEST("i32x4.trunc_sat_f64x2_u_zero", BITS, DD, wasm_u32x4_trunc_sat_f64x2_zero(a));
  TEST("f32x4.convert_i32x4_s", F32, II, wasm_f32x4_convert_i32x4(a));
  TEST("f32x4.convert_i32x4_u", F32, II, wasm_f32x4_convert_u32x4(a));
  TEST("f64x2.convert_low_i32x4_s", F64, II, wasm_f64x2_convert_low_i32x4(a));
  TEST("f64x2.convert_low_i32x4_u", F64, II, wasm_f64x2_convert_low_u32x4(a));
  TEST("f32x4.demote_f64x2_zero", F32, DD, wasm_f32x4_demote_f64x2_zero(a));
  TEST("f64x2.promote_low_f32x4", F64, FF, wasm_f64x2_promote_low_f32x4(a));
  SCALAR("f32x4.extract_lane", FF, wasm_f32x4_extract_lane(a, 2) == 1.5f);
}

#if !defined(__wasm_simd128__) || defined(__wasm_relaxed_simd__)
static void relaxed_tests(void) {
  TEST("i8x16.relaxed_swizzle", BITS, II, wasm_i8x16_relaxed_swizzle(a, b));
  TEST("i32x4.relaxed_trunc_f32x4_s", BITS, FF, wasm_i32x4_relaxed_trunc_f32x4(a));
  TEST("i32x4.relaxed_trunc_f64x2_u_zero", BITS, DD, wasm_u32x4_relaxed_trunc_f64x2_zero(a));
  TEST("f32x4.relaxed_madd", F32, FF, wasm_f32x4_relaxed_madd(a, b, c));
  TEST("f64x2.relaxed_nmadd", F64, DD, wasm_f64x2_relaxed_nmadd(a, b, c));
  TEST("i32x4.relaxed_laneselect", BITS, II, wasm_i32x4_relaxed_laneselect(a, b, c));
  TEST("f32x4.relaxed_min", F32, FF, wasm_f32x4_relaxed_min(a, b));
  TEST("f64x2.relaxed_max", F64, DD, wasm_f64x2_relaxed_max(a, b));
  TEST("i16x8.relaxed_q15mulr_s", BITS, II, wasm_i16x8_relaxed_q15mulr(a, b));
  TEST("i16x8.relaxed_dot_i8x16_i7x16_s", BITS, II, wasm_i16x8_relaxed_dot_i8x16_i7x16(a, b));
  TEST("i32x4.relaxed_dot_i8x16_i7x16_add_s", BITS, II, wasm_i32x4_relaxed_dot_i8x16_i7x16_add(a, b, c));
}
#endif

int main(void) {
  integer_tests();
  memory_tests();
  float_tests();
#if !defined(__wasm_simd128__) || defined(__wasm_relaxed_simd__)
  relaxed_tests();
#endif
  return 0;
}
