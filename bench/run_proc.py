#!/usr/bin/env python3
"""Process-operation benchmarks: wasixc (llvm backend) against native and @wasmer/sdk.

    bench/run_proc.py [--runs N] [--wasixc build/bin/wasixc]

Builds bench/proc/procbench.c natively and for wasm32-wasi (with wasixc's
guest library), runs the native program, the wasixc executable and the
module under @wasmer/sdk alternately N times (default 5) and reports the
median of each figure, side by side, in bench/results/process.md.

For @wasmer/sdk the module is built with -DWASMER and shared, imported
memory (Wasmer forks only such modules) and asyncified with binaryen's
wasm-opt (`npm ci --prefix bench` runs first if needed). An operation it
cannot run is shown as n/a with the reason.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import time

import jsdeps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WASM_CC = ["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wno-deprecated-declarations"]
# wasixcc's link flags for a forkable module: Wasmer copies an imported
# shared memory into the child, reads __stack_pointer and the stack bounds
# for asyncify, and Debian's wasi-libc is not built for atomics (one
# thread only, so --no-check-features is safe here).
WASMER_LINK = ["-matomics", "-mbulk-memory", "-Wl,--import-memory,--shared-memory,--max-memory=4294967296",
               "-Wl,--no-check-features", "-Wl,--export=__stack_pointer,--export=__data_end,--export=__heap_base"]
WASMER_TIMEOUT = 300  # seconds for one procbench run under @wasmer/sdk
OPERATIONS = ["fork+join", "spawn+join", "signal round trip", "timer jitter at 1 ms"]


def parse(out, figures):
    """Adds 'label (median|p99)' -> value from procbench's output lines; returns the labels seen."""
    seen = []
    for line in out.splitlines():
        if ":" not in line:
            continue
        label, rest = line.split(":", 1)
        for kind, value in re.findall(r"(median|p99) ([0-9.]+) us", rest):
            figures.setdefault(f"{label} ({kind})", []).append(float(value))
            seen.append(label)
    return seen


def build_wasmer(src, guest, work):
    """The asyncified -DWASMER module; returns (path, None) or (None, why not)."""
    missing = jsdeps.ensure()
    if missing:
        return None, missing
    plain = os.path.join(work, "procbench.wasmer-plain.wasm")
    out = os.path.join(work, "procbench.wasmer.wasm")
    r = subprocess.run(WASM_CC + ["-DWASMER", "-I" + guest, src, os.path.join(guest, "libwasix-guest.a")] +
                       WASMER_LINK + ["-o", plain], capture_output=True, text=True)
    if r.returncode != 0:
        return None, "build failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    # Plain --asyncify (every import may unwind), as wasixcc runs it for
    # Wasmer: fork, and Wasmer's deep sleep in poll/join, unwind the stack.
    r = subprocess.run(["node", jsdeps.WASM_OPT, "--asyncify", "-O2", "--enable-threads", "--enable-bulk-memory",
                        plain, "-o", out], capture_output=True, text=True)
    if r.returncode != 0:
        return None, "wasm-opt --asyncify failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    return out, None


def run_wasmer(module):
    """One procbench run under @wasmer/sdk: (stdout, None) or (stdout so far, why it stopped)."""
    cmd = ["node", "--no-warnings", jsdeps.WASMER_SCRIPT, "--file", module + "::/bench/procbench.wasm", module]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=WASMER_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return out, f"no result after {WASMER_TIMEOUT} s"
    said = [l.split(":", 1)[1].strip() for l in r.stderr.splitlines() if l.startswith("wasmer_sdk.mjs:")]
    if said:
        return r.stdout, said[-1][:80]
    if r.returncode != 0:
        last = (r.stdout.strip().splitlines() or [""])[-1]
        return r.stdout, f"exit code {r.returncode}" + (f" after '{last}'" if "failed" in last else "")
    return r.stdout, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--work", default="/tmp/wasixc-bench")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    src = os.path.join(ROOT, "bench", "proc", "procbench.c")
    guest = os.path.join(os.path.dirname(args.wasixc), "..", "lib", "wasixc", "guest")
    native = os.path.join(args.work, "procbench.native")
    wasm = os.path.join(args.work, "procbench.wasm")
    exe = os.path.join(args.work, "procbench.wasixc")
    subprocess.run(["clang-19", "-O2", src, "-o", native], check=True)
    subprocess.run(WASM_CC + ["-I" + guest, src, os.path.join(guest, "libwasix-guest.a"), "-o", wasm], check=True)
    subprocess.run([args.wasixc, wasm, "-o", exe, "--dir", args.work + "::/bench"], check=True)
    wasmer_module, wasmer_failed = build_wasmer(src, guest, args.work)
    if wasmer_failed:
        print(f"@wasmer/sdk: {wasmer_failed}", flush=True)

    figures = {"native": {}, "wasixc": {}, "wasmer": {}}
    # operation -> why @wasmer/sdk has no figure for it (the first failure).
    wasmer_why = {op: wasmer_failed for op in OPERATIONS} if wasmer_failed else {}
    for _ in range(args.runs):
        for name, path in (("native", native), ("wasixc", exe)):
            out = subprocess.run([path], check=True, capture_output=True, text=True).stdout
            parse(out, figures[name])
        if wasmer_module and not wasmer_why:
            out, why = run_wasmer(wasmer_module)
            seen = parse(out, figures["wasmer"])
            if why:  # the operations it did not finish, and the reason
                print(f"@wasmer/sdk: {why}", flush=True)
                wasmer_why = {op: why for op in OPERATIONS if op not in seen}
                if not wasmer_why:
                    wasmer_why = {"": why}  # all printed, yet it failed: stop anyway

    lines = [f"Process operations, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; median over "
             f"{args.runs} alternating runs of each program's own median (300 round trips, 2000 timer ticks).",
             "", "| operation | native (us) | wasixc (us) | ratio | @wasmer/sdk (us) | ratio |",
             "|---|---|---|---|---|---|"]
    for key in figures["native"]:
        n, w = statistics.median(figures["native"][key]), statistics.median(figures["wasixc"][key])
        op = key.rsplit(" (", 1)[0]
        if figures["wasmer"].get(key):
            m = statistics.median(figures["wasmer"][key])
            wasmer = f"{m:.0f} | {m / n:.0f}x" if m / n >= 10 else f"{m:.0f} | {m / n:.2f}x"
        else:
            wasmer = "n/a (" + wasmer_why.get(op, wasmer_why.get("", "not run")).replace("|", "/").replace("`", "'") + ") | "
        lines.append(f"| {key} | {n:.1f} | {w:.1f} | {w / n:.2f}x | {wasmer} |")
    lines += ["", f"@wasmer/sdk {jsdeps.pinned('@wasmer/sdk')} runs procbench built with -DWASMER (see "
              "procbench.c: a forked child has no parent pid and must register its signal handler again; "
              "the timer is proc_raise_interval in ms) and asyncified with binaryen "
              f"{jsdeps.pinned('binaryen')}'s `wasm-opt --asyncify -O2`. Its guest clock ticks in whole "
              "milliseconds (Date.now), so its figures are multiples of 1000 us and a jitter of 0 means "
              "within one tick; its timers fire only when the guest makes a syscall.",
              "",
              "Not measured yet: thread spawn+join (guest threads are not implemented)."]
    table = "\n".join(lines) + "\n"
    print(table)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "process.md"), "w") as f:
        f.write(table)


if __name__ == "__main__":
    main()
