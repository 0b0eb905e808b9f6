#!/usr/bin/env python3
"""Exnref exceptions (WebAssembly 3.0: try_table, throw_ref, exnref), which
wast2json 1.0.32 cannot parse: modules written in the text format here,
assembled by binaryen's wasm-as (npm, pinned in tests/asyncify/package.json),
and commands in wast2json's JSON form for spec_runner (ctest spec_exnref).
Expected values follow from the proposal's semantics (a catch clause
branches to its label with the tag's payload, *_ref clauses add the
exnref; throw_ref of null traps) and are written next to each module.
A few modules are hand-encoded bytes (malformed or invalid ones, which
wasm-as would refuse to write).

    exnref.py OUT_DIR WASM_AS   # writes OUT_DIR/exnref.json + modules
"""
import json
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz"))
from wasm_bytes import MAGIC, name, section, uleb, vec  # noqa: E402

FEATURES = ["--enable-exception-handling", "--enable-reference-types", "--enable-multivalue"]

# Each entry: (module text, [commands]); a command is
# ("return", export, [args], [results]) | ("trap", export, [args], text) | ("exception", export, [args]).
# Values are (type, python value); f32/f64 are written as their bit patterns.
CASES = []


def case(wat, *commands):
    CASES.append((wat, list(commands)))


TAGS = """
  (tag $i (param i32))
  (tag $l (param i64))
  (tag $f (param f32))
  (tag $d (param f64))
  (tag $multi (param i32 i64 f32 f64))
  (tag $empty)
  (func $throw_i (param i32) (throw $i (local.get 0)))
"""

# Each catch clause kind, each payload type, multi-value payloads.
case(f"""(module {TAGS}
  (func (export "catch_i") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $i $h) (call $throw_i (local.get 0)))
      (i32.const -1)))
  (func (export "catch_l") (result i64)
    (block $h (result i64)
      (try_table (catch $l $h) (throw $l (i64.const 0x123456789abcdef0)))
      (i64.const -1)))
  (func (export "catch_f") (result f32)
    (block $h (result f32)
      (try_table (catch $f $h) (throw $f (f32.const -1.5)))
      (f32.const 0)))
  (func (export "catch_d") (result f64)
    (block $h (result f64)
      (try_table (catch $d $h) (throw $d (f64.const 6.25e100)))
      (f64.const 0)))
  (func (export "catch_multi") (result i32 i64 f32 f64)
    (block $h (result i32 i64 f32 f64)
      (try_table (catch $multi $h)
        (throw $multi (i32.const 7) (i64.const -8) (f32.const 0.5) (f64.const -0.25)))
      (unreachable)))
  ;; The first matching clause wins; a non-matching tag is skipped.
  (func (export "clause_order") (param i32) (result i32)
    (block $all
      (block $by_l (result i64)
        (block $by_i (result i32)
          (try_table (catch $l $by_l) (catch $i $by_i) (catch_all $all)
            (if (i32.eq (local.get 0) (i32.const 0)) (then (throw $i (i32.const 10))))
            (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $l (i64.const 20))))
            (throw $empty))
          (unreachable))
        (return))
      (return (i32.wrap_i64)))
    (i32.const 1000))
  (func (export "catch_all_then_clause") (result i32)
    (block $all
      (block $i (result i32)
        (try_table (catch_all $all) (catch $i $i) (call $throw_i (i32.const 5)))
        (unreachable))
      (return))
    (i32.const 99))
  (func (export "catch_all_ref") (result i32)
    (local $x exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $empty))
      (unreachable))
    (local.set $x)
    (i32.eqz (ref.is_null (local.get $x))))
  (func (export "catch_ref_payload") (result i64 i32)
    (block $h (result i64 exnref)
      (try_table (catch_ref $l $h) (throw $l (i64.const 41)))
      (unreachable))
    (ref.is_null)
    (i32.eqz))
  (func (export "no_throw") (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $i $h) (i32.const 3))))
  (func (export "no_clauses") (result i32)
    (try_table (result i32) (i32.const 4)))
)""",
     ("return", "catch_i", [("i32", 42)], [("i32", 42)]),
     ("return", "catch_i", [("i32", -1 & 0xffffffff)], [("i32", 0xffffffff)]),
     ("return", "catch_l", [], [("i64", 0x123456789abcdef0)]),
     ("return", "catch_f", [], [("f32", -1.5)]),
     ("return", "catch_d", [], [("f64", 6.25e100)]),
     ("return", "catch_multi", [], [("i32", 7), ("i64", -8), ("f32", 0.5), ("f64", -0.25)]),
     ("return", "clause_order", [("i32", 0)], [("i32", 10)]),
     ("return", "clause_order", [("i32", 1)], [("i32", 20)]),
     ("return", "clause_order", [("i32", 2)], [("i32", 1000)]),
     ("return", "catch_all_then_clause", [], [("i32", 99)]),
     ("return", "catch_all_ref", [], [("i32", 1)]),
     ("return", "catch_ref_payload", [], [("i64", 41), ("i32", 1)]),
     ("return", "no_throw", [], [("i32", 3)]),
     ("return", "no_clauses", [], [("i32", 4)]))

