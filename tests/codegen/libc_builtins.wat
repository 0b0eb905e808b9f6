;; libc's memcpy/memmove/memset/strlen, recognised by name and C signature,
;; become memory.copy/memory.fill and a bounded host memchr
;; (aot/llvm/libc_builtins.cc); other functions keep their bodies.
;; RUN: -O1 => CHECK
(module
  (memory 1)
  (func $memcpy (export "memcpy") (param i32 i32 i32) (result i32)
    (loop $l (br_if $l (i32.const 0)))
    (local.get 0))
  (func $memset (export "memset") (param i32 i32 i32) (result i32)
    (local.get 0))
  (func $strlen (export "strlen") (param i32) (result i32)
    (i32.const 7))
  (func $memmove (export "memmove") (param i32 i32) (result i32)
    (i32.const 5))
  (func (export "_start")))

;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_memcpy(
;; CHECK:         call void @llvm.memmove
;; CHECK:         ret i32 %1
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_memset(
;; CHECK:         call void @llvm.memset
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_strlen(
;; CHECK:         call {{.*}}@memchr(
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_memmove(
;; CHECK-NOT:     llvm.memmove
;; CHECK:         ret i32 5
