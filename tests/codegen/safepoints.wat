;; Where the LLVM backend polls the pending word: at every function entry
;; and every loop header; none with --no-safepoints.
;; RUN: -O1 => CHECK
;; RUN: -O1 --no-safepoints => NOSAFE
(module
  (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func $leaf (export "leaf") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3)))
  (func (export "_start")))

;; CHECK-LABEL: define internal i32 @wasm_fn_sum(
;; CHECK:       entry:
;; CHECK-NEXT:    [[PENDING:%.*]] = getelementptr inbounds i8, ptr %0, i64 8
;; CHECK-NEXT:    load volatile i32, ptr [[PENDING]]
;; CHECK:         call void @wasixc_safepoint(ptr nonnull %0)
;; CHECK:       loop:
;; CHECK:         load volatile i32, ptr [[PENDING]]
;; CHECK:         call void @wasixc_safepoint(ptr nonnull %0)
;; CHECK:         ret i32
;; CHECK-LABEL: define internal i32 @wasm_fn_leaf(
;; CHECK:         load volatile i32
;; CHECK:         call void @wasixc_safepoint
;; CHECK:         mul i32 %1, 3

;; NOSAFE-NOT:  wasixc_safepoint(
;; NOSAFE-LABEL: define internal i32 @wasm_fn_sum(
;; NOSAFE-NOT:  load volatile
;; NOSAFE-LABEL: define internal i32 @wasm_fn_leaf(
;; NOSAFE-NEXT: entry:
;; NOSAFE-NEXT:   mul i32 %1, 3