# Nesting, branch depths crossing try_table, loops, br_table; throw_ref to
# outer handlers (same function, across frames, through call_indirect);
# throw_ref of null; exnref in params, locals, globals, tables and block
# results; legacy try and try_table in one module.
case(f"""(module {TAGS}
  (global $saved (mut exnref) (ref.null exn))
  (table $exns 2 exnref)
  (type $t (func (param i32) (result i32)))
  (table $fns funcref (elem $catch_in_callee $rethrow_in_callee))

  (func (export "nested") (param i32) (result i32)
    (block $outer (result i64)
      (block $inner (result i32)
        (try_table (catch $l $outer)
          (try_table (catch $i $inner)
            (if (local.get 0) (then (throw $l (i64.const 0))))
            (call $throw_i (i32.const 1)))
          (unreachable))
        (unreachable))
      (i32.add (i32.const 100))
      (return))
    (drop) (i32.const 200))
  ;; Branches out of a try_table body skip its handler; br_table too.
  (func (export "branch_out") (param i32) (result i32)
    (block $a (result i32)
      (block $b (result i32)
        (block $h (result i32)
          (try_table (catch $i $h)
            (i32.const 11)
            (br_table $a $b $h (local.get 0)))
          (unreachable))
        (i32.add (i32.const 1000))
        (return))
      (i32.add (i32.const 2000))
      (return))
    (i32.add (i32.const 3000)))
  (func (export "br_if_depth") (param i32) (result i32)
    (block $out (result i32)
      (try_table (result i32) (catch $i $out)
        (block $in
          (try_table (catch $empty $in)
            (drop (br_if $out (i32.const 7) (local.get 0)))
            (throw $empty)))
        (i32.const 50))))
  ;; A catch that branches to a loop: count the throws until 5.
  (func (export "loop") (result i32)
    (local $n i32)
    (loop $again
      (try_table (catch_all $again)
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (i32.lt_u (local.get $n) (i32.const 5)) (then (throw $empty)))))
    (local.get $n))
  ;; catch_all_ref, then throw_ref: an outer handler sees the tag and payload.
  (func $rethrow_in_callee (param i32) (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $throw_i (local.get 0)))
      (unreachable))
    (throw_ref))
  (func (export "rethrow_to_caller") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $i $h) (drop (call $rethrow_in_callee (local.get 0))))
      (i32.const -1)))
  (func (export "rethrow_payload") (result i32 i64 f32 f64)
    (block $outer (result i32 i64 f32 f64)
      (try_table (catch $multi $outer)
        (block $h (result i32 i64 f32 f64 exnref)
          (try_table (catch_ref $multi $h)
            (throw $multi (i32.const 1) (i64.const 2) (f32.const 3.5) (f64.const 4.75)))
          (unreachable))
        (throw_ref)
        (unreachable))
      (unreachable)))
  ;; Twice rethrown, caught again each time.
  (func (export "rethrow_twice") (result i32)
    (local $x exnref)
    (local $sum i32)
    (block $h1 (result i32 exnref)
      (try_table (catch_ref $i $h1) (call $throw_i (i32.const 3)))
      (unreachable))
    (local.set $x)
    (local.set $sum)
    (block $h2 (result i32)
      (try_table (catch $i $h2) (throw_ref (local.get $x)))
      (unreachable))
    (local.set $sum (i32.add (local.get $sum)))
    (block $h3 (result i32)
      (try_table (catch $i $h3) (throw_ref (local.get $x)))
      (unreachable))
    (i32.add (local.get $sum)))
  (func (export "throw_null") (throw_ref (ref.null exn)))
  (func (export "throw_null_local") (local $x exnref) (throw_ref (local.get $x)))
  (func (export "uncaught_rethrow") (param i32) (result i32)
    (call $rethrow_in_callee (local.get 0)))
  ;; exnref as a parameter, in a global and a table.
  (func $throw_param (param exnref) (throw_ref (local.get 0)))
  (func $catch_into_global (param i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $throw_i (local.get 0)))
      (unreachable))
    (global.set $saved))
  (func (export "via_global") (param i32) (result i32)
    (call $catch_into_global (local.get 0))
    (block $h (result i32)
      (try_table (catch $i $h) (call $throw_param (global.get $saved)))
      (i32.const -1)))
  (func (export "via_table") (param i32) (result i32)
    (local $x exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (call $throw_i (local.get 0)))
      (unreachable))
    (local.set $x)
    (table.set $exns (i32.const 1) (local.get $x))
    (if (i32.eqz (ref.is_null (table.get $exns (i32.const 0)))) (then (unreachable)))
    (block $h2 (result i32)
      (try_table (catch $i $h2) (throw_ref (table.get $exns (i32.const 1))))
      (i32.const -1)))
  (func (export "select_exnref") (param i32) (result i32)
    (ref.is_null (select (result exnref) (ref.null exn) (global.get $saved) (local.get 0))))
  ;; Catches inside functions called through call_indirect.
  (func $catch_in_callee (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $i $h) (call $throw_i (i32.add (local.get 0) (i32.const 1))))
      (i32.const -1)))
  (func (export "indirect_catch") (param i32) (result i32)
    (call_indirect $fns (type $t) (local.get 0) (i32.const 0)))
  (func (export "indirect_rethrow") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $i $h) (drop (call_indirect $fns (type $t) (local.get 0) (i32.const 1))))
      (i32.const -1)))
  ;; Legacy try and try_table mixed: each catches what the other rethrows.
  (func (export "legacy_catches_throw_ref") (param i32) (result i32)
    (try (result i32)
      (do (drop (call $rethrow_in_callee (local.get 0))) (i32.const -1))
      (catch $i (i32.add (i32.const 500)))))
  (func (export "try_table_catches_rethrow") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $i $h)
        (try
          (do (call $throw_i (local.get 0)))
          (catch_all (rethrow 0))))
      (i32.const -1)))
  (func (export "delegate_in_try_table") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $i $h)
        (try $outer
          (do (try (do (call $throw_i (local.get 0))) (delegate $outer)))
          (catch_all (rethrow $outer))))
      (i32.const -1)))
)""",
     ("return", "nested", [("i32", 0)], [("i32", 101)]),
     ("return", "nested", [("i32", 1)], [("i32", 200)]),
     ("return", "branch_out", [("i32", 0)], [("i32", 3011)]),
     ("return", "branch_out", [("i32", 1)], [("i32", 2011)]),
     ("return", "branch_out", [("i32", 2)], [("i32", 1011)]),
     ("return", "branch_out", [("i32", 9)], [("i32", 1011)]),
     ("return", "br_if_depth", [("i32", 1)], [("i32", 7)]),
     ("return", "br_if_depth", [("i32", 0)], [("i32", 50)]),
     ("return", "loop", [], [("i32", 5)]),
     ("return", "rethrow_to_caller", [("i32", 77)], [("i32", 77)]),
     ("return", "rethrow_payload", [], [("i32", 1), ("i64", 2), ("f32", 3.5), ("f64", 4.75)]),
     ("return", "rethrow_twice", [], [("i32", 9)]),
     ("trap", "throw_null", [], "null exception reference"),
     ("trap", "throw_null_local", [], "null exception reference"),
     ("exception", "uncaught_rethrow", [("i32", 1)]),
     ("return", "via_global", [("i32", 31)], [("i32", 31)]),
     ("return", "select_exnref", [("i32", 1)], [("i32", 1)]),
     ("return", "select_exnref", [("i32", 0)], [("i32", 0)]),
     ("return", "via_table", [("i32", 32)], [("i32", 32)]),
     ("return", "indirect_catch", [("i32", 40)], [("i32", 41)]),
     ("return", "indirect_rethrow", [("i32", 50)], [("i32", 50)]),
     ("return", "legacy_catches_throw_ref", [("i32", 6)], [("i32", 506)]),
     ("return", "try_table_catches_rethrow", [("i32", 8)], [("i32", 8)]),
     ("return", "delegate_in_try_table", [("i32", 9)], [("i32", 9)]))


