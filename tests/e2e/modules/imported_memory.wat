;; Imports its memory (as wasix-libc programs do), writes through it and
;; prints with fd_write; a start function runs before _start.
(module
  (import "env" "memory" (memory 1 16))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (data (i32.const 100) "start ran\n")
  (data (i32.const 200) "memory imported\n")
  (global $started (mut i32) (i32.const 0))
  (func $init (global.set $started (i32.const 1)))
  (start $init)
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (if (global.get $started) (then (call $print (i32.const 100) (i32.const 10))))
    (call $print (i32.const 200) (i32.const 16))
    ;; memory.grow on an imported memory with max 16: 15 more pages fit, 16 do not
    (if (i32.ne (memory.grow (i32.const 15)) (i32.const 1)) (then (call $exit (i32.const 10))))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then (call $exit (i32.const 11))))
    (i32.store (i32.const 0xffffc) (i32.const 7))
    (call $exit (i32.load (i32.const 0xffffc)))))
