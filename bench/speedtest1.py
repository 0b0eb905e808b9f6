#!/usr/bin/env python3
"""SQLite's speedtest1 (bench/sqlite_src.py) natively (clang-19 -O2) and
compiled by wasixc at -O2 and -O1, --size 50, on an in-memory database and
on a file database; variants alternate, medians of --runs; every variant
must print the same test list. Writes results/speedtest1.md.

The file database lives in --db-dir (default: a directory under /dev/shm,
a tmpfs, when there is one): on this project's VMs the disk's metadata
and sync latency (each transaction's lock is a mkdir + rmdir) made a
--size 5 run take 27 s of wall time for 1.2 s of CPU, natively and under
wasixc alike, which measures the disk, not the runtime.

  bench/speedtest1.py [--runs 5] [--size 50] [--db-dir DIR] [--levels O2,O1,O2-poll]
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import sqlite_src  # noqa: E402

ROOT = benchlib.ROOT


def label(level):
    return f"-{level.split('-')[0]}" + (" --poll-safepoints" if level.endswith("-poll") else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", type=int, default=50)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--work", default="/tmp/wasixc-bench/speedtest1")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    # LEVEL or LEVEL-poll (with --poll-safepoints: polls instead of interrupts)
    ap.add_argument("--levels", default="O2,O1,O2-poll")
    ap.add_argument("--db-dir", default="/dev/shm/wasixc-speedtest1" if os.path.isdir("/dev/shm") else None)
    ap.add_argument("--reuse", action="store_true", help="keep executables already compiled in --work")
    args = ap.parse_args()
    w = args.work
    os.makedirs(w, exist_ok=True)
    db_dir = args.db_dir or w
    os.makedirs(db_dir, exist_ok=True)

    probe = benchlib.Probe(w)
    st = sqlite_src.speedtest1(os.path.join(os.path.dirname(w), "sqlite"))
    exes = {"native": st["native"]}
    for level in args.levels.split(","):
        exes[level] = os.path.join(w, f"speedtest1.{level}")
        if not (args.reuse and os.path.exists(exes[level])):
            flags = [f"-{level.split('-')[0]}"] + (["--poll-safepoints"] if level.endswith("-poll") else [])
            probe.run([args.wasixc, "-q", *flags, st["wasm"], "-o", exes[level], "--dir", db_dir])
    rows = []
    for db in (":memory:", "file"):
        def one(name):
            cmd = [exes[name], "--size", str(args.size)]
            if db == "file":
                path = os.path.join(db_dir, f"test-{name}.db")
                if os.path.exists(path):
                    os.remove(path)
                cmd.append(path)
            else:
                cmd += ["--memdb"]
            seconds, kib, out, cpu = probe.run(cmd)
            # The test names and row counts, not the timings, must agree.
            return cpu, kib, re.sub(r"\s*[0-9.]+s\s*$", "", out, flags=re.M), seconds

        try:
            r = benchlib.alternate(list(exes), args.runs, one)
        except SystemExit as e:  # one database kind failing still reports the other
            print(f"{db}: {e}", flush=True)
            rows.append((db, None, str(e).splitlines()[-1][:200]))
            continue
        outputs = {name: v[0][2] for name, v in r.items()}
        for name, out in outputs.items():
            if out != outputs["native"]:
                raise SystemExit(f"speedtest1 {name} ({db}) printed other tests than native:\n{out[:2000]}")
        med = {name: benchlib.median([x[0] for x in v]) for name, v in r.items()}
        ratio = {name: benchlib.paired_ratio(r, name, "native", key=lambda x: x[0]) for name in r}
        peak = {name: max(x[1] for x in v) >> 10 for name, v in r.items()}
        rows.append((db, (med, ratio), peak))
        print(db, med, flush=True)
    levels = [k for k in exes if k != "native"]
    lines = [f"SQLite speedtest1 --size {args.size} (SQLite 3.44.2), CPU time (user + system: the machine is "
             f"shared, wall time follows the load), medians of {args.runs} alternating runs on {os.cpu_count()} "
             f"cores; each ratio is the median of the {args.runs} per-round ratios to the native run of the same "
             f"round, `bench/speedtest1.py`, {time.strftime('%Y-%m-%d')}; load average at the end "
             f"{os.getloadavg()[0]:.1f}. The file database is in {db_dir}; both builds lock it with dot "
             f"files (SQLite's WASI default, given to the native build too).", "",
             "| database | native | " + " | ".join(f"wasixc {label(l)} | ratio" for l in levels) + " | peak RSS native / -O2 |",
             "|---|---|" + "---|---|" * len(levels) + "---|"]
    for db, measured, peak in rows:
        if measured is None:
            lines.append(f"| {db} | failed: {peak} |")
            continue
        med, ratio = measured
        cells = " | ".join(f"{med[l]:.2f} s | {ratio[l]:.3f}x" for l in levels)
        lines.append(f"| {db} | {med['native']:.2f} s | {cells} | {peak['native']} / {peak.get('O2', 0)} MiB |")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "speedtest1.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