def encode_value(t, v):
    if t == "f32":
        return str(struct.unpack("<I", struct.pack("<f", v))[0])
    if t == "f64":
        return str(struct.unpack("<Q", struct.pack("<d", v))[0])
    bits = 32 if t == "i32" else 64
    return str(v & ((1 << bits) - 1))


def values(vs):
    return [{"type": t, "value": encode_value(t, v)} for t, v in vs]


def invalid_modules():
    """(bytes, why): modules the loader must refuse with an error."""
    functype_void = b"\x60\x00\x00"
    tag_sec = section(13, vec([b"\x00\x00"]))  # tag of type 0: []
    def module(body_code, types=(functype_void,)):
        body = b"\x00" + body_code + b"\x0b"
        return (MAGIC + section(1, vec(list(types))) + section(3, vec([uleb(0)])) + tag_sec +
                section(10, vec([uleb(len(body)) + body])))
    return [
        # try_table with a catch clause of kind 4 (there are 0-3).
        (module(b"\x1f\x40\x01\x04\x00\x0b"), "invalid catch clause kind"),
        # catch_ref to a label with no results: the payload (an exnref) does not fit.
        (module(b"\x02\x40\x1f\x40\x01\x03\x00\x0b\x0b"), "label type mismatch"),
        # throw_ref with an i32 operand.
        (module(b"\x41\x00\x0a"), "throw_ref of an i32"),
        # catch naming a tag that does not exist.
        (module(b"\x02\x40\x1f\x40\x01\x00\x05\x00\x0b\x0b"), "unknown tag"),
        # try_table body cut short (no end).
        (module(b"\x1f\x40\x00"), "unterminated try_table"),
    ]


