;; Interruptible code (aot/llvm/interruptible.cc, the default for
;; executables): signals run the handler wherever the code is, so after
;; optimisation a loop's poll is only a compiler barrier (no load of the
;; pending word, no call); every store to __stack_pointer is volatile
;; between two barriers, so the instance always holds the current value;
;; a memory.fill of unknown length (the host's memset) is followed by a
;; real poll, one of 16 bytes (expanded inline) is not. With
;; --poll-safepoints the loop polls and the stack pointer is a plain store.
;; RUN: -O1 => INTR
;; RUN: -O2 => INTR
;; RUN: -O1 --poll-safepoints => POLL
(module
  (memory 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (func $frame (export "frame") (param $n i32) (result i32) (local $sp i32)
    (global.set $__stack_pointer
      (local.tee $sp (i32.sub (global.get $__stack_pointer) (i32.const 1024))))
    (i32.store (local.get $sp) (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load (local.get $sp))))
        (i32.store (local.get $sp) (i32.sub (i32.load (local.get $sp)) (i32.const 1)))
        (br $next)))
    (global.set $__stack_pointer (i32.add (local.get $sp) (i32.const 1024)))
    (i32.load offset=4 (local.get $sp)))
  (func $fill (export "fill") (param $p i32) (param $n i32)
    (memory.fill (local.get $p) (i32.const 0) (local.get $n))
    (memory.fill (local.get $p) (i32.const 1) (i32.const 16)))
  (func (export "_start")))

;; INTR-LABEL: define internal i32 @wasm_fn_frame(
;; INTR:         add i32 {{.*}}, -1024
;; INTR-NEXT:    fence syncscope("singlethread") seq_cst
;; INTR-NEXT:    store volatile i32
;; INTR-NEXT:    fence syncscope("singlethread") seq_cst
;; INTR-NOT:     load volatile
;; INTR-NOT:     wasixc_safepoint
;; INTR:         fence syncscope("singlethread") seq_cst
;; INTR-NOT:     wasixc_safepoint
;; INTR:         fence syncscope("singlethread") seq_cst
;; INTR-NEXT:    store volatile i32
;; INTR-NEXT:    fence syncscope("singlethread") seq_cst
;; INTR:         ret i32
;; INTR-LABEL: define internal void @wasm_fn_fill(
;; INTR:         call void @llvm.memset
;; INTR-NEXT:    getelementptr inbounds i8, ptr %0, i64 8
;; INTR-NEXT:    load volatile i32
;; INTR:         call preserve_mostcc void @wasixc_safepoint(ptr
;; INTR:         call void @llvm.memset.p0.i64(ptr {{.*}}, i8 1, i64 16
;; INTR-NEXT:    ret void

;; POLL-LABEL: define internal i32 @wasm_fn_frame(
;; POLL-NOT:     store volatile
;; POLL:         load volatile i32
;; POLL:         call preserve_mostcc void @wasixc_safepoint
;; POLL:         ret i32
