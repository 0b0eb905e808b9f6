;; call_indirect through a frozen table of the module's own (nothing can
;; change it after instantiation: not imported, not exported, no
;; table.set/grow/fill/copy/init) reads the wasixc_table inline in the
;; instance: the bounds check compares with the declared size (a constant),
;; the data pointer is one invariant load from the instance, no load of the
;; table's pointer slot. An exported table keeps the size read from its
;; descriptor at every call (an importer may grow it).
;; RUN: -O2 --no-safepoints => CHECK
(module
  (type $t (func (param i32) (result i32)))
  (table $own 5 funcref)
  (table $shared (export "shared") 3 funcref)
  (elem (table $own) (i32.const 0) func $double)
  (elem (table $shared) (i32.const 0) func $double)
  (func $double (param i32) (result i32)
    (i32.add (local.get 0) (local.get 0)))
  (func $via_own (export "via_own") (param i32) (result i32)
    (call_indirect $own (type $t) (i32.const 7) (local.get 0)))
  (func $via_shared (export "via_shared") (param i32) (result i32)
    (call_indirect $shared (type $t) (i32.const 7) (local.get 0)))
  (func (export "_start")))

;; CHECK-LABEL: define internal i32 @wasm_fn_via_own(
;; CHECK-NEXT:  entry:
;; CHECK-NEXT:    icmp ugt i32 %1, 4
;; CHECK-NOT:     load
;; CHECK:         [[DATA:%[0-9]+]] = load ptr, ptr %{{[0-9]+}}, align 8, !invariant.load
;; CHECK-NEXT:    [[I:%[0-9]+]] = zext nneg i32 %1 to i64
;; CHECK-NEXT:    [[SLOT:%[0-9]+]] = getelementptr inbounds ptr, ptr [[DATA]], i64 [[I]]
;; CHECK-NEXT:    load ptr, ptr [[SLOT]], align 8, !invariant.load
;; CHECK:         call void @wasixc_trap(i32 10)
;; CHECK-LABEL: define internal i32 @wasm_fn_via_shared(
;; CHECK:         [[TABLE:%[0-9]+]] = load ptr, ptr
;; CHECK:         [[SIZEP:%[0-9]+]] = getelementptr inbounds i8, ptr [[TABLE]], i64 8
;; CHECK-NEXT:    [[SIZE:%[0-9]+]] = load i32, ptr [[SIZEP]]
;; CHECK-NEXT:    icmp ugt i32 [[SIZE]], %1
