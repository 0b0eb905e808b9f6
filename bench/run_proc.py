#!/usr/bin/env python3
"""Process-operation benchmarks: wasixc (llvm backend) against native.

    bench/run_proc.py [--runs N] [--wasixc build/bin/wasixc]

Builds bench/proc/procbench.c natively and for wasm32-wasi (with wasixc's
guest library), runs both alternately N times (default 5) and reports the
median of each figure, side by side, in bench/results/process.md.
"""
import argparse
import os
import re
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--work", default="/tmp/wasixc-bench")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    src = os.path.join(ROOT, "bench", "proc", "procbench.c")
    guest = os.path.join(os.path.dirname(args.wasixc), "..", "lib", "wasixc", "guest")
    native = os.path.join(args.work, "procbench.native")
    wasm = os.path.join(args.work, "procbench.wasm")
    exe = os.path.join(args.work, "procbench.wasixc")
    subprocess.run(["clang-19", "-O2", src, "-o", native], check=True)
    subprocess.run(["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wno-deprecated-declarations",
                    "-I" + guest, src, os.path.join(guest, "libwasix-guest.a"), "-o", wasm], check=True)
    subprocess.run([args.wasixc, wasm, "-o", exe, "--dir", args.work + "::/bench"], check=True)
    figures = {"native": {}, "wasixc": {}}
    for _ in range(args.runs):
        for name, path in (("native", native), ("wasixc", exe)):
            out = subprocess.run([path], check=True, capture_output=True, text=True).stdout
            for line in out.splitlines():
                label, rest = line.split(":", 1)
                for kind, value in re.findall(r"(median|p99) ([0-9.]+) us", rest):
                    figures[name].setdefault(f"{label} ({kind})", []).append(float(value))
    lines = [f"Process operations, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; median over "
             f"{args.runs} alternating runs of each program's own median (300 round trips, 2000 timer ticks).",
             "", "| operation | native (us) | wasixc (us) | ratio |", "|---|---|---|---|"]
    for key in figures["native"]:
        n, w = statistics.median(figures["native"][key]), statistics.median(figures["wasixc"][key])
        lines.append(f"| {key} | {n:.1f} | {w:.1f} | {w / n:.2f}x |")
    lines.append("")
    lines.append("Not measured yet: thread spawn+join (guest threads are not implemented).")
    table = "\n".join(lines) + "\n"
    print(table)
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "process.md"), "w") as f:
        f.write(table)


if __name__ == "__main__":
    main()
