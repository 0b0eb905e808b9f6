;; Innermost counted loops lose their polls (aot/llvm/poll_versioning.cc):
;; a small constant trip count drops the poll, a count known on entry gets a
;; poll-free copy chosen when the count is small, a loop whose exit depends
;; on memory keeps its poll.
;; RUN: -O2 => CHECK
(module
  (memory 1)
  (func $eight (export "eight") (param $p i32) (local $i i32)
    (loop $next
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 8)))))
  (func $counted (export "counted") (param $p i32) (param $n i32) (local $i i32)
    (loop $next
      (i32.store (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n)))))
  (func $until_flag (export "until_flag") (param $p i32)
    (loop $next
      (br_if $next (i32.eqz (i32.load (local.get $p))))))
  (func (export "_start")))

;; CHECK-LABEL: define internal void @wasm_fn_eight(
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         ret void
;; CHECK-LABEL: define internal void @wasm_fn_counted(
;; CHECK:         icmp ult i32 {{.*}}, {{6553[67]}}
;; CHECK:       {{^}}loop{{.*}}.nopoll:
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK-LABEL: define internal void @wasm_fn_until_flag(
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
