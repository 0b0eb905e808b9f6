#!/usr/bin/env python3
"""Compute benchmarks: wasixc against native code and two JIT runtimes, side by side.

    bench/run.py [--quick] [--runs N] [--wasixc build/bin/wasixc] [--guests a,b]

For every guest in bench/guests/*.c (hello.c is the start-up probe) it
builds a native executable (clang-19 -O2) and a wasm32-wasi module
(clang-19 -O2, Debian's wasi-libc), compiles the module with wasixc (llvm,
llvm with --poll-safepoints, c), and runs every variant, plus two JIT
runtimes, node's V8 (node:wasi) and @wasmer/sdk (wasmer_sdk.mjs; `npm ci
--prefix bench` runs first if needed), alternately N times (default 5).
Every run must print what the native run printed (the checksum); a
mismatch fails the benchmark, except under @wasmer/sdk, where a failing
guest is shown as n/a with the reason. Writes bench/results/compute.md
(medians, ratios to native, geomeans, start-up, sizes, compile cost) and
compute.png (gnuplot, if installed).
"""
import argparse
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import jsdeps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLANG = "clang-19"
NODE_SCRIPT = os.path.join(ROOT, "bench", "node_wasi.mjs")
VARIANTS = ["native", "llvm", "llvm-poll", "c", "node", "wasmer"]


CRASHED_AT_EXIT = set()  # guests on which node printed the right result, then crashed


PROBE = None  # bench/rss_probe.c, built by main(): times and measures each run


