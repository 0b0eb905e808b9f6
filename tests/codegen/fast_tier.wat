;; -O1, the fast tier (aot/llvm/llvm_backend.cc, fast_tier_pipeline): locals
;; leave their allocas and the wasm-to-LLVM patterns fold, but nothing that
;; the wasm's own compiler already did runs again: no inlining, no loop
;; passes, so every loop keeps its poll. -O2 runs LLVM's whole pipeline
;; (the call is inlined, the short loop's poll removed).
;; RUN: -O1 --poll-safepoints => FAST
;; RUN: -O2 --poll-safepoints => FULL
(module
  (memory 1)
  (func $leaf (export "leaf") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3)))
  (func $calls_leaf (export "calls_leaf") (param $x i32) (result i32) (local $t i32)
    (local.set $t (call $leaf (local.get $x)))
    (i32.add (local.get $t) (i32.const 1)))
  (func $eight (export "eight") (param $p i32) (local $i i32)
    (loop $next
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 8)))))
  (func (export "_start")))

;; FAST-LABEL: define internal i32 @wasm_fn_calls_leaf(
;; FAST-NOT:     alloca
;; FAST:         call i32 @wasm_fn_leaf(
;; FAST:         ret i32
;; FAST-LABEL: define internal void @wasm_fn_eight(
;; FAST-NOT:     alloca
;; FAST:         call preserve_mostcc void @wasixc_safepoint
;; FAST:         ret void

;; FULL-LABEL: define internal i32 @wasm_fn_calls_leaf(
;; FULL-NOT:     call
;; FULL:         ret i32
;; FULL-LABEL: define internal void @wasm_fn_eight(
;; FULL-NOT:     wasixc_safepoint
;; FULL:         ret void
