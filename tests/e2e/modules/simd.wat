;; SIMD: the C backend must refuse it by name; the llvm backend compiles it.
(module
  (func (export "_start") (drop (v128.const i32x4 1 2 3 4))))
