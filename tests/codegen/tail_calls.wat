;; Tail calls: return_call and return_call_indirect are musttail calls
;; under tailcc (a jump: the frame is reused), while an ordinary call
;; stays notail (it must take stack, so endless recursion traps).
;; RUN: -O0 --no-safepoints => CHECK
;; RUN: -O2 --no-safepoints => O2
(module
  (type $t (func (param i32 i64) (result i32)))
  (table 1 funcref)
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (export "odd") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
  ;; Fewer parameters than the callee: tailcc still allows musttail.
  (func (export "through_table") (param i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (i64.const 7) (i32.const 0)))
  (func (export "plain") (param i32) (result i32)
    (i32.add (call $even (local.get 0)) (i32.const 1)))
  (func (export "_start")))

;; As emitted (-O0): each return_call* is a musttail call and a ret.
;; CHECK-LABEL: define internal tailcc i32 @wasm_fn_even(
;; CHECK:         musttail call tailcc i32 @wasm_fn_odd(
;; CHECK-NEXT:    ret i32
;; CHECK-LABEL: define internal tailcc i32 @wasm_fn_odd(
;; CHECK:         musttail call tailcc i32 @wasm_fn_even(
;; CHECK-NEXT:    ret i32
;; CHECK-LABEL: define internal tailcc i32 @wasm_fn_through_table(
;; CHECK:         musttail call tailcc i32 %{{[0-9]+}}(ptr %{{[0-9]+}}, i32 %{{[0-9]+}}, i64 7)
;; CHECK-NEXT:    ret i32
;; CHECK-LABEL: define internal tailcc i32 @wasm_fn_plain(
;; CHECK-NOT:     musttail
;; CHECK:         notail call tailcc i32 @wasm_fn_even(
;; CHECK-LABEL: define internal tailcc void @wasm_fn__start(

;; -O2: the optimiser keeps the indirect tail call a musttail call (a
;; jump); even/odd become one loop.
;; O2-LABEL: define internal tailcc {{.*}}i32 @wasm_fn_even(
;; O2-NOT:     call
;; O2:         ret i32
;; O2-LABEL: define internal tailcc {{.*}}i32 @wasm_fn_through_table(
;; O2:         musttail call tailcc i32 %{{[0-9]+}}(ptr %{{[0-9]+}}, i32 %1, i64 7)
;; O2-NEXT:    ret i32
