;; A throw that escapes _start (e2e/exceptions_test.cc): a clean trap.
(module
  (tag $err (param i32))
  (func $thrower (throw $err (i32.const 1)))
  (func (export "_start")
    (try (do (call $thrower)) (catch_all (rethrow 0)))))
