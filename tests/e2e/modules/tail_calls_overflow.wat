;; tail_calls.wat's even/odd recursion with plain calls: the same depth
;; exhausts the stack (e2e/tail_calls_test.cc), so tail_calls.wat's run
;; shows that return_call really does not grow it.
(module
  (func $even (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (call $odd (i64.sub (local.get $n) (i64.const 1))))))
  (func $odd (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (call $even (i64.sub (local.get $n) (i64.const 1))))))
  (func (export "_start") (drop (call $even (i64.const 10000000)))))
