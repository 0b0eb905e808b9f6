;; Exceptions (e2e/exceptions_test.cc), the legacy instructions: throws
;; caught frames away, through call_indirect, by tag and by catch_all,
;; rethrow, delegate, payloads of every number type, and a million throws
;; in a loop (each caught exception is released). Prints one number a line.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (tag $err (param i32))
  (tag $pair (param i64 f64))
  (tag $empty)
  (type $thrower (func (param i32) (result i32)))
  (table $t funcref (elem $deep_throw $no_throw))

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
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 8))))

  ;; Recurses $n frames, then throws $err(n0 * 10) from the bottom.
  (func $deep_throw (type $thrower) (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (throw $err (i32.const 70))))
    (i32.add (call $deep_throw (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))
  (func $no_throw (type $thrower) (param $n i32) (result i32) (i32.mul (local.get $n) (i32.const 3)))

  ;; 71: caught 100 frames below.
  (func $across_frames (result i32)
    (try (result i32)
      (do (call $deep_throw (i32.const 100)))
      (catch $err (i32.add (i32.const 1)))))

  ;; 72 and 15: through the table; the second call does not throw.
  (func $through_table (param $i i32) (result i32)
    (try (result i32)
      (do (call_indirect $t (type $thrower) (i32.const 5) (local.get $i)))
      (catch $empty (i32.const 0))
      (catch $err (i32.add (i32.const 2)))))

  ;; 12345 and 2 (an i64 and an f64 payload), caught by the second clause.
  (func $pair_payload (result i64 f64)
    (try (result i64 f64)
      (do (throw $pair (i64.const 12345) (f64.const 2.5)))
      (catch $err (drop) (i64.const 0) (f64.const 0))
      (catch $pair)))

  ;; 3: a tag no clause names reaches catch_all.
  (func $catch_all (result i32)
    (try (result i32)
      (do (throw $empty) (i32.const 0))
      (catch $err (drop) (i32.const 1))
      (catch_all (i32.const 3))))

  ;; 74: rethrown from an inner catch, caught again by the caller's try.
  (func $rethrows (result i32)
    (try (result i32)
      (do (call $deep_throw (i32.const 3)))
      (catch $err
        (drop)
        (try (result i32)
          (do (throw $empty))
          (catch_all (rethrow 1))))))
  (func $rethrow_caught (result i32)
    (try (result i32)
      (do (call $rethrows))
      (catch $err (i32.add (i32.const 4)))))

  ;; 75: the inner try delegates to the outer one, past its own catch_all.
  (func $delegates (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do (call $deep_throw (i32.const 2)))
          (delegate $outer)))
      (catch $err (i32.add (i32.const 5)))))

  ;; 76: a branch out of a catch body, then a throw that escapes a catch
  ;; body (its exception released by the cleanup) and is caught outside.
  (func $leaves_catch (result i32)
    (block $out (result i32)
      (try (result i32)
        (do (try (result i32)
              (do (throw $err (i32.const 1)))
              (catch $err (br $out (i32.add (i32.const 75))))))
        (catch_all (i32.const 0)))))
  (func $throw_from_catch (result i32)
    (try (result i32)
      (do (try (result i32)
            (do (throw $err (i32.const 1)))
            (catch $err (drop) (throw $err (i32.const 76)))))
      (catch $err)))

  ;; 1000000: a million throws and catches.
  (func $many (result i64)
    (local $i i32) (local $sum i64)
    (loop $again
      (local.set $sum (i64.add (local.get $sum)
        (i64.extend_i32_u
          (try (result i32)
            (do (throw $err (i32.const 1)))
            (catch $err)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 1000000))))
    (local.get $sum))

  (func (export "_start")
    (local $f f64)
    (call $print (i64.extend_i32_u (call $across_frames)))
    (call $print (i64.extend_i32_u (call $through_table (i32.const 0))))
    (call $print (i64.extend_i32_u (call $through_table (i32.const 1))))
    (call $pair_payload)
    (local.set $f)
    (call $print)
    (call $print (i64.trunc_f64_u (f64.mul (local.get $f) (f64.const 2))))
    (call $print (i64.extend_i32_u (call $catch_all)))
    (call $print (i64.extend_i32_u (call $rethrow_caught)))
    (call $print (i64.extend_i32_u (call $delegates)))
    (call $print (i64.extend_i32_u (call $leaves_catch)))
    (call $print (i64.extend_i32_u (call $throw_from_catch)))
    (call $print (call $many))
    (call $proc_exit (i32.const 0))))
