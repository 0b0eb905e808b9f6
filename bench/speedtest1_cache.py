#!/usr/bin/env python3
"""Where speedtest1's time goes, in numbers that do not move with the
machine's load: instructions and simulated instruction-cache misses
(valgrind's cachegrind, --cache-sim=yes) for the native build and
wasixc -O2, on :memory: and on a file database, plus the size of the
code. One run each (the simulation is deterministic); --size 5 by default
(cachegrind runs ~50x slower than the program). Writes
results/speedtest1-cache.md.

On this project's VMs the file database's gap to native (README, "SQL
engine") shows here as I1 misses: the same statement loop holds more
code under wasixc, and the file path's code pushes it past the 32 KiB
L1i; --l1i 65536 shows how much of that is capacity. Instruction counts
are exact; I1 misses also follow the code's layout, which any rebuild
may shift (an unrelated runtime change once moved :memory: under wasixc
from 3.8M to 4.4M): compare builds by several runs' worth of evidence,
not one count.

  bench/speedtest1_cache.py [--size 5] [--l1i BYTES] [--reuse]
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import sqlite_src  # noqa: E402

ROOT = benchlib.ROOT
COUNTERS = {"I   refs": "instructions", "I1  misses": "I1 misses", "D1  misses": "D1 misses"}


def cachegrind(cmd, l1i):
    """The counters cachegrind prints for one run of `cmd`."""
    sim = ["--cache-sim=yes"] + ([f"--I1={l1i},8,64"] if l1i else [])
    r = subprocess.run(["valgrind", "--tool=cachegrind", *sim, "--cachegrind-out-file=/dev/null", *cmd],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed under cachegrind:\n{r.stderr[-2000:]}")
    found = {}
    for line in r.stderr.splitlines():
        for key, name in COUNTERS.items():
            m = re.search(re.escape(key) + r":\s+([\d,]+)", line)
            if m:
                found[name] = int(m.group(1).replace(",", ""))
    return found


def code_bytes(exe, section):
    out = subprocess.run(["readelf", "-SW", exe], capture_output=True, text=True, check=True).stdout
    m = re.search(re.escape(section) + r"\s+PROGBITS\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)", out)
    return int(m.group(1), 16) if m else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5)
    ap.add_argument("--l1i", type=int, default=0, help="simulated L1i size in bytes (default: the host's)")
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--work", default="/tmp/wasixc-bench/speedtest1")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--db-dir", default="/dev/shm/wasixc-speedtest1" if os.path.isdir("/dev/shm") else None)
    ap.add_argument("--reuse", action="store_true", help="keep an executable already compiled in --work")
    args = ap.parse_args()
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode != 0:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    os.makedirs(args.work, exist_ok=True)
    db_dir = args.db_dir or args.work
    os.makedirs(db_dir, exist_ok=True)
    st = sqlite_src.speedtest1(os.path.join(os.path.dirname(args.work), "sqlite"))
    exes = {"native": st["native"], "wasixc -O2": os.path.join(args.work, "speedtest1.O2")}
    if not (args.reuse and os.path.exists(exes["wasixc -O2"])):
        subprocess.run([args.wasixc, "-q", "-O2", st["wasm"], "-o", exes["wasixc -O2"], "--dir", db_dir], check=True)
    results = {}
    for db in (":memory:", "file"):
        for name, exe in exes.items():
            cmd = [exe, "--size", str(args.size)]
            if db == "file":
                path = os.path.join(db_dir, "cache-sim.db")
                if os.path.exists(path):
                    os.remove(path)
                cmd.append(path)
            else:
                cmd.append("--memdb")
            results[(db, name)] = cachegrind(cmd, args.l1i)
            print(db, name, results[(db, name)], flush=True)
    l1i = f"a simulated {args.l1i // 1024} KiB L1i" if args.l1i else "the host's L1i"
    lines = [f"speedtest1 --size {args.size} under cachegrind (--cache-sim=yes, {l1i}): one run each, "
             f"deterministic; `bench/speedtest1_cache.py`, {time.strftime('%Y-%m-%d')}. Code: native .text "
             f"{code_bytes(exes['native'], '.text') / 1e6:.2f} MB (SQLite and speedtest1; libc is shared), "
             f"wasixc's guest code {code_bytes(exes['wasixc -O2'], 'wasixc_guest_text') / 1e6:.2f} MB "
             "(the same functions and wasi-libc's).", "",
             "| database | build | instructions | I1 misses | D1 misses |", "|---|---|---|---|---|"]
    for (db, name), r in results.items():
        lines.append(f"| {db} | {name} | {r.get('instructions', 0) / 1e6:.1f}M | "
                     f"{r.get('I1 misses', 0) / 1e6:.2f}M | {r.get('D1 misses', 0) / 1e6:.2f}M |")
    lines.append("")
    for name in exes:
        extra = results[("file", name)].get("I1 misses", 0) - results[(":memory:", name)].get("I1 misses", 0)
        lines.append(f"- I1 misses the file database adds, {name}: {extra / 1e6:+.2f}M")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "speedtest1-cache.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
