;; Checks generated code performs before trapping operations.
;; RUN: -O2 --no-safepoints => CHECK
(module
  (type $t (func (result i32)))
  (table 2 funcref)
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "indirect") (param i32) (result i32)
    (call_indirect (type $t) (local.get 0)))
  (func (export "_start")))

;; i32.div_s: divisor zero -> "integer divide by zero" (code 5), then
;; INT_MIN / -1 -> "integer overflow" (code 6), then the division.
;; CHECK-LABEL: define internal i32 @wasm_fn_div(
;; CHECK:         icmp eq i32 %2, 0
;; CHECK:         icmp eq i32 %1, -2147483648
;; CHECK:         icmp eq i32 %2, -1
;; CHECK-DAG:     sdiv i32 %1, %2
;; CHECK-DAG:     call void @wasixc_trap(i32 5)
;; CHECK-DAG:     call void @wasixc_trap(i32 6)

;; call_indirect: bounds (undefined element, 10), null (uninitialized
;; element, 15), signature (indirect call type mismatch, 9), then a call
;; that is never a tail call (stack exhaustion must stay possible).
;; CHECK-LABEL: define internal i32 @wasm_fn_indirect(
;; CHECK-DAG:     icmp ugt i32
;; CHECK-DAG:     icmp eq ptr
;; CHECK-DAG:     icmp eq i32
;; CHECK-DAG:     notail call i32 %
;; CHECK-DAG:     call void @wasixc_trap(i32 10)
;; CHECK-DAG:     call void @wasixc_trap(i32 15)
;; CHECK-DAG:     call void @wasixc_trap(i32 9)
;; CHECK-LABEL: define internal void @wasm_fn__start(
