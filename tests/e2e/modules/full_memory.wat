;; A memory that starts at 4 GiB (65536 pages): every 32-bit address is
;; valid, so the runtime's 65535-page cap does not apply and address IVs
;; are not widened (aot/llvm/address_iv_widening.cc). A pointer walking
;; from 0xfffffff0 wraps to 0 with an access every iteration; the loads
;; read 1 + 2 + 3 + 4.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 65536)
  (global $top (mut i32) (i32.const 0xfffffff0))
  (global $four (mut i32) (i32.const 4))
  (func (export "_start") (local $p i32) (local $i i32) (local $sum i64)
    (i64.store (i32.const 0xfffffff0) (i64.const 1))
    (i64.store (i32.const 0xfffffff8) (i64.const 2))
    (i64.store (i32.const 0) (i64.const 3))
    (i64.store (i32.const 8) (i64.const 4))
    (if (i32.ne (memory.grow (i32.const 0)) (i32.const 65536)) (then (call $exit (i32.const 20))))
    (local.set $p (global.get $top))
    (loop $next
      (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (global.get $four))))
    (call $exit (i32.wrap_i64 (local.get $sum)))))
