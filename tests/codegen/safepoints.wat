;; Where the LLVM backend polls the pending word (aot/llvm/poll_placement.h):
;; at loop headers, on entry to functions that can recurse through direct
;; calls (themselves or mutually), and just before a call_indirect that can
;; reach back into its caller's cycle ($via_table: no entry poll); none in
;; loop-free non-recursive functions, none in a loop that first calls a
;; polling function, none at all with --no-safepoints. The slow path is a
;; preserve_most call. A call_indirect reaches only the table's functions
;; of its own signature: $other_sig calls through the table but nothing can
;; call it back. A loop whose every iteration first makes such a polling
;; call_indirect has no header poll ($counted_indirect), and that poll is
;; never taken out of a counted loop (poll_versioning.cc).
;; RUN: -O1 --poll-safepoints => CHECK
;; RUN: -O1 --no-safepoints => NOSAFE
;; RUN: -O2 --poll-safepoints => OPT
(module
  (type $t (func (param i32) (result i32)))
  (type $u (func (param i32 i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $via_table $leaf $other_sig $counted_indirect)
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
  (func $calls_leaf (export "calls_leaf") (param i32) (result i32)
    (call $leaf (local.get 0)))
  (func $self (export "self") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $self (i32.sub (local.get 0) (i32.const 1))))))
  (func $ping (export "ping") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $pong (i32.sub (local.get 0) (i32.const 1))))))
  (func $pong (param i32) (result i32)
    (call $ping (local.get 0)))
  (func $via_table (export "via_table") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
  (func $other_sig (export "other_sig") (type $u) (param i32 i32) (result i32)
    (call_indirect (type $t) (local.get 0) (local.get 1)))
  (func $counted_indirect (export "counted_indirect") (param $n i32) (result i32) (local $i i32)
    (loop $next
      (local.set $n (call_indirect (type $t) (local.get $n) (i32.const 3)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 4))))
    (local.get $n))
  (func $loop_calls_self (export "loop_calls_self") (param $n i32) (result i32) (local $acc i32)
    (loop $next
      (local.set $acc (i32.add (local.get $acc) (call $self (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $next (local.get $n)))
    (local.get $acc))
  (func $loop_calls_self_late (export "loop_calls_self_late") (param $n i32) (result i32) (local $acc i32)
    (loop $next
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $next (i32.and (local.get $n) (i32.const 1)))
      (local.set $acc (i32.add (local.get $acc) (call $self (local.get $n))))
      (br_if $next (local.get $n)))
    (local.get $acc))
  (func (export "_start")))

;; CHECK-LABEL: define internal i32 @wasm_fn_sum(
;; CHECK:       entry:
;; CHECK-NOT:     load volatile
;; CHECK:       loop:
;; CHECK:         load volatile i32
;; CHECK:         call preserve_mostcc void @wasixc_safepoint(ptr nonnull %0)
;; CHECK:         ret i32
;; CHECK-LABEL: define internal i32 @wasm_fn_leaf(
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         mul i32 %1, 3
;; CHECK-LABEL: define internal i32 @wasm_fn_calls_leaf(
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         ret i32
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_self(
;; CHECK:         load volatile i32
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_ping(
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_{{pong|f5}}(
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK-LABEL: define internal i32 @wasm_fn_via_table(
;; CHECK-NEXT:  entry:
;; CHECK-NOT:     load volatile
;; CHECK:       else:
;; CHECK:         load volatile i32
;; CHECK:         br i1 %{{.*}}, !wasixc.poll.indirect_call
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK:         notail call i32 %
;; CHECK-LABEL: define internal i32 @wasm_fn_other_sig(
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         icmp eq i32
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         ret i32
;; CHECK-LABEL: define internal i32 @wasm_fn_counted_indirect(
;; CHECK-NOT:     load volatile
;; CHECK:       loop:
;; CHECK:         load volatile i32
;; CHECK-NEXT:    icmp
;; CHECK-NEXT:    br i1 %{{.*}}, !wasixc.poll.indirect_call
;; CHECK-NOT:     load volatile
;; CHECK:         notail call i32 %
;; CHECK-NOT:     load volatile
;; CHECK:         ret i32
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_loop_calls_self(
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         call i32 @wasm_fn_self
;; CHECK-NOT:     wasixc_safepoint
;; CHECK:         ret i32
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_loop_calls_self_late(
;; CHECK:       loop:
;; CHECK:         call preserve_mostcc void @wasixc_safepoint
;; CHECK:         call i32 @wasm_fn_self

;; NOSAFE-NOT:  wasixc_safepoint(
;; NOSAFE-LABEL: define internal i32 @wasm_fn_sum(
;; NOSAFE-NOT:  load volatile
;; NOSAFE-LABEL: define internal i32 @wasm_fn_leaf(
;; NOSAFE-NEXT: entry:
;; NOSAFE-NEXT:   mul i32 %1, 3

;; At -O2 the four-iteration loop is unrolled; each call keeps its poll.
;; OPT-LABEL: define internal i32 @wasm_fn_counted_indirect(
;; OPT-COUNT-4:   br i1 %{{.*}}, !wasixc.poll.indirect_call
;; OPT-NOT:       load volatile
;; OPT:           ret i32
