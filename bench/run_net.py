#!/usr/bin/env python3
"""Network benchmark: an epoll echo server under load on loopback.

    bench/run_net.py [--runs N] [--conns C] [--seconds S] [--wasixc build/bin/wasixc]

Builds bench/net/echo_server.c natively and for wasm32-wasi (wasixc's guest
library gives it sockets and epoll; compiled with --net=loopback) and the
load generator bench/net/loadgen.c natively, then, N times (default 5) with
the variants alternating, starts each server, drives it with C connections
(default 50) each with one 64-byte request in flight for S seconds
(default 3), and reports the medians of requests/s and the p50/p99 latency
in bench/results/network.md. The load generator is the same native program
for every server, so the server is the only difference.

@wasmer/sdk is tried too: its sandbox on node has no host networking (its
sockets are a virtual network inside the process), so a native client
cannot reach its server; the reason is recorded as n/a.
"""
import argparse
import os
import statistics
import subprocess
import time

import jsdeps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NET = os.path.join(ROOT, "bench", "net")


def build(work, wasixc, guest):
    os.makedirs(work, exist_ok=True)
    native = os.path.join(work, "echo_server.native")
    wasm = os.path.join(work, "echo_server.wasm")
    exe = os.path.join(work, "echo_server.wasixc")
    loadgen = os.path.join(work, "loadgen")
    src = os.path.join(NET, "echo_server.c")
    subprocess.run(["clang-19", "-O2", src, "-o", native], check=True)
    subprocess.run(["clang-19", "-O2", os.path.join(NET, "loadgen.c"), "-o", loadgen], check=True)
    subprocess.run(["clang-19", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-I" + guest, src,
                    os.path.join(guest, "libwasix-guest.a"), "-o", wasm], check=True)
    subprocess.run([wasixc, wasm, "-o", exe, "--net=loopback"], check=True)
    return {"native": [native], "wasixc": [exe]}, wasm, loadgen


def one_run(cmd, loadgen, conns, seconds):
    """Starts the server, loads it; returns (rps, p50, p99) or raises."""
    srv = subprocess.Popen(cmd + [str(conns)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError("server printed no port: " + (line + srv.stderr.read(300)).strip())
        r = subprocess.run([loadgen, line.strip(), str(conns), str(seconds)], capture_output=True, text=True,
                           timeout=seconds + 60)
        if r.returncode != 0:
            raise RuntimeError("loadgen: " + r.stderr.strip())
        f = r.stdout.split()
        fig = dict(zip(f[0::2], f[1::2]))
        srv.wait(timeout=30)
        return float(fig["rps"]), float(fig["p50_us"]), float(fig["p99_us"])
    finally:
        if srv.poll() is None:
            srv.kill()
            srv.wait()


def wasmer_reason(wasm):
    missing = jsdeps.ensure()
    if missing:
        return missing
    cmd = ["node", os.path.join(ROOT, "bench", "wasmer_sdk.mjs"), wasm, "1"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "no port within 60 s"
    out = (p.stdout + p.stderr).strip().splitlines()
    first = out[0] if out else f"exit {p.returncode}"
    return f"its server does not listen on the host: `{first[:160]}`"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--conns", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--wasixc", default=os.path.join(ROOT, "build", "bin", "wasixc"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--no-wasmer", action="store_true")
    a = ap.parse_args()
    work = os.path.join(ROOT, "build", "bench-net")
    guest = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(a.wasixc))), "lib", "wasixc", "guest")
    variants, wasm, loadgen = build(work, a.wasixc, guest)
    figures = {name: [] for name in variants}
    for i in range(a.runs):
        for name, cmd in variants.items():
            figures[name].append(one_run(cmd, loadgen, a.conns, a.seconds))
            print(f"run {i + 1}/{a.runs} {name}: {figures[name][-1]}", flush=True)
    why = "not run (--no-wasmer)" if a.no_wasmer else wasmer_reason(wasm)
    med = {n: [statistics.median(x[k] for x in runs) for k in range(3)] for n, runs in figures.items()}
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    lines = [
        "# Network: an epoll echo server under load on loopback",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/run_net.py --runs {a.runs} --conns {a.conns} "
        f"--seconds {a.seconds:g}` on {cpu}, {os.cpu_count()} cores (shared: other work ran too).",
        f"Server: `bench/net/echo_server.c` (one thread, level-triggered epoll, non-blocking); "
        f"client: `bench/net/loadgen.c`, native, {a.conns} connections with one 64-byte request in flight each. "
        "Medians of the runs, variants alternating; the client and the server share the 2 cores.",
        "",
        "| server | requests/s | p50 latency | p99 latency | requests/s vs native |",
        "|---|---|---|---|---|",
    ]
    for name in variants:
        rps, p50, p99 = med[name]
        lines.append(f"| {name} | {rps:,.0f} | {p50:.0f} us | {p99:.0f} us | {rps / med['native'][0]:.2f}x |")
    lines.append(f"| @wasmer/sdk 0.16.0 | n/a | n/a | n/a | {why} |")
    lines += ["", "Every run:", ""]
    for name, runs in figures.items():
        lines.append(f"- {name}: " + ", ".join(f"{r:,.0f} rps / p99 {p99:.0f} us" for r, _, p99 in runs))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "network.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
