;; A trap is not an exception (e2e/exceptions_test.cc): catch_all does not
;; see it, the process ends with the trap.
(module
  (func $traps (unreachable))
  (func (export "_start")
    (try (do (call $traps)) (catch_all))))
