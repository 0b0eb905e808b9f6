#!/usr/bin/env python3
"""wasixc's optimisation levels side by side: for the compute guests
(bench/guests) and SQLite's speedtest1 (--size 50, :memory:), the compile
cost of -O0, -O1 and -O2 (CPU seconds, user + system, -j1, the link
included) and the run time of each executable against native clang-19
-O2 (CPU seconds; variants alternate, medians of --runs; every variant
must print what native prints). --baseline WASIXC adds the same levels
compiled by another wasixc build (columns "base -On"), for before/after
comparisons of a compiler change. Writes results/opt-levels.md.

  bench/opt_levels.py [--runs 5] [--levels O0,O1,O2] [--guests a,b] [--baseline PATH [--baseline-levels O1]] [--no-sqlite]
"""
import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import sqlite_src  # noqa: E402

ROOT = benchlib.ROOT
CLANG = benchlib.CLANG


def geomean(values):
    return math.exp(statistics.mean(math.log(v) for v in values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--levels", default="O0,O1,O2")
    ap.add_argument("--guests", help="comma-separated subset of bench/guests")
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--baseline", help="another wasixc build, compiled and run at --baseline-levels")
    ap.add_argument("--baseline-levels", help="default: --levels")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--work", default="/tmp/wasixc-bench/opt-levels")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = ap.parse_args()
    w = args.work
    os.makedirs(w, exist_ok=True)
    probe = benchlib.Probe(w)
    levels = args.levels.split(",")
    compilers = [("", args.wasixc, levels)]
    if args.baseline:
        compilers.append(("base ", args.baseline, (args.baseline_levels or args.levels).split(",")))
    variants = [p + l for p, _, ls in compilers for l in ls]

    subjects = {}  # name -> (native command, wasm, run arguments)
    guests = args.guests.split(",") if args.guests else sorted(
        f[:-2] for f in os.listdir(os.path.join(ROOT, "bench", "guests")) if f.endswith(".c") and f != "hello.c")
    for g in guests:
        src = os.path.join(ROOT, "bench", "guests", g + ".c")
        native, wasm = os.path.join(w, g + ".native"), os.path.join(w, g + ".wasm")
        subprocess.run([CLANG, "-O2", src, "-o", native, "-lm"], check=True)
        subprocess.run([CLANG, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", src, "-o", wasm], check=True)
        subjects[g] = (native, wasm, [])
    if not args.no_sqlite:
        st = sqlite_src.speedtest1(os.path.join(os.path.dirname(w), "sqlite"))
        subjects["speedtest1"] = (st["native"], st["wasm"], ["--size", "50", "--memdb"])

    rows = []
    for name, (native, wasm, run_args) in subjects.items():
        exes, compile_cost = {"native": native}, {}
        for prefix, wasixc, compiler_levels in compilers:
            for level in compiler_levels:
                exe = os.path.join(w, f"{name}.{prefix.strip() or 'new'}.{level}")
                seconds, _, _, cpu = probe.run([wasixc, "-q", "-j1", f"-{level}", wasm, "-o", exe])
                exes[prefix + level], compile_cost[prefix + level] = exe, (cpu, os.path.getsize(exe))

        def one(v):
            _, _, out, cpu = probe.run([exes[v]] + run_args)
            # speedtest1 prints its own timings: compare the rest.
            return cpu, re.sub(r"[0-9.]+s\s*$", "", out, flags=re.M)

        r = benchlib.alternate(["native"] + variants, args.runs, one)
        for v in variants:
            if r[v][0][1] != r["native"][0][1]:
                raise SystemExit(f"{name} -{v} printed other output than native:\n{r[v][0][1][:500]}")
        med = {v: benchlib.median([x[0] for x in runs]) for v, runs in r.items()}
        rows.append((name, med, compile_cost))
        print(name, {v: f"{med[v] / med['native']:.2f}x" for v in variants},
              {v: f"{c[0]:.2f}s" for v, c in compile_cost.items()}, flush=True)

    lines = [f"wasixc's optimisation levels, `bench/opt_levels.py`, {time.strftime('%Y-%m-%d')}, "
             f"{os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f}. Run time: CPU "
             f"seconds (user + system) against native clang-19 -O2, medians of {args.runs} alternating runs. "
             f"Compile: CPU seconds of one compile with -j1, the link included."
             + (f" \"base\": {args.baseline}." if args.baseline else ""), "",
             "| subject | native run | " + " | ".join(f"-{v} run | compile" for v in variants) + " |",
             "|---|---|" + "---|---|" * len(variants)]
    for name, med, cost in rows:
        cells = " | ".join(f"{med[v] / med['native']:.2f}x | {cost[v][0]:.2f} s" for v in variants)
        lines.append(f"| {name} | {med['native']:.2f} s | {cells} |")
    compute = [row for row in rows if row[0] != "speedtest1"]
    if compute:
        cells = " | ".join(f"**{geomean([m[v] / m['native'] for _, m, _ in compute]):.2f}x** | "
                           f"{sum(c[v][0] for _, _, c in compute):.2f} s (sum)" for v in variants)
        lines.append(f"| compute geomean ({len(compute)} guests) | | {cells} |")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "opt-levels.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
