#!/usr/bin/env python3
"""Wide arithmetic becomes i128 IR inline (aot/lowering/wide_arithmetic.cc,
aot/llvm/emit_intrinsics.cc): i64.mul_wide_u is one i128 multiply of
zero-extended operands (x86-64: one mulq), mul_wide_s of sign-extended
ones, add128/sub128 one i128 add/sub; no call is left to the appended
intrinsic functions. Writes the module: wide_arithmetic.py OUT.wasm
(wat2wasm 1.0.32 cannot assemble the proposal).

;; RUN: -O2 => CHECK
;; CHECK-LABEL: define internal { i64, i64 } @wasm_fn_mul_wide_u(
;; CHECK-NOT:     call
;; CHECK:         zext i64 %{{.*}} to i128
;; CHECK:         zext i64 %{{.*}} to i128
;; CHECK:         mul nuw i128
;; CHECK-NOT:     mul
;; CHECK-NOT:     call
;; CHECK:         ret { i64, i64 }
;; CHECK-LABEL: define internal { i64, i64 } @wasm_fn_mul_wide_s(
;; CHECK-NOT:     call
;; CHECK:         sext i64 %{{.*}} to i128
;; CHECK:         mul nsw i128
;; CHECK-NOT:     call
;; CHECK:         ret { i64, i64 }
;; CHECK-LABEL: define internal { i64, i64 } @wasm_fn_add128(
;; CHECK-NOT:     call
;; CHECK:         add i128
;; CHECK-NOT:     call
;; CHECK:         ret { i64, i64 }
;; CHECK-LABEL: define internal { i64, i64 } @wasm_fn_sub128(
;; CHECK-NOT:     call
;; CHECK:         sub i128
;; CHECK-NOT:     call
;; CHECK:         ret { i64, i64 }
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz"))
from wasm_bytes import MAGIC, uleb, name, vec, section  # noqa: E402


def main():
    i64 = b"\x7e"
    types = [b"\x60" + vec([i64] * 2) + vec([i64] * 2), b"\x60" + vec([i64] * 4) + vec([i64] * 2),
             b"\x60\x00\x00"]
    get = lambda n: b"".join(b"\x20" + uleb(i) for i in range(n))  # noqa: E731
    bodies = [get(2) + b"\xfc\x16", get(2) + b"\xfc\x15", get(4) + b"\xfc\x13", get(4) + b"\xfc\x14", b""]
    funcs = [0, 0, 1, 1, 2]
    names = ["mul_wide_u", "mul_wide_s", "add128", "sub128", "_start"]
    code = vec([uleb(len(b"\x00" + b + b"\x0b")) + b"\x00" + b + b"\x0b" for b in bodies])
    fn_names = vec([uleb(i) + name(n) for i, n in enumerate(names)])
    module = MAGIC + b"".join([
        section(1, vec(types)),
        section(3, vec([uleb(t) for t in funcs])),
        section(7, vec([name(n) + b"\x00" + uleb(i) for i, n in enumerate(names)])),
        section(10, code),
        section(0, name("name") + b"\x01" + uleb(len(fn_names)) + fn_names),
    ])
    with open(sys.argv[1], "wb") as f:
        f.write(module)


if __name__ == "__main__":
    main()
