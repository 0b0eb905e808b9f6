;; SIMD128 becomes LLVM vector IR (aot/llvm/emit_simd.cc): a v128 is a
;; <2 x i64> at function boundaries and bitcast to its lane shape; memory
;; accesses are unaligned vector loads without checks; shift counts are
;; masked to the lane width; a float operation LLVM folds to a move (x + -0)
;; still quiets a NaN.
;; RUN: -O2 => CHECK
(module
  (memory 1)
  (func $add (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func $fmul (export "fmul") (param v128 v128) (result v128) (f32x4.mul (local.get 0) (local.get 1)))
  (func $load (export "load") (param i32) (result v128) (v128.load offset=16 (local.get 0)))
  (func $shl (export "shl") (param v128 i32) (result v128) (i16x8.shl (local.get 0) (local.get 1)))
  (func $sat (export "sat") (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0)))
  (func $fadd0 (export "fadd0") (param v128) (result v128) (f32x4.add (local.get 0) (v128.const f32x4 -0 -0 -0 -0)))
  (func (export "_start")))

;; CHECK-LABEL: define internal <2 x i64> @wasm_fn_add(ptr {{.*}}, <2 x i64> %1, <2 x i64> %2)
;; CHECK:         add <4 x i32>
;; CHECK-LABEL: define internal <2 x i64> @wasm_fn_fmul(
;; CHECK:         fmul <4 x float>
;; CHECK-LABEL: define internal <2 x i64> @wasm_fn_load(
;; CHECK-NOT:     icmp
;; CHECK:         load <2 x i64>, ptr %{{[0-9]+}}, align 1
;; CHECK-LABEL: define internal <2 x i64> @wasm_fn_shl(
;; CHECK:         and i16 %{{[0-9]+}}, 15
;; CHECK:         shl <8 x i16>
;; CHECK-LABEL: define internal <2 x i64> @wasm_fn_sat(
;; CHECK:         @llvm.fptosi.sat.v4i32.v4f32
;; CHECK-LABEL: define internal <2 x i64> @wasm_fn_fadd0(
;; CHECK:         fcmp uno <4 x float>
;; CHECK:         <i32 4194304, i32 4194304, i32 4194304, i32 4194304>
