;; Wasm loops made vectorisable (aot/llvm/address_iv_widening.cc,
;; stream_versioning.cc). $axpy2 is c[j] += a * b[j] as clang for wasm32
;; leaves it: unrolled by two, 32-bit pointers, the second element's
;; address computed as p + 8. Its pointers get 64-bit twins, the loop a
;; copy checked stream by stream (c against b, not c[j] against c[j + 1]),
;; and that copy is vectorised. $conditional's only access runs under a
;; condition, so its pointer may wrap unnoticed: no twin. With
;; --no-fixed-memory (memory base in a register) the passes do nothing.
;; RUN: -O2 => CHECK
;; RUN: -O2 --no-fixed-memory => MOVABLE
(module
  (memory 1)
  (func $axpy2 (export "axpy2") (param $c i32) (param $b i32) (param $n i32) (param $a f64) (local $i i32)
    (local.set $n (i32.and (local.get $n) (i32.const -2)))  ;; an even count: the trip count is known
    (loop $next
      (f64.store (local.get $c)
        (f64.add (f64.load (local.get $c)) (f64.mul (local.get $a) (f64.load (local.get $b)))))
      (f64.store (i32.add (local.get $c) (i32.const 8))
        (f64.add (f64.load (i32.add (local.get $c) (i32.const 8)))
                 (f64.mul (local.get $a) (f64.load (i32.add (local.get $b) (i32.const 8))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $next (i32.ne (local.get $i) (local.get $n)))))
  (func $conditional (export "conditional") (param $p i32) (param $n i32) (result i64) (local $i i32) (local $sum i64)
    (loop $next
      (if (i32.lt_u (local.get $p) (i32.const 65536))
        (then (local.set $sum (i64.add (local.get $sum) (i64.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))
  (func (export "_start")))

;; CHECK-LABEL: define internal void @wasm_fn_axpy2(
;; CHECK:       {{^}}loop{{.*}}.lver.check:
;; CHECK:         address.wide
;; CHECK:       {{^}}vector.body{{.*}}:
;; CHECK:         fmul <{{[0-9]+}} x double>
;; CHECK:         ret void
;; CHECK-LABEL: define internal i64 @wasm_fn_conditional(
;; CHECK-NOT:     address.wide
;; CHECK:         ret i64

;; MOVABLE-LABEL: define internal void @wasm_fn_axpy2(
;; MOVABLE-NOT:     address.wide
;; MOVABLE-NOT:     lver.check
;; MOVABLE:         ret void
