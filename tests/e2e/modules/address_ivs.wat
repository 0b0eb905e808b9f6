;; Loops whose 32-bit address IVs the -O2 pipeline may widen to 64 bits
;; (aot/llvm/address_iv_widening.cc), at the edges where widening would be
;; wrong if the conditions were not checked. The mode is the argument
;; count (args_sizes_get); the result is the exit status. Loop bounds live
;; in mutable globals so no compiler folds them.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 0xfffffff0))
  (global $four (mut i32) (i32.const 4))
  (global $many (mut i32) (i32.const 100000))

  ;; An unconditional access walks off the end of memory: the trap comes
  ;; exactly there (in-bounds reads before it are fine).
  (func $walk_off_end (result i32) (local $p i32) (local $i i32) (local $sum i64)
    (local.set $p (i32.const 65472))
    (loop $next
      (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (global.get $many))))
    (i32.wrap_i64 (local.get $sum)))

  ;; The pointer wraps from 0xfffffff8 to 0 where only a conditional access
  ;; uses it: no widening (a 64-bit pointer would fault at 4 GiB), and the
  ;; loads at 0 and 8 read 5 + 7.
  (func $conditional_wrap (result i32) (local $p i32) (local $i i32) (local $sum i64)
    (i64.store (i32.const 0) (i64.const 5))
    (i64.store (i32.const 8) (i64.const 7))
    (local.set $p (global.get $top))
    (loop $next
      (if (i32.lt_u (local.get $p) (i32.const 65536))
        (then (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (global.get $four))))
    (i32.wrap_i64 (local.get $sum)))

  ;; An unrolled copy at p - 8 runs before the access at p: the copy's
  ;; address is not derived from p's 64-bit twin, and the walk still traps
  ;; at the end of memory, not before.
  (func $copy_before_origin (result i32) (local $p i32) (local $i i32) (local $sum i64)
    (local.set $p (i32.const 65480))
    (loop $next
      (local.set $sum (i64.add (local.get $sum) (i64.load (i32.sub (local.get $p) (i32.const 8)))))
      (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (global.get $many))))
    (i32.wrap_i64 (local.get $sum)))

  ;; A memory that starts below 4 GiB grows to 65535 pages, not 65536.
  (func $grow_to_top (result i32)
    (if (i32.ne (memory.grow (i32.const 65534)) (i32.const 1)) (then (return (i32.const 20))))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (return (i32.const 21))))
    (if (i32.ne (memory.size) (i32.const 65535)) (then (return (i32.const 22))))
    (i64.store (i32.const 0xfffefff8) (i64.const 42))
    (i32.wrap_i64 (i64.load (i32.const 0xfffefff8))))

  (func (export "_start") (local $argc i32)
    (drop (call $args_sizes (i32.const 16) (i32.const 20)))
    (local.set $argc (i32.load (i32.const 16)))
    (if (i32.eq (local.get $argc) (i32.const 2)) (then (call $exit (call $walk_off_end))))
    (if (i32.eq (local.get $argc) (i32.const 3)) (then (call $exit (call $conditional_wrap))))
    (if (i32.eq (local.get $argc) (i32.const 4)) (then (call $exit (call $copy_before_origin))))
    (if (i32.eq (local.get $argc) (i32.const 5)) (then (call $exit (call $grow_to_top))))
    (call $exit (i32.const 99))))
