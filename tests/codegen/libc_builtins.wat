;; libc's memcpy/memmove/memset/strlen/memcmp, recognised by name and C
;; signature, become memory.copy/memory.fill, a bounded host memchr and a
;; host memcmp over the bytes in bounds, in their bodies and at direct call
;; sites; strcspn at call sites becomes the host's when the memory's last
;; byte is NUL, else the call (aot/llvm/libc_builtins.cc); other functions
;; keep their bodies.
;; RUN: -O1 --poll-safepoints => CHECK
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
  (func $memcmp (export "memcmp") (param i32 i32 i32) (result i32)
    (i32.const 9))
  (func $strcspn (export "strcspn") (param i32 i32) (result i32)
    (i32.const 11))
  (func $caller (export "caller") (param i32 i32 i32) (result i32)
    (drop (call $memcpy (local.get 0) (local.get 1) (local.get 2)))
    (call $strcspn (local.get 0) (local.get 1)))
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
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_memcmp(
;; CHECK:         call {{.*}}@llvm.umin.i64(
;; CHECK:         [[R:%.*]] = {{.*}}call i32 @memcmp(
;; CHECK:         icmp eq i32 [[R]], 0
;; CHECK:         ret i32 [[R]]
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_strcspn(
;; CHECK:         ret i32 11
;; CHECK-LABEL: define internal {{.*}}i32 @wasm_fn_caller(
;; CHECK-NOT:     call {{.*}}@wasm_fn_memcpy(
;; CHECK:         call void @llvm.memmove
;; CHECK:         icmp eq i8 {{.*}}, 0
;; CHECK:         call i64 @strcspn(
;; CHECK:         phi i32 [ {{.*}}, %strcspn.host ]
