;; The wasi-threads ABI without any library: thread-spawn(start_arg)
;; returns a tid; the new thread's wasi_thread_start(tid, start_arg) stores
;; start_arg * 2 and its tid, then returns (which ends the thread); main
;; joins it and exits with the stored value (42) if the tids agree.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasix_32v1" "thread_join" (func $join (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.store (i32.const 4) (local.get $tid))
    (i32.atomic.store (i32.const 0) (i32.mul (local.get $arg) (i32.const 2))))
  (func (export "_start") (local $tid i32)
    (local.set $tid (call $spawn (i32.const 21)))
    (if (i32.le_s (local.get $tid) (i32.const 0)) (then (call $exit (i32.const 1))))
    (drop (call $join (local.get $tid)))
    (if (i32.ne (i32.load (i32.const 4)) (local.get $tid)) (then (call $exit (i32.const 2))))
    (call $exit (i32.atomic.load (i32.const 0)))))
