#!/usr/bin/env python3
"""Process-operation benchmarks: wasixc (llvm backend) against native and @wasmer/sdk.

    bench/run_proc.py [--runs N] [--wasixc build/bin/wasixc]

Builds bench/proc/procbench.c natively and for wasm32-wasi (with wasixc's
guest library; thread spawn+join from a second build with shared memory),
runs the native program, the wasixc executables and the module under
@wasmer/sdk alternately N times (default 5) and reports the median of each
figure, side by side, in bench/results/process.md.

For @wasmer/sdk the module is built with -DWASMER and shared, imported
memory (Wasmer forks only such modules) and asyncified with binaryen's
wasm-opt (`npm ci --prefix bench` runs first if needed), and runs each
operation separately; one it cannot run is shown as n/a with the reason.
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
# A shared, imported memory, as wasixcc links: procbench times threads only
# with it, and Wasmer forks only such modules (it copies the memory into
# the child). Debian's wasi-libc is not built for atomics: --no-check-features
# (procbench calls libc from one thread at a time).
SHARED_MEMORY = ["-matomics", "-mbulk-memory", "-Wl,--import-memory,--shared-memory,--max-memory=4294967296",
                 "-Wl,--no-check-features"]
# Wasmer also reads __stack_pointer and the stack bounds for asyncify.
WASMER_LINK = SHARED_MEMORY + ["-Wl,--export=__stack_pointer,--export=__data_end,--export=__heap_base"]
WASMER_TIMEOUT = 120  # seconds for one operation under @wasmer/sdk
# procbench's operation names and the labels it prints for them.
OPERATIONS = {"fork": "fork+join", "spawn": "spawn+join", "signal": "signal round trip",
              "timer": "timer jitter at 1 ms", "thread": "thread spawn+join"}


def parse(out, figures):
    """Adds 'label (median|p99)' -> value from procbench's output lines."""
    for line in out.splitlines():
        if ":" not in line:
            continue
        label, rest = line.split(":", 1)
        for kind, value in re.findall(r"(median|p99) ([0-9.]+) us", rest):
            figures.setdefault(f"{label} ({kind})", []).append(float(value))


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


def run_wasmer(module, op):
    """procbench's op under @wasmer/sdk: (stdout, None) or (stdout so far, why it failed)."""
    cmd = ["node", "--no-warnings", jsdeps.WASMER_SCRIPT, "--file", module + "::/bench/procbench.wasm", module,
           "300", op]
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
    # Threads from a second, shared-memory build (the rest keeps the plain one).
    threads_wasm = os.path.join(args.work, "procbench-threads.wasm")
    threads_exe = os.path.join(args.work, "procbench-threads.wasixc")
    subprocess.run(WASM_CC + SHARED_MEMORY + ["-I" + guest, src, os.path.join(guest, "libwasix-guest.a"),
                                              "-o", threads_wasm], check=True)
    subprocess.run([args.wasixc, threads_wasm, "-o", threads_exe], check=True)
    wasmer_module, wasmer_failed = build_wasmer(src, guest, args.work)
    if wasmer_failed:
        print(f"@wasmer/sdk: {wasmer_failed}", flush=True)

    figures = {"native": {}, "wasixc": {}, "wasmer": {}}
    # label -> why @wasmer/sdk has no figure for it (its first failure).
    wasmer_why = {label: wasmer_failed for label in OPERATIONS.values()} if wasmer_failed else {}
    for _ in range(args.runs):
        for name, cmd in (("native", [native]), ("wasixc", [exe, "300", "fork,spawn,signal,timer"]),
                          ("wasixc", [threads_exe, "300", "thread"])):
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            parse(out, figures[name])
        # One run per operation, so that one that hangs costs only its own figure.
        for op, label in OPERATIONS.items():
            if wasmer_module and label not in wasmer_why:
                out, why = run_wasmer(wasmer_module, op)
                if why:
                    print(f"@wasmer/sdk, {label}: {why}", flush=True)
                    wasmer_why[label] = why
                else:
                    parse(out, figures["wasmer"])

    lines = [f"Process operations, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; median over "
             f"{args.runs} alternating runs of each program's own median (300 round trips, 2000 timer ticks).",
             "", "| operation | native (us) | wasixc (us) | ratio | @wasmer/sdk (us) | ratio |",
             "|---|---|---|---|---|---|"]
    def cells(key, name, why, digits):  # "value | ratio to native", or n/a and why
        if not figures[name].get(key):
            return "n/a (" + why.replace("|", "/").replace("`", "'") + ") | "
        v = statistics.median(figures[name][key])
        if v == 0:
            return "0 | n/a (below its clock's step)"
        if not figures["native"].get(key):
            return f"{v:.{digits}f} | "
        r = v / statistics.median(figures["native"][key])
        return f"{v:.{digits}f} | {r:.0f}x" if r >= 10 else f"{v:.{digits}f} | {r:.2f}x"

    keys = list(dict.fromkeys(k for name in figures for k in figures[name]))
    for key in keys:
        op = key.rsplit(" (", 1)[0]
        n = f"{statistics.median(figures['native'][key]):.1f}" if figures["native"].get(key) else "n/a"
        w = cells(key, "wasixc", "not reported", 1)
        m = cells(key, "wasmer", wasmer_why.get(op, "not reported"), 0)
        lines.append(f"| {key} | {n} | {w} | {m} |")
    lines += ["", f"@wasmer/sdk {jsdeps.pinned('@wasmer/sdk')} runs procbench built with -DWASMER (see "
              "procbench.c: a forked child has no parent pid and must register its signal handler again; "
              "the timer is proc_raise_interval in ms) and asyncified with binaryen "
              f"{jsdeps.pinned('binaryen')}'s `wasm-opt --asyncify -O2`. Its guest clock ticks in whole "
              "milliseconds (Date.now), so its figures are multiples of 1000 us and a jitter of 0 means "
              "within one tick; its timers fire only when the guest makes a syscall."]
    table = "\n".join(lines) + "\n"
    print(table)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "process.md"), "w") as f:
        f.write(table)


if __name__ == "__main__":
    main()
