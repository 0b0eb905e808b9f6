;; Well-formed but invalid: i32.add applied to an i64 (built with
;; wat2wasm --no-check).
(module
  (func (export "_start") (drop (i32.add (i32.const 1) (i64.const 2)))))
