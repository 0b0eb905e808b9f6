#!/usr/bin/env python3
"""Compile wall time of wasixc against clang-19 -O2 compiling the same C
sources natively, side by side (variants alternate), medians of --runs:

- the bench guests (bench/guests/*.c): one C file each;
- SQLite's speedtest1 (bench/sqlite_src.py): clang compiles its two C
  files on both cores at once (as make -j2), then links;
- the generated large module (gen_large_module.py; no C sources): wasixc
  alone, wall time and peak RSS (--large-runs, 1 by default: minutes).

wasixc runs with its defaults (-j: every core), at -O2 and -O1, into an
executable (the link included). Writes results/compile-time.md.

  bench/compile_time.py [--runs 5] [--large-mb 20] [--large-runs 1] [--skip-guests]
"""
import argparse
import os
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import sqlite_src  # noqa: E402

ROOT = benchlib.ROOT
CLANG = benchlib.CLANG


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--work", default="/tmp/wasixc-bench/compile")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--large-mb", type=int, default=20)
    ap.add_argument("--large-runs", type=int, default=1)
    ap.add_argument("--skip-guests", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    probe = benchlib.Probe(args.work)
    w = args.work
    rows = []  # (subject, clang s, wasixc -O2 s, -O1 s, peak RSS -O2 MiB)

    def measure(subject, clang_cmd, wasm):
        variants = (["clang"] if clang_cmd else []) + ["O2", "O1"]

        def one(name):
            if name == "clang":
                return probe.run(clang_cmd)
            return probe.run([args.wasixc, "-q", f"-{name}", wasm, "-o", os.path.join(w, "out." + name)])

        r = benchlib.alternate(variants, args.runs if clang_cmd else args.large_runs, one)
        med = {k: (benchlib.median([x[0] for x in v]), benchlib.median([x[3] for x in v])) for k, v in r.items()}
        peak = max(x[1] for x in r["O2"]) >> 10
        rows.append((subject, med.get("clang"), med["O2"], med["O1"], peak))
        print(rows[-1], flush=True)
        write_table()  # after every row: a long run cut short keeps what it measured

    def write_table():
        cores = os.cpu_count()
        lines = [f"Compile time, wasixc (default -j: {cores} cores) against clang-19 -O2 on the same C "
                 f"sources, {cores} cores, medians of {args.runs} alternating runs "
                 f"({args.large_runs} for the generated module), `bench/compile_time.py`, {time.strftime('%Y-%m-%d')}. "
                 f"Each cell: wall seconds (CPU seconds, user + system); ratios to clang. "
                 f"Load average at the end: {os.getloadavg()[0]:.1f}.", "",
                 "| subject | clang-19 -O2 | wasixc -O2 | ratio | wasixc -O1 | ratio | peak RSS -O2 |",
                 "|---|---|---|---|---|---|---|"]

        def cell(t):
            return f"{t[0]:.2f} s ({t[1]:.2f} s)"

        for subject, clang, o2, o1, peak in rows:
            def ratio(t):
                return f"{t[0] / clang[0]:.2f}x ({t[1] / clang[1]:.2f}x)" if clang else "n/a"
            lines.append(f"| {subject} | {cell(clang) if clang else 'n/a'} | {cell(o2)} | {ratio(o2)} | "
                         f"{cell(o1)} | {ratio(o1)} | {peak} MiB |")
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "compile-time.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
        return lines

    if not args.skip_guests:
        for src in sorted(os.listdir(os.path.join(ROOT, "bench", "guests"))):
            if not src.endswith(".c"):
                continue
            g = src[:-2]
            path = os.path.join(ROOT, "bench", "guests", src)
            wasm = os.path.join(w, g + ".wasm")
            subprocess.run([CLANG, "--target=wasm32-wasi", "--sysroot=/usr", "-O2", path, "-o", wasm], check=True)
            measure(g, [CLANG, "-O2", path, "-o", os.path.join(w, g + ".native"), "-lm"], wasm)

    st = sqlite_src.speedtest1(os.path.join(os.path.dirname(w), "sqlite"))
    objs = [os.path.join(w, os.path.basename(s) + ".o") for s in st["sources"]]
    flags = " ".join(shlex.quote(f) for f in ["-O2", "-I", st["include"]] + st["defines"])
    # Both files at once, then the link: what make -j2 does on 2 cores.
    # (`wait` gives no status of its own: the link fails if a compile did.)
    script = f"rm -f {' '.join(objs)}; " + " & ".join(f"{CLANG} {flags} -c {s} -o {o}" for s, o in zip(st["sources"], objs))
    script += f" & wait && {CLANG} {' '.join(objs)} -o {w}/speedtest1.clang -lm"
    measure("speedtest1 (SQLite 3.44)", ["sh", "-c", script], st["wasm"])

    if args.large_mb:
        large = os.path.join(w, "large.wasm")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_large_module.py"), large,
                        str(args.large_mb)], check=True)
        measure(f"generated module, {os.path.getsize(large) // 1000000} MB", None, large)

    print("\n".join(write_table()))


if __name__ == "__main__":
    main()
