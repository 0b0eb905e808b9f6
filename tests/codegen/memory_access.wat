;; Linear-memory accesses: base + zext(index) + offset, no bounds check
;; (the guard reservation faults instead); an unused load stays, made
;; volatile, so its out-of-bounds trap is kept; used loads stay plain.
;; The base is the constant 0x60000000 (memory 0 at a fixed address), or
;; with --no-fixed-memory an invariant load from the instance.
;; RUN: -O2 --no-safepoints => CHECK
;; RUN: -O2 --no-safepoints --no-fixed-memory => MOVABLE
(module
  (memory 1)
  (func (export "load") (param i32) (result i32)
    (i32.load offset=16 (local.get 0)))
  (func (export "dropped") (param i32)
    (drop (i64.load (local.get 0))))
  (func (export "store") (param i32 i32)
    (i32.store8 (local.get 0) (local.get 1)))
  (func (export "_start")))

;; CHECK-LABEL: define internal i32 @wasm_fn_load(
;; CHECK-NEXT:  entry:
;; CHECK-NEXT:    [[IDX:%.*]] = zext i32 %1 to i64
;; CHECK-NEXT:    [[EA:%.*]] = getelementptr inbounds i8, ptr inttoptr (i64 1610612736 to ptr), i64 [[IDX]]
;; CHECK-NEXT:    [[P:%.*]] = getelementptr inbounds i8, ptr [[EA]], i64 16
;; CHECK-NEXT:    [[V:%.*]] = load i32, ptr [[P]], align 1
;; CHECK-NEXT:    ret i32 [[V]]
;; MOVABLE-LABEL: define internal i32 @wasm_fn_load(
;; MOVABLE-NEXT:  entry:
;; MOVABLE-NEXT:    [[BASEP:%.*]] = getelementptr inbounds i8, ptr %0, i64 32
;; MOVABLE-NEXT:    [[BASE:%.*]] = load ptr, ptr [[BASEP]], align 8, !invariant.load
;; MOVABLE-NEXT:    [[IDX:%.*]] = zext i32 %1 to i64
;; MOVABLE-NEXT:    [[EA:%.*]] = getelementptr inbounds i8, ptr [[BASE]], i64 [[IDX]]
;; MOVABLE-NEXT:    [[P:%.*]] = getelementptr inbounds i8, ptr [[EA]], i64 16
;; MOVABLE-NEXT:    [[V:%.*]] = load i32, ptr [[P]], align 1
;; MOVABLE-NEXT:    ret i32 [[V]]
;; CHECK-LABEL: define internal void @wasm_fn_dropped(
;; CHECK:         load volatile i64
;; CHECK-NEXT:    ret void
;; CHECK-LABEL: define internal void @wasm_fn_store(
;; CHECK-NOT:     icmp
;; CHECK:         store i8
