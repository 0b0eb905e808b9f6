// Preprocessor helpers that turn a syscalls.def parameter tuple such as
// (I32, I64, I32) into a C parameter list and an argument list:
//   WX_PARAM_DECLS((I32, I64))  ->  , uint32_t a0, uint64_t a1
//   WX_PARAM_NAMES((I32, I64))  ->  , a0, a1
// (the leading comma follows the context argument). Up to 16 parameters,
// enough for every WASIX call (proc_spawn2 has 14).
#ifndef WASIXC_SYSCALL_MACROS_H
#define WASIXC_SYSCALL_MACROS_H

#include <stdint.h>

#define WX_TYPE_I32 uint32_t
#define WX_TYPE_I64 uint64_t
#define WX_TYPE_F32 float
#define WX_TYPE_F64 double
#define WX_TYPE_ERRNO uint32_t
#define WX_TYPE_VOID void
#define WX_TYPE_ERRNO_ASM uint32_t
#define WX_TYPE_VOID_ASM void

#define WX_CAT(a, b) WX_CAT_(a, b)
#define WX_CAT_(a, b) a##b
#define WX_COUNT(...) \
  WX_COUNT_(__VA_ARGS__ __VA_OPT__(,) 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define WX_COUNT_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N

#define WX_PARAM_DECLS(tuple) WX_DECLS_ tuple
#define WX_DECLS_(...) WX_CAT(WX_D, WX_COUNT(__VA_ARGS__))(__VA_ARGS__)
#define WX_PARAM_NAMES(tuple) WX_NAMES_ tuple
#define WX_NAMES_(...) WX_CAT(WX_N, WX_COUNT(__VA_ARGS__))(__VA_ARGS__)

#define WX_P(t, i) , WX_TYPE_##t a##i
#define WX_D0()
#define WX_D1(a) WX_P(a, 0)
#define WX_D2(a, b) WX_D1(a) WX_P(b, 1)
#define WX_D3(a, b, c) WX_D2(a, b) WX_P(c, 2)
#define WX_D4(a, b, c, d) WX_D3(a, b, c) WX_P(d, 3)
#define WX_D5(a, b, c, d, e) WX_D4(a, b, c, d) WX_P(e, 4)
#define WX_D6(a, b, c, d, e, f) WX_D5(a, b, c, d, e) WX_P(f, 5)
#define WX_D7(a, b, c, d, e, f, g) WX_D6(a, b, c, d, e, f) WX_P(g, 6)
#define WX_D8(a, b, c, d, e, f, g, h) WX_D7(a, b, c, d, e, f, g) WX_P(h, 7)
#define WX_D9(a, b, c, d, e, f, g, h, i) WX_D8(a, b, c, d, e, f, g, h) WX_P(i, 8)
#define WX_D10(a, b, c, d, e, f, g, h, i, j) WX_D9(a, b, c, d, e, f, g, h, i) WX_P(j, 9)
#define WX_D11(a, b, c, d, e, f, g, h, i, j, k) WX_D10(a, b, c, d, e, f, g, h, i, j) WX_P(k, 10)
#define WX_D12(a, b, c, d, e, f, g, h, i, j, k, l) WX_D11(a, b, c, d, e, f, g, h, i, j, k) WX_P(l, 11)
#define WX_D13(a, b, c, d, e, f, g, h, i, j, k, l, m) WX_D12(a, b, c, d, e, f, g, h, i, j, k, l) WX_P(m, 12)
#define WX_D14(a, b, c, d, e, f, g, h, i, j, k, l, m, n) WX_D13(a, b, c, d, e, f, g, h, i, j, k, l, m) WX_P(n, 13)
#define WX_D15(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o) WX_D14(a, b, c, d, e, f, g, h, i, j, k, l, m, n) WX_P(o, 14)
#define WX_D16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) WX_D15(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o) WX_P(p, 15)

#define WX_N0()
#define WX_N1(a) , a0
#define WX_N2(a, b) WX_N1(a), a1
#define WX_N3(a, b, c) WX_N2(a, b), a2
#define WX_N4(a, b, c, d) WX_N3(a, b, c), a3
#define WX_N5(a, b, c, d, e) WX_N4(a, b, c, d), a4
#define WX_N6(a, b, c, d, e, f) WX_N5(a, b, c, d, e), a5
#define WX_N7(a, b, c, d, e, f, g) WX_N6(a, b, c, d, e, f), a6
#define WX_N8(a, b, c, d, e, f, g, h) WX_N7(a, b, c, d, e, f, g), a7
#define WX_N9(a, b, c, d, e, f, g, h, i) WX_N8(a, b, c, d, e, f, g, h), a8
#define WX_N10(a, b, c, d, e, f, g, h, i, j) WX_N9(a, b, c, d, e, f, g, h, i), a9
#define WX_N11(a, b, c, d, e, f, g, h, i, j, k) WX_N10(a, b, c, d, e, f, g, h, i, j), a10
#define WX_N12(a, b, c, d, e, f, g, h, i, j, k, l) WX_N11(a, b, c, d, e, f, g, h, i, j, k), a11
#define WX_N13(a, b, c, d, e, f, g, h, i, j, k, l, m) WX_N12(a, b, c, d, e, f, g, h, i, j, k, l), a12
#define WX_N14(a, b, c, d, e, f, g, h, i, j, k, l, m, n) WX_N13(a, b, c, d, e, f, g, h, i, j, k, l, m), a13
#define WX_N15(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o) WX_N14(a, b, c, d, e, f, g, h, i, j, k, l, m, n), a14
#define WX_N16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) WX_N15(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o), a15

#endif  // WASIXC_SYSCALL_MACROS_H
