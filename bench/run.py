#!/usr/bin/env python3
"""Compute benchmarks: wasixc against native code, side by side in one run.

    bench/run.py [--quick] [--runs N] [--wasixc build/bin/wasixc] [--out bench/results]

For every guest in bench/guests/*.c it builds a native executable (clang-19
-O2) and a wasm32-wasi module (clang-19 -O2, Debian's wasi-libc), compiles
the module with wasixc's llvm backend, its llvm backend without
safepoints, and its C backend, then runs all variants alternately N times
(default 5). Every run must print the native run's output (the checksum);
a mismatch fails the benchmark. Reports the median time of each variant
and its ratio to native, plus the geometric mean of the ratios, as a
Markdown table (bench/results/compute.md) and on stdout.
"""
import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLANG = "clang-19"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def build(guests, work, wasixc):
    variants = {}
    for g in guests:
        src = os.path.join(ROOT, "bench", "guests", g + ".c")
        native = os.path.join(work, g + ".native")
        wasm = os.path.join(work, g + ".wasm")
        sh([CLANG, "-O2", src, "-o", native, "-lm"])
        sh([CLANG, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", src, "-o", wasm])
        v = {"native": native}
        for name, flags in (("llvm", []), ("llvm-nosafepoints", ["--no-safepoints"]), ("c", ["--backend=c"])):
            exe = os.path.join(work, f"{g}.{name}")
            sh([wasixc, wasm, "-o", exe] + flags)
            v[name] = exe
        variants[g] = v
    return variants


def timed(exe):
    start = time.perf_counter()
    out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="3 runs, for a smoke test")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--work", default="/tmp/wasixc-bench")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    guests = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "bench", "guests")) if f.endswith(".c"))
    variants = build(guests, args.work, args.wasixc)
    names = ["native", "llvm", "llvm-nosafepoints", "c"]
    medians = {}
    for g in guests:
        times = {n: [] for n in names}
        expected = None
        for _ in range(runs):  # alternate variants within each round
            for n in names:
                t, out = timed(variants[g][n])
                if expected is None:
                    expected = out
                elif out != expected:
                    sys.exit(f"{g}: {n} printed {out!r}, native printed {expected!r}")
                times[n].append(t)
        medians[g] = {n: statistics.median(times[n]) for n in names}
        row = "  ".join(f"{n} {medians[g][n]:.3f}s" for n in names)
        print(f"{g:12} {row}", flush=True)

    def ratio(g, n):
        return medians[g][n] / medians[g]["native"]

    lines = [
        f"Compute benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()} "
        f"({os.cpu_count()} cores), median of {runs} runs each, variants alternating.",
        "Ratios are run time relative to native clang-19 -O2 (lower is better).",
        "",
        "| guest | native (s) | wasixc llvm | llvm, no safepoints | wasixc c |",
        "|---|---|---|---|---|",
    ]
    for g in guests:
        lines.append(f"| {g} | {medians[g]['native']:.3f} | {ratio(g, 'llvm'):.2f}x | "
                     f"{ratio(g, 'llvm-nosafepoints'):.2f}x | {ratio(g, 'c'):.2f}x |")
    geo = {n: math.exp(statistics.mean(math.log(ratio(g, n)) for g in guests)) for n in names[1:]}
    lines.append(f"| **geomean** | | **{geo['llvm']:.2f}x** | **{geo['llvm-nosafepoints']:.2f}x** | "
                 f"**{geo['c']:.2f}x** |")
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    with open(os.path.join(args.out, "compute.md"), "w") as f:
        f.write(table)


if __name__ == "__main__":
    main()
