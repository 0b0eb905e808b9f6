;; wasixc's deterministic choice for each relaxed SIMD instruction
;; (aot/llvm/emit_simd.cc), on inputs where the permitted choices differ.
;; The suite in ../shared/spec-testsuite has no relaxed SIMD tests; the
;; proposal's own accept every permitted answer, these pin down ours.
(module
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "trunc_f32x4_s") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_s (local.get 0)))
  (func (export "trunc_f32x4_u") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
  (func (export "trunc_f64x2_s_zero") (param v128) (result v128) (i32x4.relaxed_trunc_f64x2_s_zero (local.get 0)))
  (func (export "trunc_f64x2_u_zero") (param v128) (result v128) (i32x4.relaxed_trunc_f64x2_u_zero (local.get 0)))
  (func (export "f32x4.madd") (param v128 v128 v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "f32x4.nmadd") (param v128 v128 v128) (result v128) (f32x4.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "f64x2.madd") (param v128 v128 v128) (result v128) (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "f64x2.nmadd") (param v128 v128 v128) (result v128) (f64x2.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
  ;; Constant operands: nothing may fold them into a fused operation either.
  (func (export "f32x4.madd_const") (result v128)
    (f32x4.relaxed_madd (v128.const f32x4 0x1.001p+0 0x1.001p+0 2 1) (v128.const f32x4 0x1.001p+0 0x1.001p+0 3 1)
                        (v128.const f32x4 -0x1.002p+0 -0x1.002p+0 1 1)))
  (func (export "i8x16.laneselect") (param v128 v128 v128) (result v128) (i8x16.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "i16x8.laneselect") (param v128 v128 v128) (result v128) (i16x8.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "i32x4.laneselect") (param v128 v128 v128) (result v128) (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "i64x2.laneselect") (param v128 v128 v128) (result v128) (i64x2.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "f32x4.min") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
  (func (export "f32x4.max") (param v128 v128) (result v128) (f32x4.relaxed_max (local.get 0) (local.get 1)))
  (func (export "f64x2.min") (param v128 v128) (result v128) (f64x2.relaxed_min (local.get 0) (local.get 1)))
  (func (export "f64x2.max") (param v128 v128) (result v128) (f64x2.relaxed_max (local.get 0) (local.get 1)))
  (func (export "q15mulr") (param v128 v128) (result v128) (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
  (func (export "dot") (param v128 v128) (result v128) (i16x8.dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
  (func (export "dot_add") (param v128 v128 v128) (result v128) (i32x4.dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2)))
)

;; swizzle: every index >= 16 gives 0 (not a[index & 15]).
(assert_return (invoke "swizzle" (v128.const i8x16 0x10 0x11 0x12 0x13 0x14 0x15 0x16 0x17 0x18 0x19 0x1a 0x1b 0x1c 0x1d 0x1e 0x1f)
                                 (v128.const i8x16 0 15 16 128 255 1 31 47 2 3 4 5 6 7 8 9))
               (v128.const i8x16 0x10 0x1f 0 0 0 0x11 0 0 0x12 0x13 0x14 0x15 0x16 0x17 0x18 0x19))

;; trunc: as trunc_sat (NaN -> 0, out of range -> the bound).
(assert_return (invoke "trunc_f32x4_s" (v128.const f32x4 nan 3e9 -3e9 -1.5)) (v128.const i32x4 0 2147483647 -2147483648 -1))
(assert_return (invoke "trunc_f32x4_u" (v128.const f32x4 nan -1.5 5e9 3.9)) (v128.const i32x4 0 0 4294967295 3))
(assert_return (invoke "trunc_f64x2_s_zero" (v128.const f64x2 nan -3e10)) (v128.const i32x4 0 -2147483648 0 0))
(assert_return (invoke "trunc_f64x2_u_zero" (v128.const f64x2 4.7 1e10)) (v128.const i32x4 4 4294967295 0 0))

;; madd/nmadd: unfused. (1 + 2^-12)^2 rounds to 1 + 2^-11 in f32, so
;; a*b - (1 + 2^-11) is 0 (fused, it would be 2^-24).
(assert_return (invoke "f32x4.madd" (v128.const f32x4 0x1.001p+0 0x1.001p+0 2 nan)
                                    (v128.const f32x4 0x1.001p+0 0x1.001p+0 3 1)
                                    (v128.const f32x4 -0x1.002p+0 -0x1.002p+0 1 1))
               (v128.const f32x4 0 0 7 nan:arithmetic))
(assert_return (invoke "f32x4.madd_const") (v128.const f32x4 0 0 7 2))
(assert_return (invoke "f32x4.nmadd" (v128.const f32x4 0x1.001p+0 0x1.001p+0 2 1)
                                     (v128.const f32x4 0x1.001p+0 0x1.001p+0 3 1)
                                     (v128.const f32x4 0x1.002p+0 0x1.002p+0 1 1))
               (v128.const f32x4 0 0 -5 0))
;; f64: (1 + 2^-27)^2 rounds to 1 + 2^-26.
(assert_return (invoke "f64x2.madd" (v128.const f64x2 0x1.0000002p+0 2) (v128.const f64x2 0x1.0000002p+0 3)
                                    (v128.const f64x2 -0x1.0000004p+0 1))
               (v128.const f64x2 0 7))
(assert_return (invoke "f64x2.nmadd" (v128.const f64x2 0x1.0000002p+0 2) (v128.const f64x2 0x1.0000002p+0 3)
                                     (v128.const f64x2 0x1.0000004p+0 1))
               (v128.const f64x2 0 -5))

;; laneselect: bitwise, every bit of the mask (not one per lane).
(assert_return (invoke "i8x16.laneselect" (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1)
                                          (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
                                          (v128.const i8x16 0x0f 0xf0 0x80 0x01 0 0xff 0x55 0xaa 0x7f 0x81 1 2 3 4 5 6))
               (v128.const i8x16 0x0f 0xf0 0x80 0x01 0 0xff 0x55 0xaa 0x7f 0x81 1 2 3 4 5 6))
(assert_return (invoke "i16x8.laneselect" (v128.const i16x8 0x1234 0x1234 0x1234 0x1234 0x1234 0x1234 0x1234 0x1234)
                                          (v128.const i16x8 0xabcd 0xabcd 0xabcd 0xabcd 0xabcd 0xabcd 0xabcd 0xabcd)
                                          (v128.const i16x8 0x00ff 0xff00 0x8000 0x7fff 0 0xffff 0x0f0f 0x8001))
               (v128.const i16x8 0xab34 0x12cd 0x2bcd 0x9234 0xabcd 0x1234 0xa2c4 0x2bcc))
(assert_return (invoke "i32x4.laneselect" (v128.const i32x4 0x12345678 0x12345678 0x12345678 0x12345678)
                                          (v128.const i32x4 0x9abcdef0 0x9abcdef0 0x9abcdef0 0x9abcdef0)
                                          (v128.const i32x4 0xffff0000 0x80000000 0x7fffffff 0))
               (v128.const i32x4 0x1234def0 0x1abcdef0 0x92345678 0x9abcdef0))
(assert_return (invoke "i64x2.laneselect" (v128.const i64x2 -1 -1) (v128.const i64x2 0 0)
                                          (v128.const i64x2 0x8000000000000001 0x00000000ffffffff))
               (v128.const i64x2 0x8000000000000001 0x00000000ffffffff))

;; min/max: as f32x4.min/max (NaN propagates, -0 < +0).
(assert_return (invoke "f32x4.min" (v128.const f32x4 -0 0 nan 1) (v128.const f32x4 0 -0 1 2))
               (v128.const f32x4 -0 -0 nan:arithmetic 1))
(assert_return (invoke "f32x4.max" (v128.const f32x4 -0 0 nan 1) (v128.const f32x4 0 -0 1 2))
               (v128.const f32x4 0 0 nan:arithmetic 2))
(assert_return (invoke "f32x4.min" (v128.const f32x4 1 1 1 1) (v128.const f32x4 nan -nan 0 -inf))
               (v128.const f32x4 nan:arithmetic nan:arithmetic 0 -inf))
(assert_return (invoke "f64x2.min" (v128.const f64x2 -0 nan) (v128.const f64x2 0 1)) (v128.const f64x2 -0 nan:arithmetic))
(assert_return (invoke "f64x2.max" (v128.const f64x2 -0 1) (v128.const f64x2 0 nan)) (v128.const f64x2 0 nan:arithmetic))

;; q15mulr: saturating, as i16x8.q15mulr_sat_s.
(assert_return (invoke "q15mulr" (v128.const i16x8 -32768 -32768 16384 -1 0 0 0 0) (v128.const i16x8 -32768 32767 16384 1 0 0 0 0))
               (v128.const i16x8 32767 -32767 8192 0 0 0 0 0))

;; dot: b's lanes are signed; 16-bit products and pair sums wrap.
(assert_return (invoke "dot" (v128.const i8x16 -128 -128 127 127 1 2 3 4 -1 -2 0 0 0 0 0 0)
                             (v128.const i8x16 -128 -128 127 127 5 6 7 8 -128 127 0 0 0 0 0 0))
               (v128.const i16x8 -32768 32258 17 53 -126 0 0 0))
(assert_return (invoke "dot_add" (v128.const i8x16 -128 -128 127 127 1 2 3 4 -1 -2 0 0 0 0 0 0)
                                 (v128.const i8x16 -128 -128 127 127 5 6 7 8 -128 127 0 0 0 0 0 0)
                                 (v128.const i32x4 1 2 3 4))
               (v128.const i32x4 -509 72 -123 4))
