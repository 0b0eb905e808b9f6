#!/usr/bin/env python3
"""Cheap checks come first: a 20 MB module refused for a missing or
mistyped import, or for an invalid instruction in its last function, is
refused before its code is turned into any IR, within limits a full
read would break (it took tens of seconds and gigabytes): peak RSS under 100 MiB and a 10 s limit (the target is under
a second; the limit leaves room for a loaded machine). Limits, not timings.

  refusal_test.py --wasixc build/bin/wasixc
"""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz  # noqa: E402
import wasm_bytes as wb  # noqa: E402

PEAK_LIMIT_KIB = 100 << 10
TIME_LIMIT_S = 10
MEM_LIMIT = 3 << 30
failures = []


def big_module(imports, last_body_extra=b"", megabytes=20, memory=False):
    """() -> () functions of straight-line code (i32.const 1; drop) to
    `megabytes`, the first exported as _start; `imports`: (module, name)
    function imports of type () -> (); `last_body_extra` goes into the
    last function; `memory`: declare one memory of one page."""
    per_body = 10_000
    count = megabytes * 1_000_000 // per_body
    plain = wb.vec([]) + b"\x41\x01\x1a" * (per_body // 3) + b"\x0b"
    last = wb.vec([]) + b"\x41\x01\x1a" * (per_body // 3) + last_body_extra + b"\x0b"
    imp = wb.vec([wb.name(m) + wb.name(n) + b"\x00\x00" for m, n in imports])
    sections = [(wb.TYPE, wb.vec([b"\x60\x00\x00"]))]
    if imports:
        sections.append((2, imp))
    sections.append((wb.FUNC, wb.vec([b"\x00"] * count)))
    if memory:
        sections.append((wb.MEMORY, wb.vec([b"\x00\x01"])))
    sections += [(7, wb.vec([wb.name("_start") + b"\x00" + wb.uleb(len(imports))])),
                 (wb.CODE, wb.join_code([plain] * (count - 1) + [last]))]
    return wb.join_sections(sections)


def check(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


def expect_cheap_refusal(args, root, name, data, words, flags=()):
    workdir = os.path.join(root, name.replace(" ", "-"))
    os.makedirs(workdir)
    path = os.path.join(workdir, "in.wasm")
    with open(path, "wb") as f:
        f.write(data)
    outcome, detail, seconds, peak = fuzz.run_wasixc(args, path, workdir, list(flags), TIME_LIMIT_S, MEM_LIMIT)
    ok = outcome == "refused" and all(w in detail for w in words) and peak < PEAK_LIMIT_KIB
    check(name, ok, f"{outcome} in {seconds:.2f} s, peak {peak >> 10} MiB ({len(data) >> 20} MiB module): {detail}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasixc", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="wasixc-refusal-") as root:
        expect_cheap_refusal(args, root, "missing import", big_module([("env", "nope"), ("env", "nada")]),
                             ["2 imports are not provided"])
        expect_cheap_refusal(args, root, "mistyped syscall import",
                             big_module([("wasi_snapshot_preview1", "proc_exit")]),
                             ["import wasi_snapshot_preview1.proc_exit has type (func)"])
        # An invalid instruction in the last body (i32.add on an empty
        # stack): the whole module is validated in one pass before any IR.
        expect_cheap_refusal(args, root, "invalid last body", big_module([], last_body_extra=b"\x6a"),
                             ["invalid module: type mismatch in i32.add"])
        # A feature wasixc does not read, used only in the last body (a
        # multi-memory memarg: flag 0x40 then memory 0): named, after a
        # probe that reads from that body on, not the whole module again.
        expect_cheap_refusal(args, root, "feature in last body",
                             big_module([], last_body_extra=b"\x41\x00\x28\x42\x00\x00\x1a", memory=True),
                             ["the module uses multi-memory, which wasixc does not support yet"])
        # Sanity: without the missing import the same module is not cheap
        # to refuse for anything, so the limits above mean something: it is
        # accepted by the checks (a small version compiles).
        small = os.path.join(root, "small.wasm")
        with open(small, "wb") as f:
            f.write(big_module([], megabytes=1))
        outcome, detail, seconds, peak = fuzz.run_wasixc(args, small, os.path.join(root, "small"),
                                                         ["--emit=obj", "-O0"], 300, MEM_LIMIT)
        check("1 MB version compiles", outcome == "compiled", f"{outcome} in {seconds:.1f} s: {detail}")
    print(f"refusal_test: {len(failures)} failures" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
