;; Imports fd_write with the wrong signature.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))
  (func (export "_start")))
