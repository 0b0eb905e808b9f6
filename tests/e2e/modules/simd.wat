;; SIMD: the C backend must refuse it by name.
(module
  (func (export "_start") (drop (v128.const i32x4 1 2 3 4))))
