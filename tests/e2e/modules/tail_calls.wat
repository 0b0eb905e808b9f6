;; Tail calls (e2e/tail_calls_test.cc): chains of return_call and
;; return_call_indirect far deeper than any stack could hold, between
;; functions with different parameter lists (some passed on the native
;; stack), and return_call to host functions. Prints one number per line.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (type $wide (func (param i64 i64 i32 i32 i32 i32 i32 i32 i32 i32) (result i64)))
  (type $narrow (func (param i64 i64) (result i64)))
  (type $open (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (table $t funcref (elem $wide_step $narrow_step $path_open))

  ;; 10,000,000 frames if the calls were not tail calls.
  (func $even (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))))))
  (func $odd (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (return_call $even (i64.sub (local.get $n) (i64.const 1))))))

  ;; Ten parameters (five of them on the native stack) and two, through the
  ;; table: every argument must arrive intact on every step.
  (func $wide_step (type $wide)
    (param $n i64) (param $acc i64) (param $a i32) (param $b i32) (param $c i32) (param $d i32)
    (param $e i32) (param $f i32) (param $g i32) (param $h i32) (result i64)
    (if (i32.or (i32.or (i32.or (i32.ne (local.get $a) (i32.const 2)) (i32.ne (local.get $b) (i32.const 3)))
                        (i32.or (i32.ne (local.get $c) (i32.const 4)) (i32.ne (local.get $d) (i32.const 5))))
                (i32.or (i32.or (i32.ne (local.get $e) (i32.const 6)) (i32.ne (local.get $f) (i32.const 7)))
                        (i32.or (i32.ne (local.get $g) (i32.const 8)) (i32.ne (local.get $h) (i32.const 9)))))
      (then unreachable))
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call_indirect $t (type $narrow)
      (i64.sub (local.get $n) (i64.const 1))
      (i64.add (local.get $acc) (i64.extend_i32_u (local.get $h)))
      (i32.const 1)))
  (func $narrow_step (type $narrow) (param $n i64) (param $acc i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
    (return_call_indirect $t (type $wide)
      (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 1))
      (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)
      (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9)
      (i32.const 0)))

  ;; Multiple results through a chain of return_calls.
  (func $pair (param $n i32) (param $x i64) (param $y i64) (result i64 i64)
    (if (result i64 i64) (i32.eqz (local.get $n))
      (then (local.get $x) (local.get $y))
      (else (return_call $pair (i32.sub (local.get $n) (i32.const 1))
              (local.get $y) (i64.add (local.get $x) (local.get $y))))))

  ;; return_call to a host function, and a syscall with stack arguments
  ;; called through the table.
  (func $write_tail (param $iov i32) (result i32)
    (return_call $fd_write (i32.const 1) (local.get $iov) (i32.const 1) (i32.const 8)))
  (func $open_bad_fd (result i32)
    (return_call_indirect $t (type $open)
      (i32.const 99) (i32.const 0) (i32.const 200) (i32.const 1) (i32.const 0)
      (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 16) (i32.const 2)))

  (func $print (param $v i64)
    (local $p i32)
    (i32.store8 (i32.const 131) (i32.const 10))
    (local.set $p (i32.const 131))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $v) (i64.const 0))))
    (i32.store (i32.const 32) (local.get $p))
    (i32.store (i32.const 36) (i32.sub (i32.const 132) (local.get $p)))
    (if (i32.ne (call $write_tail (i32.const 32)) (i32.const 0)) (then unreachable)))

  (func (export "_start")
    (local $x i64)
    (call $print (call $even (i64.const 10000000)))
    (call $print (call $even (i64.const 9999999)))
    (call $print (call $narrow_step (i64.const 1000000) (i64.const 0)))
    (call $pair (i32.const 90) (i64.const 0) (i64.const 1))
    (local.set $x)
    (call $print)
    (call $print (local.get $x))
    (call $print (i64.extend_i32_u (call $open_bad_fd)))
    (call $proc_exit (i32.const 7))))
