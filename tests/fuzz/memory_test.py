#!/usr/bin/env python3
"""Bounded compile memory: the LLVM backend holds one slice of a module's
function bodies at a time (aot/README.md, "Partitions, jobs and memory"),
so peak RSS follows the partition size and the jobs, not the module size.
Limits, not timings:

- generated modules (bench/gen_large_module.py) of 1 and 3 MB compile at
  -O0 with two jobs and fixed partitions under a peak-RSS limit, and the
  larger one costs at most GROWTH_LIMIT more per MB of module (what each
  worker's slice still declares per function). Holding the whole module's
  IR, as wasixc did before, broke both: 180 and 328 MiB, 74 MiB per MB
  (2026-12-01; 135 and 176 MiB, 20 MiB per MB since);
- the 3 MB module with an invalid instruction in its last function is
  refused with wabt's message at the instruction's byte offset in the
  file, its bodies validated a slice at a time under a lower limit.

  memory_test.py --wasixc build/bin/wasixc --generator bench/gen_large_module.py
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz  # noqa: E402
import wasm_bytes as wb  # noqa: E402

SMALL_MB, LARGE_MB = 1, 3
FLAGS = ["--emit=obj", "-O0", "-j2", "--partition-size=20000"]
PEAK_LIMIT_KIB = 250 << 10
GROWTH_LIMIT_KIB_PER_MB = 40 << 10
REFUSAL_PEAK_LIMIT_KIB = 150 << 10
TIME_LIMIT_S = 600
MEM_LIMIT = 4 << 30              # address space: thread stacks are reserved, not used
failures = []


def check(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


def generate(args, path, megabytes):
    subprocess.run([sys.executable, args.generator, path, str(megabytes)], check=True,
                   stdout=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return f.read()


def break_last_body(data):
    """The module with `i64.const 0; i32.add` appended to its last body's
    code before the final `end`, and the file offset of that i32.add."""
    sections = wb.split_sections(data)
    out, bad = bytearray(wb.MAGIC), None
    for sid, payload in sections:
        if sid == wb.CODE:
            count, p = wb.read_uleb(payload, 0)
            bodies = []
            for _ in range(count):
                size, q = wb.read_uleb(payload, p)
                bodies.append(payload[q:q + size])
                p = q + size
            # The last body ends `...; end`: insert before the end.
            last = bodies[-1]
            bodies[-1] = last[:-1] + b"\x42\x00\x6a" + last[-1:]
            code = wb.uleb(count) + b"".join(wb.uleb(len(b)) + b for b in bodies)
            header = bytes([sid]) + wb.uleb(len(code))
            last_body = len(code) - len(bodies[-1])
            bad = len(out) + len(header) + last_body + len(last) - 1 + 2  # after the i64.const
            out += header + code
        else:
            out += wb.section(sid, payload)
    return bytes(out), bad


def compile_one(args, root, name, path):
    outcome, detail, seconds, peak = fuzz.run_wasixc(args, path, os.path.join(root, name), FLAGS,
                                                     TIME_LIMIT_S, MEM_LIMIT)
    return outcome, detail, seconds, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasixc", required=True)
    ap.add_argument("--generator", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="wasixc-memory-") as root:
        peaks = {}
        for mb in (SMALL_MB, LARGE_MB):
            path = os.path.join(root, f"gen{mb}.wasm")
            data = generate(args, path, mb)
            outcome, detail, seconds, peak = compile_one(args, root, f"gen{mb}", path)
            peaks[mb] = peak
            check(f"{mb} MB module compiles", outcome == "compiled" and peak < PEAK_LIMIT_KIB,
                  f"{outcome} in {seconds:.1f} s, peak {peak >> 10} MiB (limit {PEAK_LIMIT_KIB >> 10} MiB) {detail}")
        growth = (peaks[LARGE_MB] - peaks[SMALL_MB]) / (LARGE_MB - SMALL_MB)
        check("peak RSS does not follow the module's size", growth < GROWTH_LIMIT_KIB_PER_MB,
              f"{growth / 1024:.1f} MiB more per MB of module (limit {GROWTH_LIMIT_KIB_PER_MB >> 10})")

        bad, offset = break_last_body(data)
        path = os.path.join(root, "invalid.wasm")
        with open(path, "wb") as f:
            f.write(bad)
        outcome, detail, seconds, peak = compile_one(args, root, "invalid", path)
        # wabt reports the offset just past the opcode.
        want = f"type mismatch in i32.add, expected [i32, i32] but got [i64] (at byte offset {offset + 1:#x})"
        check("invalid last body refused at its offset",
              outcome == "refused" and want in detail and peak < REFUSAL_PEAK_LIMIT_KIB,
              f"{outcome} in {seconds:.1f} s, peak {peak >> 10} MiB: {detail} (want ...{want})")
    print(f"memory_test: {len(failures)} failures" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
