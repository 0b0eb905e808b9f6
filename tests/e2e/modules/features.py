#!/usr/bin/env python3
"""Modules for e2e/features_test.cc that wat2wasm 1.0.32 cannot write:

- rust_features.wasm: what Rust's wasm32 targets enable by default, each
  checked by _start (proc_exit with a distinct code on the first wrong
  value, 0 when all are right): multivalue (a multi-result function, a
  block and a loop with params), call_indirect with its table index as an
  overlong LEB (call-indirect-overlong), memory.fill/memory.copy
  (bulk-memory-opt), saturating float-to-int (nontrapping-fptoint),
  sign extension, reference types (ref.func, ref.is_null, table.size,
  table.get, typed select).
- wide_arithmetic.wasm: a command whose _start checks i64.add128,
  i64.sub128, i64.mul_wide_s/u on values from mutable globals (so nothing
  is folded at compile time); exit codes as above.
- memory64.wasm, multi_memory.wasm: proposals wasixc refuses by name.

    features.py OUT_DIR
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz"))
from wasm_bytes import MAGIC, functype, name, section, sleb, uleb, vec  # noqa: E402

I32, F32 = 0x7F, 0x7D


def i32c(v):
    return b"\x41" + sleb(v)


def expect(value_code, expected, code):
    """Computes a value, then exits with `code` unless it equals `expected`."""
    return value_code + i32c(expected) + b"\x47\x04\x40" + i32c(code) + b"\x10\x00\x0b"  # i32.ne if call 0 end


def body(code, locals_=b"\x00"):
    b = locals_ + code + b"\x0b"
    return uleb(len(b)) + b


def start_module(memories, code_of_start):
    """A command module: proc_exit import, memories as given, _start."""
    return MAGIC + b"".join([
        section(1, vec([functype([I32], []), functype([], [])])),
        section(2, vec([name("wasi_snapshot_preview1") + name("proc_exit") + b"\x00\x00"])),
        section(3, vec([uleb(1)])),
        section(5, vec(memories)),
        section(7, vec([name("_start") + b"\x00" + uleb(1)])),
        section(10, vec([body(code_of_start)])),
    ])


def rust_features():
    types = [functype([I32], []),            # 0 proc_exit
             functype([], []),               # 1 _start
             functype([I32, I32], [I32, I32]),  # 2 swap
             functype([I32], [I32]),         # 3 double, loop type
             functype([I32, I32], [I32])]    # 4 block type with params
    swap = body(b"\x20\x01\x20\x00")
    double = body(b"\x20\x00\x20\x00\x6a")
    overlong_zero_5 = b"\x80\x80\x80\x80\x00"  # table 0 in five bytes
    overlong_zero_2 = b"\x80\x00"
    checks = b"".join([
        # multivalue: swap(1, 2) = (2, 1); 2 - 1
        expect(i32c(1) + i32c(2) + b"\x10\x02" + b"\x6b", 1, 10),
        # a block with params: (7, 5) -> 7 - 5
        expect(i32c(7) + i32c(5) + b"\x02" + sleb(4) + b"\x6b\x0b", 2, 11),
        # call_indirect, table index overlong
        expect(i32c(21) + i32c(0) + b"\x11\x03" + overlong_zero_5, 42, 12),
        expect(i32c(50) + i32c(0) + b"\x11\x03" + overlong_zero_2, 100, 13),
        # saturating conversions: 3e9 -> INT32_MAX, NaN -> 0, -inf -> INT32_MIN
        expect(b"\x43" + struct.pack("<f", 3e9) + b"\xfc\x00", 2147483647, 14),
        expect(b"\x43" + struct.pack("<I", 0x7FC00000) + b"\xfc\x00", 0, 15),
        expect(b"\x43" + struct.pack("<f", float("-inf")) + b"\xfc\x00", -2147483648, 16),
        expect(b"\x43" + struct.pack("<f", -1.0) + b"\xfc\x01", 0, 17),  # trunc_sat_f32_u
        # sign extension
        expect(i32c(0x80) + b"\xc0", -128, 18),           # i32.extend8_s
        expect(i32c(0x18000) + b"\xc1", -32768, 19),      # i32.extend16_s
        # bulk-memory-opt: fill [100, 110) with 'A', copy to 200, read 209
        i32c(100) + i32c(0x41) + i32c(10) + b"\xfc\x0b\x00",
        i32c(200) + i32c(100) + i32c(10) + b"\xfc\x0a\x00\x00",
        expect(i32c(209) + b"\x2d\x00\x00", 0x41, 20),    # i32.load8_u
        expect(i32c(210) + b"\x2d\x00\x00", 0, 21),
        # reference types
        expect(b"\xd2\x03\xd1", 0, 22),                    # ref.func 3, ref.is_null
        expect(b"\xd0\x70\xd1", 1, 23),                    # ref.null func, ref.is_null
        expect(b"\xfc\x10\x00", 1, 24),                    # table.size 0
        expect(i32c(0) + b"\x25\x00\xd1", 0, 25),          # table.get 0, ref.is_null
        expect(i32c(5) + i32c(6) + i32c(0) + b"\x1c\x01\x7f", 6, 26),  # select (result i32)
        # a loop with a param: 3 -> 4
        expect(i32c(3) + b"\x03" + sleb(3) + i32c(1) + b"\x6a\x0b", 4, 27),
    ])
    return MAGIC + b"".join([
        section(1, vec(types)),
        section(2, vec([name("wasi_snapshot_preview1") + name("proc_exit") + b"\x00\x00"])),
        section(3, vec([uleb(1), uleb(2), uleb(3)])),
        section(4, vec([b"\x70\x00\x01"])),
        section(5, vec([b"\x00\x01"])),
        section(7, vec([name("_start") + b"\x00" + uleb(1), name("memory") + b"\x02\x00"])),
        section(9, vec([b"\x00" + i32c(0) + b"\x0b" + vec([uleb(3)])])),
        section(10, vec([body(checks), swap, double])),
    ])


def wide_arithmetic():
    I64 = 0x7E
    m64 = (1 << 64) - 1

    def i64c(v):
        v &= m64
        return b"\x42" + sleb(v - (1 << 64) if v >> 63 else v)

    def half(pair_code, high):
        # (low, high) on the stack -> one of them (local 0 is scratch)
        return pair_code + (b"\x21\x00\x1a\x20\x00" if high else b"\x1a")

    def expect64(value_code, expected, code):
        return value_code + i64c(expected) + b"\x52\x04\x40" + i32c(code) + b"\x10\x00\x0b"  # i64.ne

    g = lambda i: b"\x23" + uleb(i)  # noqa: E731  global.get
    minus1, int64_min, big = g(0), g(1), g(2)
    wide = lambda op: b"\xfc" + uleb(op)  # noqa: E731
    checks = []
    cases = [
        (minus1 + minus1 + wide(22), (1, m64 - 1)),                       # mul_wide_u(-1, -1)
        (minus1 + minus1 + wide(21), (1, 0)),                             # mul_wide_s(-1, -1)
        (int64_min + int64_min + wide(21), (0, 1 << 62)),                 # INT64_MIN^2
        (int64_min + minus1 + wide(21), (1 << 63, 0)),                    # INT64_MIN * -1
        (big + big + wide(22), (((0x9E3779B97F4A7C15 ** 2) & m64), (0x9E3779B97F4A7C15 ** 2) >> 64)),
        (minus1 + i64c(0) + i64c(1) + i64c(0) + wide(19), (0, 1)),        # carry into high
        (minus1 + minus1 + i64c(1) + i64c(0) + wide(19), (0, 0)),         # wraps at 2^128
        (i64c(0) + i64c(0) + minus1 + i64c(0) + wide(20), (1, m64)),      # borrow: 0 - (2^64 - 1)
    ]
    code = 10
    for pair, (low, high) in cases:
        checks.append(expect64(half(pair, False), low, code))
        checks.append(expect64(half(pair, True), high, code + 1))
        code += 2
    glob = lambda v: b"\x7e\x01" + i64c(v) + b"\x0b"  # noqa: E731  mutable i64
    return MAGIC + b"".join([
        section(1, vec([functype([I32], []), functype([], [])])),
        section(2, vec([name("wasi_snapshot_preview1") + name("proc_exit") + b"\x00\x00"])),
        section(3, vec([uleb(1)])),
        section(5, vec([b"\x00\x01"])),
        section(6, vec([glob(-1), glob(1 << 63), glob(0x9E3779B97F4A7C15)])),
        section(7, vec([name("_start") + b"\x00" + uleb(1)])),
        section(10, vec([body(b"".join(checks), locals_=b"\x01\x01" + bytes([I64]))])),
    ])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    modules = {
        "rust_features": rust_features(),
        "wide_arithmetic": wide_arithmetic(),
        # memory64: limits flag 0x04 (64-bit), min 1
        "memory64": start_module([b"\x04\x01"], b""),
        # multi-memory: two memories
        "multi_memory": start_module([b"\x00\x01", b"\x00\x01"], b""),
    }
    for n, data in modules.items():
        with open(os.path.join(out, n + ".wasm"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