def block_params_module():
    """try_table and a catch's loop label with block parameters (a type
    index), which wasm-as would turn into locals: hand-encoded.
      params(x):     block (result i32) (local.get 0)
                       try_table (param i32) (result i32) (catch $t 0)
                         i32.const 1  i32.add  (if (x >= 10) throw $t 77)
      loop_params(): i32.const 0  loop $l (param i32) (result i32)  local.set $n
                       try_table (catch $t $l) (if (n < 6) throw $t (n + 2))
                       local.get $n"""
    types = [b"\x60\x01\x7f\x00", b"\x60\x01\x7f\x01\x7f", b"\x60\x00\x01\x7f"]
    params = (b"\x00" + b"\x02\x7f\x20\x00\x1f\x01\x01\x00\x00\x00\x41\x01\x6a"
              b"\x20\x00\x41\x0a\x4f\x04\x40\x41\xcd\x00\x08\x00\x0b\x0b\x0b\x0b")
    loop = (b"\x01\x01\x7f" + b"\x41\x00\x03\x01\x21\x00\x1f\x40\x01\x00\x00\x00"
            b"\x20\x00\x41\x06\x49\x04\x40\x20\x00\x41\x02\x6a\x08\x00\x0b\x0b\x20\x00\x0b\x0b")
    exports = [name("params") + b"\x00\x00", name("loop_params") + b"\x00\x01"]
    return (MAGIC + section(1, vec(types)) + section(3, vec([uleb(1), uleb(2)])) + section(13, vec([b"\x00\x00"])) +
            section(7, vec(exports)) + section(10, vec([uleb(len(params)) + params, uleb(len(loop)) + loop])))


BLOCK_PARAMS_COMMANDS = [("return", "params", [("i32", 3)], [("i32", 4)]),
                         ("return", "params", [("i32", 10)], [("i32", 77)]),
                         ("return", "loop_params", [], [("i32", 6)])]


def main():
    out_dir, wasm_as = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    commands = []
    line = 1
    for n, (wat, cmds) in enumerate(CASES):
        stem = os.path.join(out_dir, f"exnref.{n}")
        with open(stem + ".wat", "w") as f:
            f.write(wat)
        subprocess.run(["node", wasm_as, *FEATURES, stem + ".wat", "-o", stem + ".wasm"], check=True)
        commands.append({"type": "module", "line": line, "filename": os.path.basename(stem + ".wasm")})
        for c in cmds:
            line += 1
            action = {"type": "invoke", "field": c[1], "args": values(c[2])}
            if c[0] == "return":
                commands.append({"type": "assert_return", "line": line, "action": action, "expected": values(c[3])})
            elif c[0] == "trap":
                commands.append({"type": "assert_trap", "line": line, "action": action, "text": c[3]})
            else:
                commands.append({"type": "assert_exception", "line": line, "action": action})
        line += 100
    with open(os.path.join(out_dir, "exnref.params.wasm"), "wb") as f:
        f.write(block_params_module())
    commands.append({"type": "module", "line": line, "filename": "exnref.params.wasm"})
    for c in BLOCK_PARAMS_COMMANDS:
        line += 1
        commands.append({"type": "assert_return", "line": line,
                         "action": {"type": "invoke", "field": c[1], "args": values(c[2])}, "expected": values(c[3])})
    line += 100
    for k, (data, why) in enumerate(invalid_modules()):
        name = f"exnref.invalid.{k}.wasm"
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
        commands.append({"type": "assert_invalid", "line": line + k, "filename": name, "text": why,
                         "module_type": "binary"})
    with open(os.path.join(out_dir, "exnref.json"), "w") as f:
        json.dump({"source_filename": "exnref.wast", "commands": commands}, f, indent=1)


if __name__ == "__main__":
    main()
