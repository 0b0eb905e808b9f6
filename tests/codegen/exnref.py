#!/usr/bin/env python3
"""Exnref exceptions on the host unwinder (aot/lowering/exnref.cc,
aot/llvm/emit_exceptions.cc): a call inside a try_table is an `invoke`
and the path that does not throw makes no other call (no registration,
no check); catch_all_ref takes a reference to the caught exception
(wasixc_exception_retain) and leaves it by a branch; throw_ref tests
for null (the trap) and raises the same exception again
(wasixc_exception_rethrow). Writes the module: exnref.py OUT.wasm
(wat2wasm 1.0.32 cannot assemble the proposal).

;; RUN: -O2 => CHECK
;; CHECK-LABEL: define internal i32 @wasm_fn_guarded(
;; CHECK-NOT:     @wasixc_exception
;; CHECK:         invoke void %{{.*}}(ptr
;; CHECK-NEXT:      to label %{{.*}} unwind label %lpad
;; CHECK:       lpad:
;; CHECK:         @wasixc_exception_tag(
;; CHECK-NOT:     @wasixc_exception_retain
;; CHECK:         @wasixc_exception_release(
;; CHECK-LABEL: define internal void @wasm_fn_rethrow_ref(
;; CHECK:         invoke void %{{.*}}(ptr
;; CHECK:       lpad:
;; CHECK:         %[[EXN:.*]] = tail call ptr @wasixc_exception_retain(ptr
;; CHECK:         call void @wasixc_exception_release(ptr
;; CHECK:         icmp eq ptr %[[EXN]], null
;; CHECK:         call void @wasixc_exception_rethrow(ptr nonnull %[[EXN]])
;; CHECK:         call void @wasixc_trap(i32 {{[0-9]+}})
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz"))
from wasm_bytes import MAGIC, name, section, uleb, vec  # noqa: E402


def body(code):
    b = b"\x00" + code + b"\x0b"
    return uleb(len(b)) + b


def main():
    types = [b"\x60\x01\x7f\x00", b"\x60\x00\x01\x7f", b"\x60\x00\x00"]
    callee = b"\x01"  # nop; called through the table, so it may throw as far as the caller knows
    call = b"\x41\x00\x11\x02\x00"  # i32.const 0  call_indirect (type 2) (table 0)
    # block (result i32) try_table (catch tag 0 -> 0) call end i32.const 5 end
    guarded = b"\x02\x7f\x1f\x40\x01\x00\x00\x00" + call + b"\x0b\x41\x05\x0b"
    # block (result exnref) try_table (catch_all_ref -> 0) call end unreachable end throw_ref
    rethrow_ref = b"\x02\x69\x1f\x40\x01\x03\x00" + call + b"\x0b\x00\x0b\x0a"
    funcs = [(2, callee), (1, guarded), (2, rethrow_ref)]
    exports = [name("guarded") + b"\x00\x01", name("rethrow_ref") + b"\x00\x02"]
    names = vec([uleb(i) + name(n) for i, n in enumerate(["callee", "guarded", "rethrow_ref"])])
    module = (MAGIC + section(1, vec(types)) + section(3, vec([uleb(t) for t, _ in funcs])) +
              section(4, vec([b"\x70\x00\x01"])) + section(13, vec([b"\x00\x00"])) + section(7, vec(exports)) +
              section(9, vec([b"\x00\x41\x00\x0b" + vec([uleb(0)])])) +
              section(10, vec([body(c) for _, c in funcs])) +
              section(0, name("name") + b"\x01" + uleb(len(names)) + names))
    with open(sys.argv[1], "wb") as f:
        f.write(module)


if __name__ == "__main__":
    main()
