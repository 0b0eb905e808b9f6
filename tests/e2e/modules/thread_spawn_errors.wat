;; thread-spawn in a module that cannot have threads (no wasi_thread_start
;; export, an unshared memory): the negated errno comes back; the module
;; exits with it (76 ENOTCAPABLE for the llvm backend, 58 ENOTSUP for the
;; C backend, which has no threads at all).
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func (export "_start")
    (call $exit (i32.sub (i32.const 0) (call $spawn (i32.const 0))))))
