;; Innermost counted loops lose their polls (aot/llvm/poll_versioning.cc):
;; a small constant trip count drops the poll, a count known on entry gets a
;; poll-free copy chosen when the count is small, a loop whose exit depends
;; on memory keeps its poll, unless every way round it passes another poll
;; (here the polls before call_indirects that can reach back into their
;; caller): $both_branches_call has no header poll, $one_branch_calls keeps
;; it (the other branch goes round without polling).
;; RUN: -O2 --poll-safepoints => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $both_branches_call $one_branch_calls)
  (func $both_branches_call (export "both_branches_call") (type $t) (param $n i32) (result i32)
    (loop $next
      (if (i32.and (local.get $n) (i32.const 1))
        (then (local.set $n (call_indirect (type $t) (local.get $n) (i32.const 0))))
        (else (local.set $n (call_indirect (type $t) (i32.add (local.get $n) (i32.const 5)) (i32.const 1)))))
      (br_if $next (i32.load (local.get $n))))
    (local.get $n))
  (func $one_branch_calls (export "one_branch_calls") (type $t) (param $n i32) (result i32)
    (loop $next
      (if (i32.and (local.get $n) (i32.const 1))
        (then (local.set $n (call_indirect (type $t) (local.get $n) (i32.const 0)))))
      (local.set $n (i32.add (local.get $n) (i32.const 3)))
      (br_if $next (i32.load (local.get $n))))
    (local.get $n))
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

;; CHECK-LABEL: define internal i32 @wasm_fn_both_branches_call(
;; CHECK:       {{^}}loop:
;; CHECK-NOT:     load volatile
;; CHECK:         br i1
;; CHECK:         load volatile i32
;; CHECK-NEXT:    icmp
;; CHECK-NEXT:    br i1 %{{.*}}, !wasixc.poll.indirect_call
;; CHECK:         load volatile i32
;; CHECK-NEXT:    icmp
;; CHECK-NEXT:    br i1 %{{.*}}, !wasixc.poll.indirect_call
;; CHECK:         ret i32
;; CHECK-LABEL: define internal i32 @wasm_fn_one_branch_calls(
;; CHECK:       {{^}}loop:
;; CHECK-NEXT:    phi
;; CHECK-NEXT:    load volatile i32
;; CHECK-NEXT:    icmp
;; CHECK-NEXT:    br i1 %{{.*}}, !prof !{{[0-9]+$}}
;; CHECK:         ret i32
;; CHECK-LABEL: define internal void @wasm_fn_eight(
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         ret void
;; CHECK-LABEL: define internal void @wasm_fn_counted(
;; CHECK:         icmp ult i32 {{.*}}, {{6553[67]}}
;; CHECK:       {{^}}loop{{.*}}.nopoll:
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK-LABEL: define internal void @wasm_fn_until_flag(
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
