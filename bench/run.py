#!/usr/bin/env python3
"""Compute benchmarks: wasixc against native code and node's V8, side by side.

    bench/run.py [--quick] [--runs N] [--wasixc build/bin/wasixc]

For every guest in bench/guests/*.c (hello.c is the start-up probe) it
builds a native executable (clang-19 -O2) and a wasm32-wasi module
(clang-19 -O2, Debian's wasi-libc), compiles the module with wasixc (llvm,
llvm without safepoints, c), and runs every variant, plus node's V8
(node:wasi), alternately N times (default 5). Every run must print what
the native run printed (the checksum); a mismatch fails the benchmark.
Writes bench/results/compute.md (medians, ratios to native, geomeans,
start-up, sizes, compile cost) and compute.png (gnuplot, if installed).
"""
import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLANG = "clang-19"
NODE_SCRIPT = os.path.join(ROOT, "bench", "node_wasi.mjs")
VARIANTS = ["native", "llvm", "llvm-nosafepoints", "c", "node"]


CRASHED_AT_EXIT = set()  # variants that printed the right result, then crashed


def timed(cmd, tolerate_exit_crash=False):
    """Runs cmd; returns (seconds, stdout, peak RSS KiB) using wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        if not tolerate_exit_crash:
            sys.exit(f"{' '.join(cmd)} exited with {code}")
        CRASHED_AT_EXIT.add(os.path.basename(cmd[-1]))
    return elapsed, out.decode(), usage.ru_maxrss


def build(guests, work, wasixc):
    cmds, compile_cost, sizes = {}, {}, {}
    for g in guests:
        src = os.path.join(ROOT, "bench", "guests", g + ".c")
        native = os.path.join(work, g + ".native")
        wasm = os.path.join(work, g + ".wasm")
        subprocess.run([CLANG, "-O2", src, "-o", native, "-lm"], check=True)
        subprocess.run([CLANG, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", src, "-o", wasm], check=True)
        v = {"native": [native], "node": ["node", "--no-warnings", NODE_SCRIPT, wasm]}
        for name, flags in (("llvm", []), ("llvm-nosafepoints", ["--no-safepoints"]), ("c", ["--backend=c"])):
            exe = os.path.join(work, f"{g}.{name}")
            t, _, rss = timed([wasixc, wasm, "-o", exe] + flags)
            if name == "llvm":
                compile_cost[g] = (t, rss)
            v[name] = [exe]
        sizes[g] = {"wasm": os.path.getsize(wasm), "native": os.path.getsize(native),
                    "llvm": os.path.getsize(v["llvm"][0])}
        cmds[g] = v
    return cmds, compile_cost, sizes


def geomean(values):
    return math.exp(statistics.mean(math.log(v) for v in values))


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
    cmds, compile_cost, sizes = build(guests, args.work, args.wasixc)
    compute = [g for g in guests if g != "hello"]

    medians, rss = {}, {}
    for g in guests:
        times = {n: [] for n in VARIANTS}
        peak = {n: 0 for n in VARIANTS}
        expected = None
        for _ in range(runs if g != "hello" else max(runs, 21)):
            for n in VARIANTS:  # alternate variants within each round
                # node v20 can segfault at exit after large wasm memories;
                # its output is still checked below.
                t, out, kib = timed(cmds[g][n], tolerate_exit_crash=(n == "node"))
                if expected is None:
                    expected = out
                elif out != expected:
                    sys.exit(f"{g}: {n} printed {out!r}, native printed {expected!r}")
                times[n].append(t)
                peak[n] = max(peak[n], kib)
        medians[g] = {n: statistics.median(times[n]) for n in VARIANTS}
        rss[g] = peak
        print(f"{g:12} " + "  ".join(f"{n} {medians[g][n]:.3f}s" for n in VARIANTS), flush=True)

    def ratio(g, n):
        return medians[g][n] / medians[g]["native"]

    geo = {n: geomean([ratio(g, n) for g in compute]) for n in VARIANTS[1:]}
    lines = [
        f"# Compute benchmarks",
        "",
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.processor() or 'unknown CPU'}; median of {runs} runs each, all variants "
        "alternating in one run. Ratios are run time relative to native clang-19 -O2 (lower is better).",
        "Reproduce: `bench/run.py` (after `scripts/build.sh`).",
        "",
        "| guest | native (s) | wasixc llvm | llvm, no safepoints | wasixc c | node V8 |",
        "|---|---|---|---|---|---|",
    ]
    for g in compute:
        lines.append(f"| {g} | {medians[g]['native']:.3f} | {ratio(g, 'llvm'):.2f}x | "
                     f"{ratio(g, 'llvm-nosafepoints'):.2f}x | {ratio(g, 'c'):.2f}x | {ratio(g, 'node'):.2f}x |")
    lines.append(f"| **geomean** | | **{geo['llvm']:.2f}x** | **{geo['llvm-nosafepoints']:.2f}x** | "
                 f"**{geo['c']:.2f}x** | **{geo['node']:.2f}x** |")
    lines += ["", "## Start-up and size (hello)", "",
              "| | native | wasixc llvm | node V8 |", "|---|---|---|---|",
              f"| start-up, median of {max(runs, 21)} (ms) | {medians['hello']['native'] * 1e3:.2f} | "
              f"{medians['hello']['llvm'] * 1e3:.2f} | {medians['hello']['node'] * 1e3:.1f} |",
              f"| peak RSS (MiB) | {rss['hello']['native'] / 1024:.1f} | {rss['hello']['llvm'] / 1024:.1f} | "
              f"{rss['hello']['node'] / 1024:.1f} |",
              f"| executable size (KiB) | {sizes['hello']['native'] / 1024:.0f} | {sizes['hello']['llvm'] / 1024:.0f} | "
              f"(wasm {sizes['hello']['wasm'] / 1024:.0f}) |",
              "", "## Compile cost and memory per guest (wasixc llvm -O2)", "",
              "| guest | wasm (KiB) | executable (KiB) | compile (s) | wasixc peak RSS (MiB) | run peak RSS llvm / native (MiB) |",
              "|---|---|---|---|---|---|"]
    for g in guests:
        t, kib = compile_cost[g]
        lines.append(f"| {g} | {sizes[g]['wasm'] / 1024:.0f} | {sizes[g]['llvm'] / 1024:.0f} | {t:.2f} | "
                     f"{kib / 1024:.0f} | {rss[g]['llvm'] / 1024:.1f} / {rss[g]['native'] / 1024:.1f} |")
    if CRASHED_AT_EXIT:
        lines += ["", "node crashed at exit (after printing the right checksum) on: " +
                  ", ".join(sorted(CRASHED_AT_EXIT)) + "."]
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    with open(os.path.join(args.out, "compute.md"), "w") as f:
        f.write(table)

    if shutil.which("gnuplot"):
        data = os.path.join(args.work, "ratios.dat")
        with open(data, "w") as f:
            for g in compute:
                f.write(f"{g} {ratio(g, 'llvm'):.3f} {ratio(g, 'c'):.3f} {ratio(g, 'node'):.3f}\n")
        png = os.path.join(args.out, "compute.png")
        script = f"""set terminal pngcairo size 1100,500 font ",10"
set output "{png}"
set title "Run time relative to native clang-19 -O2 (lower is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -30
set yrange [0:*]
set grid ytics
set key top left
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2
plot "{data}" using 2:xtic(1) title "wasixc llvm", "" using 3 title "wasixc c", "" using 4 title "node V8"
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        print(f"chart: {png}")
    else:
        print("gnuplot not installed (apt-get install gnuplot-nox): no chart")


if __name__ == "__main__":
    main()
