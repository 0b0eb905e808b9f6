;; Imports two functions wasixc does not provide; _start calls one of them.
(module
  (import "env" "not_provided" (func $np (param i32) (result i64)))
  (import "mylib" "helper" (func $helper))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "_start") (call $helper) (call $exit (i32.const 0))))