def timed(cmd, timeout=None):
    """Runs cmd through rss_probe; returns (seconds, exit code, stdout,
    stderr, peak RSS KiB). After timeout seconds the process is killed
    (code -9). A child killed by signal N exits 128+N, as in a shell."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as probe_out:
        start = time.perf_counter()
        # Own process group: a timeout kills the launcher and what it runs.
        proc = subprocess.Popen([PROBE, probe_out.name] + cmd, stdout=subprocess.PIPE, stderr=err,
                                start_new_session=True)
        lock, reaped = threading.Lock(), []

        def kill():
            with lock:
                if not reaped:  # never signal a pid that may be reused
                    os.killpg(proc.pid, signal.SIGKILL)

        killer = threading.Timer(timeout, kill) if timeout else None
        if killer:
            killer.start()
        out = proc.stdout.read()
        _, status, _ = os.wait4(proc.pid, 0)
        with lock:
            reaped.append(True)
        elapsed, kib = time.perf_counter() - start, 0
        if killer:
            killer.cancel()
        err.seek(0)
        errtext = err.read().decode(errors="replace")
        fields = probe_out.read().split()
        if len(fields) == 2:  # absent when the launcher itself was killed
            elapsed, kib = float(fields[0]), int(fields[1])
    return elapsed, os.waitstatus_to_exitcode(status), out.decode(errors="replace"), errtext, kib


def wasmer_failure(code, out, err, expected, timeout):
    """Why a run under @wasmer/sdk did not count, in a few words (None: it did)."""
    if code == -signal.SIGKILL:
        return f"no result after {timeout:.0f} s"
    said = [l.split(":", 1)[1].strip() for l in err.splitlines() if l.startswith("wasmer_sdk.mjs:")]
    if said:
        return said[-1][:80]
    if code != 0:
        return f"exit code {code}"
    if out != expected:
        return f"printed {out.strip()[:40]!r}, not the checksum"
    return None


def build(guests, work, wasixc):
    cmds, compile_cost, sizes = {}, {}, {}
    for g in guests:
        src = os.path.join(ROOT, "bench", "guests", g + ".c")
        native = os.path.join(work, g + ".native")
        wasm = os.path.join(work, g + ".wasm")
        subprocess.run([CLANG, "-O2", src, "-o", native, "-lm"], check=True)
        subprocess.run([CLANG, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", src, "-o", wasm], check=True)
        v = {"native": [native], "node": ["node", "--no-warnings", NODE_SCRIPT, wasm],
             "wasmer": ["node", "--no-warnings", jsdeps.WASMER_SCRIPT, wasm]}
        for name, flags in (("llvm", []), ("llvm-poll", ["--poll-safepoints"]), ("c", ["--backend=c"])):
            exe = os.path.join(work, f"{g}.{name}")
            t, code, _, err, rss = timed([wasixc, wasm, "-o", exe] + flags)
            if code != 0:
                sys.exit(f"wasixc {wasm} {' '.join(flags)} exited with {code}:\n{err}")
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
    ap.add_argument("--guests", help="comma-separated subset, for trying a change (hello always runs)")
    args = ap.parse_args()
    runs = 3 if args.quick else args.runs
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    global PROBE
    PROBE = os.path.join(args.work, "rss_probe")
    subprocess.run([CLANG, "-O2", os.path.join(ROOT, "bench", "rss_probe.c"), "-o", PROBE], check=True)
    guests = sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "bench", "guests")) if f.endswith(".c"))
    if args.guests:
        unknown = set(args.guests.split(",")) - set(guests)
        if unknown:
            sys.exit(f"no such guest: {', '.join(sorted(unknown))}")
        guests = [g for g in guests if g in args.guests.split(",") or g == "hello"]
    # Where @wasmer/sdk cannot run a guest, its column says why (guest -> reason).
    wasmer_failed = {}
    missing = jsdeps.ensure()
    if missing:
        print(f"@wasmer/sdk: {missing}", flush=True)
    cmds, compile_cost, sizes = build(guests, args.work, args.wasixc)
    compute = [g for g in guests if g != "hello"]

    medians, rss = {}, {}
    for g in guests:
        times = {n: [] for n in VARIANTS}
        peak = {n: 0 for n in VARIANTS}
        expected = None
        if missing:
            wasmer_failed[g] = missing
        for _ in range(runs if g != "hello" else max(runs, 21)):
            for n in VARIANTS:  # alternate variants within each round
                if n == "wasmer" and g in wasmer_failed:
                    continue
                # A hung JIT run gets a bound (node has none: it never hung).
                limit = 60 + 20 * times["native"][-1] if n == "wasmer" else None
                t, code, out, err, kib = timed(cmds[g][n], limit)
                if n == "wasmer":
                    why = wasmer_failure(code, out, err, expected, limit)
                    if why:
                        wasmer_failed[g] = why
                        print(f"{g}: @wasmer/sdk: {why}", flush=True)
                        continue
                elif code != 0:
                    # node v20 can segfault at exit after large wasm memories;
                    # its output is still checked below.
                    if n != "node":
                        sys.exit(f"{' '.join(cmds[g][n])} exited with {code}")
                    CRASHED_AT_EXIT.add(g)
                if expected is None:
                    expected = out
                elif out != expected:
                    sys.exit(f"{g}: {n} printed {out!r}, native printed {expected!r}")
                times[n].append(t)
                peak[n] = max(peak[n], kib)
        medians[g] = {n: statistics.median(times[n]) for n in VARIANTS if times[n]}
        rss[g] = peak
        print(f"{g:12} " + "  ".join(f"{n} {medians[g][n]:.3f}s" for n in medians[g]), flush=True)

    def ratio(g, n):
        return medians[g][n] / medians[g]["native"]

    def cell(g, n):  # a ratio, or n/a and why
        if n in medians[g]:
            return f"{ratio(g, n):.2f}x"
        return "n/a (" + wasmer_failed[g].replace("|", "/").replace("`", "'") + ")"

    geo = {n: geomean([ratio(g, n) for g in compute]) for n in VARIANTS[1:-1]}
    # @wasmer/sdk: over the guests it ran, and against node on those too.
    ran = [g for g in compute if "wasmer" in medians[g]]
    if ran:
        geo["wasmer"] = geomean([ratio(g, "wasmer") for g in ran])
        vs_node = geomean([medians[g]["wasmer"] / medians[g]["node"] for g in ran])
    over = f"all {len(compute)} guests" if len(ran) == len(compute) else \
        f"{len(ran)} of {len(compute)} guests, without {', '.join(g for g in compute if g not in ran)}"
    geo_wasmer = f"**{geo['wasmer']:.2f}x** ({over})" if ran else "n/a (no guest ran)"
    lines = [
        f"# Compute benchmarks",
        "",
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.processor() or 'unknown CPU'}; median of {runs} runs each, all variants "
        "alternating in one run. Ratios are run time relative to native clang-19 -O2 (lower is better).",
        "Reproduce: `bench/run.py` (after `scripts/build.sh`).",
        "",
        "| guest | native (s) | wasixc llvm | llvm, polls | wasixc c | node V8 | @wasmer/sdk |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in compute:
        lines.append(f"| {g} | {medians[g]['native']:.3f} | {cell(g, 'llvm')} | {cell(g, 'llvm-poll')} | "
                     f"{cell(g, 'c')} | {cell(g, 'node')} | {cell(g, 'wasmer')} |")
    lines.append(f"| **geomean** | | **{geo['llvm']:.2f}x** | **{geo['llvm-poll']:.2f}x** | "
                 f"**{geo['c']:.2f}x** | **{geo['node']:.2f}x** | {geo_wasmer} |")
    node_version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    lines += ["", f"Both JIT runtimes run the same wasm module on node {node_version}'s V8: node:wasi "
              "(`node_wasi.mjs`) and @wasmer/sdk " + jsdeps.pinned("@wasmer/sdk") + " (`wasmer_sdk.mjs`, Wasmer's WASIX "
              "runtime built to wasm, each run a fresh sandbox). Run times include start-up: see hello below."]
    if ran:
        lines += [f"@wasmer/sdk relative to node V8 over {over}: geomean {vs_node:.2f}x."]
    hello_wasmer = (f"{medians['hello']['wasmer'] * 1e3:.1f}", f"{rss['hello']['wasmer'] / 1024:.1f}") \
        if "wasmer" in medians["hello"] else ("n/a", "n/a")
    lines += ["", "## Start-up and size (hello)", "",
              "| | native | wasixc llvm | node V8 | @wasmer/sdk |", "|---|---|---|---|---|",
              f"| start-up, median of {max(runs, 21)} (ms) | {medians['hello']['native'] * 1e3:.2f} | "
              f"{medians['hello']['llvm'] * 1e3:.2f} | {medians['hello']['node'] * 1e3:.1f} | {hello_wasmer[0]} |",
              f"| peak RSS (MiB) | {rss['hello']['native'] / 1024:.1f} | {rss['hello']['llvm'] / 1024:.1f} | "
              f"{rss['hello']['node'] / 1024:.1f} | {hello_wasmer[1]} |",
              f"| executable size (KiB) | {sizes['hello']['native'] / 1024:.0f} | {sizes['hello']['llvm'] / 1024:.0f} | "
              f"(wasm {sizes['hello']['wasm'] / 1024:.0f}) | (same wasm) |",
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
            for g in compute:  # "?": no bar where @wasmer/sdk did not run the guest
                w = f"{ratio(g, 'wasmer'):.3f}" if "wasmer" in medians[g] else "?"
                f.write(f"{g} {ratio(g, 'llvm'):.3f} {ratio(g, 'c'):.3f} {ratio(g, 'node'):.3f} {w}\n")
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
set datafile missing "?"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2
plot "{data}" using 2:xtic(1) title "wasixc llvm", "" using 3 title "wasixc c", "" using 4 title "node V8", "" using 5 title "@wasmer/sdk" noenhanced
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)
        print(f"chart: {png}")
    else:
        print("gnuplot not installed (apt-get install gnuplot-nox): no chart")


if __name__ == "__main__":
    main()
