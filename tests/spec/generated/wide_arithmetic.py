#!/usr/bin/env python3
"""The wide-arithmetic proposal's instructions (i64.add128, i64.sub128,
i64.mul_wide_s, i64.mul_wide_u: 0xFC 19..22), which wast2json 1.0.32 cannot
parse: hand-encoded modules and commands in wast2json's JSON form, for
spec_runner (ctest spec_wide_arithmetic). Expected values come from the
proposal's semantics computed here with Python's unbounded integers: a
128-bit operand is (low, high), results are (low, high).

    wide_arithmetic.py OUT_DIR   # writes OUT_DIR/wide_arithmetic.json + modules
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz"))
from wasm_bytes import MAGIC, functype, name, section, sleb, uleb, vec  # noqa: E402

I32, I64 = 0x7F, 0x7E
M64 = (1 << 64) - 1
INT64_MIN, INT64_MAX = 1 << 63, (1 << 63) - 1  # as unsigned bit patterns
ADD128, SUB128, MUL_WIDE_S, MUL_WIDE_U = 19, 20, 21, 22


def signed(v):
    return v - (1 << 64) if v >> 63 else v


def wide(code):
    return b"\xfc" + uleb(code)


def local_get(i):
    return b"\x20" + uleb(i)


def i64_const(v):
    return b"\x42" + sleb(signed(v & M64))


def body(code, locals_=()):
    groups = vec([uleb(n) + bytes([t]) for n, t in locals_])
    b = groups + code + b"\x0b"
    return uleb(len(b)) + b


def module(types, funcs, exports=(), extra_before_code=(), globals_=(), table_elems=None, start=None,
           names=None):
    """funcs: [(type index, body bytes)]; exports: [(name, func index)]."""
    sections = [section(1, vec(types)), section(3, vec([uleb(t) for t, _ in funcs]))]
    if table_elems is not None:
        sections.append(section(4, vec([b"\x70\x00" + uleb(len(table_elems))])))
    if globals_:
        sections.append(section(6, vec(globals_)))
    sections.append(section(7, vec([name(n) + b"\x00" + uleb(i) for n, i in exports])))
    if start is not None:
        sections.append(section(8, uleb(start)))
    if table_elems is not None:
        sections.append(section(9, vec([b"\x00\x41\x00\x0b" + vec([uleb(i) for i in table_elems])])))
    sections += list(extra_before_code)
    sections.append(section(10, vec([b for _, b in funcs])))
    if names:
        fn = vec([uleb(i) + name(n) for i, n in names])
        sections.append(section(0, name("name") + b"\x01" + uleb(len(fn)) + fn))
    return MAGIC + b"".join(sections)


def add128(a, b):
    r = ((a[0] | a[1] << 64) + (b[0] | b[1] << 64)) & ((1 << 128) - 1)
    return (r & M64, r >> 64)


def sub128(a, b):
    r = ((a[0] | a[1] << 64) - (b[0] | b[1] << 64)) & ((1 << 128) - 1)
    return (r & M64, r >> 64)


def mul_wide_s(a, b):
    r = (signed(a) * signed(b)) & ((1 << 128) - 1)
    return (r & M64, r >> 64)


def mul_wide_u(a, b):
    r = a * b
    return (r & M64, r >> 64)


class Commands:
    def __init__(self, out_dir):
        self.out_dir, self.commands, self.count = out_dir, [], 0

    def write_module(self, data):
        fname = "wide_arithmetic.%d.wasm" % self.count
        self.count += 1
        with open(os.path.join(self.out_dir, fname), "wb") as f:
            f.write(data)
        return fname

    def module(self, data):
        self.commands.append({"type": "module", "line": len(self.commands), "filename": self.write_module(data)})

    def assert_return(self, field, args, expected):
        val = lambda v: {"type": "i64", "value": str(v & M64)}  # noqa: E731
        self.commands.append({"type": "assert_return", "line": len(self.commands),
                              "action": {"type": "invoke", "field": field, "args": [val(a) for a in args]},
                              "expected": [val(e) for e in expected]})

    def assert_bad(self, kind, data, text):
        self.commands.append({"type": kind, "line": len(self.commands), "filename": self.write_module(data),
                              "text": text, "module_type": "binary"})


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    c = Commands(out_dir)

    # Module 1: each instruction as a function of its own type, the parts
    # of the results, a block with params (multi-value), chained and
    # constant operands, and index spaces the appended functions must not
    # disturb: a function reached through a table, ref.func-free start,
    # exports and names of the original functions.
    types = [functype([I64] * 4, [I64] * 2),  # 0: add128 / sub128
             functype([I64] * 2, [I64] * 2),  # 1: mul_wide
             functype([I64] * 2, [I64]),      # 2: (a, b) -> one half
             functype([I64] * 6, [I64] * 2),  # 3: add3
             functype([], [I64] * 2),         # 4: constants
             functype([], []),                # 5: start
             functype([], [I32])]             # 6: started
    args4 = b"".join(local_get(i) for i in range(4))
    args2 = local_get(0) + local_get(1)
    funcs = [
        (0, body(args4 + wide(ADD128))),                                       # 0
        (0, body(args4 + wide(SUB128))),                                       # 1
        (1, body(args2 + wide(MUL_WIDE_S))),                                   # 2
        (1, body(args2 + wide(MUL_WIDE_U))),                                   # 3
        (2, body(args2 + wide(MUL_WIDE_U) + b"\x21\x02\x1a" + local_get(2), [(1, I64)])),  # 4 high of u
        (2, body(args2 + wide(MUL_WIDE_S) + b"\x1a")),                         # 5 low of s
        # 6: block (type 1) [i64 i64] -> [i64 i64] around mul_wide_s
        (1, body(args2 + b"\x02" + sleb(1) + wide(MUL_WIDE_S) + b"\x0b")),
        # 7: add3: (a + b) + c, 128-bit
        (3, body(args4 + wide(ADD128) + local_get(4) + local_get(5) + wide(ADD128))),
        # 8: -1 * -1 and INT64_MIN * INT64_MIN with constants (folded by LLVM)
        (4, body(i64_const(-1) + i64_const(-1) + wide(MUL_WIDE_S))),
        (4, body(i64_const(INT64_MIN) + i64_const(INT64_MIN) + wide(MUL_WIDE_S))),  # 9
        # 10: call_indirect through the table to function 3 (mul_wide_u)
        (1, body(args2 + b"\x41\x00\x11\x01\x00")),
        # 11: start: sets global 0 to 1
        (5, body(b"\x41\x01\x24\x00")),
        # 12: started: reads it
        (6, body(b"\x23\x00")),
        # 13: a plain call of function 0 (add128), whose index must not move
        (0, body(args4 + b"\x10\x00")),
    ]
    exports = [("add128", 0), ("sub128", 1), ("mul_wide_s", 2), ("mul_wide_u", 3), ("mul_wide_u_high", 4),
               ("mul_wide_s_low", 5), ("mul_wide_s_block", 6), ("add3", 7), ("const_neg1_sq", 8),
               ("const_min_sq", 9), ("mul_wide_u_indirect", 10), ("started", 12), ("call_add128", 13)]
    mut_i32_global = b"\x7f\x01\x41\x00\x0b"
    c.module(module(types, funcs, exports, globals_=[mut_i32_global], table_elems=[3], start=11,
                    names=[(0, "add128"), (3, "mul_wide_u")]))

    edge = [0, 1, 2, M64, M64 - 1, INT64_MIN, INT64_MAX, INT64_MIN + 1, 0xFFFFFFFF, 1 << 32,
            0x123456789ABCDEF0, 0xFEDCBA9876543210]
    rng = random.Random(14)
    pairs = [(a, b) for a in edge for b in edge] + [(rng.getrandbits(64), rng.getrandbits(64)) for _ in range(40)]
    for a, b in pairs:
        c.assert_return("mul_wide_s", [a, b], mul_wide_s(a, b))
        c.assert_return("mul_wide_u", [a, b], mul_wide_u(a, b))
    for a, b in pairs[::7]:
        c.assert_return("mul_wide_u_high", [a, b], [mul_wide_u(a, b)[1]])
        c.assert_return("mul_wide_s_low", [a, b], [mul_wide_s(a, b)[0]])
        c.assert_return("mul_wide_s_block", [a, b], mul_wide_s(a, b))
        c.assert_return("mul_wide_u_indirect", [a, b], mul_wide_u(a, b))
    halves = [0, 1, M64, INT64_MIN, INT64_MAX, 0x8000000000000001]
    quads = [((a, b), (x, y)) for a in halves for b in halves[:4] for x in halves for y in halves[:3]]
    quads += [((rng.getrandbits(64), rng.getrandbits(64)), (rng.getrandbits(64), rng.getrandbits(64)))
              for _ in range(40)]
    for l, r in quads:
        c.assert_return("add128", [l[0], l[1], r[0], r[1]], add128(l, r))
        c.assert_return("sub128", [l[0], l[1], r[0], r[1]], sub128(l, r))
    for l, r in quads[::11]:
        c.assert_return("call_add128", [l[0], l[1], r[0], r[1]], add128(l, r))
        third = (rng.getrandbits(64), rng.getrandbits(64))
        c.assert_return("add3", [l[0], l[1], r[0], r[1], third[0], third[1]], add128(add128(l, r), third))
    # The proposal's own examples: carries and borrows across the halves.
    c.assert_return("add128", [1, 0, M64, 0], (0, 1))
    c.assert_return("add128", [1, 1, M64, M64], (0, 1))
    c.assert_return("sub128", [0, 0, 1, 0], (M64, M64))
    c.assert_return("sub128", [0, 1, 1, 1], (M64, M64))
    c.assert_return("sub128", [0, 0, 1, 1], (M64, M64 - 1))
    c.assert_return("mul_wide_s", [M64, M64], (1, 0))            # -1 * -1
    c.assert_return("mul_wide_u", [M64, M64], (1, M64 - 1))
    c.assert_return("mul_wide_s", [INT64_MIN, M64], (INT64_MIN, 0))  # INT64_MIN * -1 = 2^63
    c.assert_return("const_neg1_sq", [], (1, 0))
    c.assert_return("const_min_sq", [], (0, 1 << 62))
    c.commands.append({"type": "assert_return", "line": len(c.commands),
                       "action": {"type": "invoke", "field": "started", "args": []},
                       "expected": [{"type": "i32", "value": "1"}]})

    # Invalid: operands of the wrong type, a result count that does not fit.
    c.assert_bad("assert_invalid", module([functype([I32] * 4, [I64] * 2)],
                                          [(0, body(args4 + wide(ADD128)))]), "type mismatch")
    c.assert_bad("assert_invalid", module([functype([I64] * 2, [I64])],
                                          [(0, body(args2 + wide(MUL_WIDE_U)))]), "type mismatch")
    c.assert_bad("assert_invalid", module([functype([I64] * 3, [I64] * 2)],
                                          [(0, body(local_get(0) + local_get(1) + local_get(2) + wide(SUB128)))]),
                 "type mismatch")
    # Malformed: a body cut inside an instruction after a wide one, and an
    # unknown 0xFC opcode after one.
    cut = b"\x00" + args2 + wide(MUL_WIDE_U) + b"\x42"  # no locals; i64.const without its immediate
    c.assert_bad("assert_malformed", module([functype([I64] * 2, [I64] * 2)], [(0, uleb(len(cut)) + cut)]),
                 "unexpected end")
    c.assert_bad("assert_malformed", module([functype([I64] * 2, [I64] * 2)],
                                            [(0, body(args2 + wide(MUL_WIDE_U) + wide(99)))]),
                 "unknown opcode")

    with open(os.path.join(out_dir, "wide_arithmetic.json"), "w") as f:
        json.dump({"source_filename": "wide_arithmetic.py", "commands": c.commands}, f, indent=1)


if __name__ == "__main__":
    main()
