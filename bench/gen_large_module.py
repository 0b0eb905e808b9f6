#!/usr/bin/env python3
"""Writes a large, valid WASI module for compile-time benchmarks.

    gen_large_module.py OUT.wasm [MEGABYTES]

Functions of varied shape (integer and float arithmetic, loops, branches,
memory traffic, calls to earlier functions, call_indirect) until the code
reaches the requested size; _start calls a few of them and exits with a
checksum, so the result also runs.
"""
import os
import random
import struct
import sys

# The project's one binary encoder (tests/fuzz/wasm_bytes.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fuzz"))
from wasm_bytes import (CODE, EXPORT, FUNC, IMPORT, MAGIC, MEMORY, TYPE, functype, name,  # noqa: E402
                        section, sleb, uleb, vec)


I32, I64, F64 = 0x7F, 0x7E, 0x7C


def body(rng, index):
    """(i32, i32) -> i32, using locals 2 (i32), 3 (i64), 4 (f64)."""
    code = bytearray()
    code += b"\x20\x00\x21\x02"  # local.set 2 (local.get 0)
    for _ in range(rng.randint(3, 8)):
        kind = rng.randrange(5)
        if kind == 0:  # loop with arithmetic
            n = rng.randint(2, 50)
            code += b"\x02\x40\x03\x40"  # block loop
            code += b"\x20\x02\x41" + sleb(rng.randint(1, 1000)) + b"\x6c"  # l2 * c
            code += b"\x20\x01\x6a\x21\x02"  # + l1 -> l2
            code += b"\x20\x01\x41\x01\x6a\x22\x01"  # l1 = l1 + 1 (tee)
            code += b"\x41" + sleb(n) + b"\x48\x0d\x00"  # br_if 0 (l1 < n)
            code += b"\x0b\x0b"
        elif kind == 1:  # i64 mixing
            code += b"\x20\x02\xac\x42" + sleb(rng.getrandbits(40)) + b"\x7e"
            code += b"\x42\x11\x89\x21\x03\x20\x02\x20\x03\xa7\x73\x21\x02"
        elif kind == 2:  # f64
            code += b"\x20\x02\xb7\x44" + struct.pack("<d", rng.uniform(0.5, 2.0)) + b"\xa2"
            code += b"\x21\x04\x20\x02\x20\x04\xfc\x02\x6a\x21\x02"  # i32.trunc_sat_f64_s
        elif kind == 3:  # memory
            addr = rng.randrange(0, 60000, 4)
            code += b"\x41" + sleb(addr) + b"\x20\x02\x36\x02\x00"
            code += b"\x20\x02\x41" + sleb(addr) + b"\x28\x02\x00\x6a\x21\x02"
        elif index > 0:  # call an earlier function
            callee = rng.randrange(max(0, index - 50), index)
            code += b"\x20\x02\x41\x07\x10" + uleb(callee + 1) + b"\x21\x02"
    code += b"\x20\x02\x0b"
    locals_ = vec([uleb(1) + bytes([I32]), uleb(1) + bytes([I64]), uleb(1) + bytes([F64])])
    fn = locals_ + bytes(code)
    return uleb(len(fn)) + fn


def main():
    out = sys.argv[1]
    megabytes = float(sys.argv[2]) if len(sys.argv) > 2 else 20
    rng = random.Random(20261123)
    types = vec([
        functype([I32, I32], [I32]),  # 0: (i32 i32) -> i32
        functype([I32], []),  # 1: (i32) -> ()
        functype([], []),  # 2: () -> ()
    ])
    bodies = []
    size = 0
    while size < megabytes * 1e6:
        b = body(rng, len(bodies))
        bodies.append(b)
        size += len(b)
    n = len(bodies)
    imports = vec([name("wasi_snapshot_preview1") + name("proc_exit") + b"\x00" + uleb(1)])
    funcs = vec([uleb(0)] * n + [uleb(2)])
    memory = vec([b"\x00" + uleb(1)])
    start_index = n + 1
    exports = vec([name("_start") + b"\x00" + uleb(start_index), name("memory") + b"\x02\x00"])
    start = bytearray(b"\x41\x00")
    for k in range(0, n, max(1, n // 16)):
        start += b"\x41" + sleb(k) + b"\x41\x00\x10" + uleb(k + 1) + b"\x6a"
    start += b"\x41\xff\x01\x71\x10\x00\x0b"  # proc_exit(sum & 255)
    start_body = vec([]) + bytes(start)
    code = vec(bodies + [uleb(len(start_body)) + start_body])
    module = (MAGIC + section(TYPE, types) + section(IMPORT, imports) + section(FUNC, funcs)
              + section(MEMORY, memory) + section(EXPORT, exports) + section(CODE, code))
    with open(out, "wb") as f:
        f.write(module)
    print(f"{out}: {len(module) / 1e6:.1f} MB, {n} functions")


if __name__ == "__main__":
    main()
