#!/usr/bin/env python3
"""SIMD128 variants of the compute guests, side by side.

    bench/run_simd.py [--runs N] [--wasixc build/bin/wasixc] [--guests a,b]

Every guest in bench/guests/*.c (not hello.c) is built natively (clang-19
-O2) and twice for wasm32-wasi: as in run.py (-O2) and with -O2 -msimd128
(clang's auto-vectoriser then emits SIMD128). Variants: wasixc on the
scalar module, wasixc on the SIMD module, the SIMD module with
--cpu=native (LLVM may widen to the host's AVX), and node's V8 on both
modules. Each is run alternately N times (default 5); every run must print
the native checksum. Writes bench/results/simd.md (medians as ratios to
native; geomeans).
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile

import run  # timed(), geomean(), the rss_probe launcher

ROOT = run.ROOT
VARIANTS = ["native", "llvm", "llvm-simd", "llvm-simd-native", "node", "node-simd"]
TITLES = {"llvm": "wasixc, scalar wasm", "llvm-simd": "wasixc, -msimd128",
          "llvm-simd-native": "wasixc, -msimd128, --cpu=native", "node": "node V8, scalar wasm",
          "node-simd": "node V8, -msimd128"}


def build(guests, work, wasixc):
    cmds = {}
    for g in guests:
        src = os.path.join(ROOT, "bench", "guests", g + ".c")
        native, wasm, simd = (os.path.join(work, g + s) for s in (".native", ".wasm", ".simd.wasm"))
        subprocess.run([run.CLANG, "-O2", src, "-o", native, "-lm"], check=True)
        wasm_flags = [run.CLANG, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", src]
        subprocess.run(wasm_flags + ["-o", wasm], check=True)
        subprocess.run(wasm_flags + ["-msimd128", "-o", simd], check=True)
        v = {"native": [native], "node": ["node", "--no-warnings", run.NODE_SCRIPT, wasm],
             "node-simd": ["node", "--no-warnings", run.NODE_SCRIPT, simd]}
        for name, module, flags in (("llvm", wasm, []), ("llvm-simd", simd, []),
                                    ("llvm-simd-native", simd, ["--cpu=native"])):
            exe = os.path.join(work, f"{g}.{name}")
            subprocess.run([wasixc, module, "-o", exe] + flags, check=True)
            v[name] = [exe]
        cmds[g] = v
    return cmds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--guests", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "simd.md"))
    args = ap.parse_args()
    guests = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "bench", "guests"))
                    if f.endswith(".c") and f != "hello.c")
    if args.guests:
        guests = [g for g in guests if g in args.guests.split(",")]
    with tempfile.TemporaryDirectory() as work:
        run.PROBE = os.path.join(work, "rss_probe")
        subprocess.run([run.CLANG, "-O2", os.path.join(ROOT, "bench", "rss_probe.c"), "-o", run.PROBE], check=True)
        cmds = build(guests, work, args.wasixc)
        medians, crashed_at_exit = {}, set()
        for g in guests:
            times = {n: [] for n in VARIANTS}
            expected = None
            for _ in range(args.runs):
                for n in VARIANTS:  # alternate variants within each round
                    t, code, out, err, _ = run.timed(cmds[g][n], timeout=600)
                    if code != 0:
                        # node sometimes crashes at exit after printing the
                        # right checksum (as in run.py); the output is checked.
                        if not n.startswith("node"):
                            sys.exit(f"{g} {n}: exit code {code}: {err}")
                        crashed_at_exit.add(f"{g} ({n})")
                    if expected is None:
                        expected = out
                    elif out != expected:
                        sys.exit(f"{g} {n}: printed {out!r}, native printed {expected!r}")
                    times[n].append(t)
            medians[g] = {n: statistics.median(times[n]) for n in VARIANTS}
            print(g, " ".join(f"{n}={medians[g][n]:.3f}" for n in VARIANTS), flush=True)
    ratio = lambda g, n: medians[g][n] / medians[g]["native"]
    lines = [
        "# SIMD128 variants of the compute guests",
        "",
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores; median of {args.runs} runs each, "
        "all variants alternating in one run. Ratios are run time relative to native clang-19 -O2 (lower is "
        "better); the wasm modules are clang-19 -O2, and -O2 -msimd128 for the SIMD variants (the same C).",
        "Reproduce: `bench/run_simd.py` (after `scripts/build.sh`).",
        "",
        "| guest | native (s) | " + " | ".join(TITLES[n] for n in VARIANTS[1:]) + " |",
        "|---|---|" + "---|" * (len(VARIANTS) - 1),
    ]
    for g in guests:
        lines.append(f"| {g} | {medians[g]['native']:.3f} | " +
                     " | ".join(f"{ratio(g, n):.2f}x" for n in VARIANTS[1:]) + " |")
    lines.append("| **geomean** | | " +
                 " | ".join(f"**{run.geomean([ratio(g, n) for g in guests]):.2f}x**" for n in VARIANTS[1:]) + " |")
    if crashed_at_exit:
        lines += ["", "node crashed at exit (after printing the right checksum) on: " +
                  ", ".join(sorted(crashed_at_exit)) + "."]
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
