#!/usr/bin/env python3
"""The inputs that once crashed the compiler, generated here rather than
committed (megabytes): deep nesting, huge local counts, a name section that
names a local past the end. Each must compile or be refused cleanly, under
a memory limit, in bounded peak memory, leaving no temporary directory.
Also: no temporary directory survives a failed compile, Ctrl-C, kill, or a
crash signal.

  limits_test.py --wasixc build/bin/wasixc
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz  # noqa: E402
import wasm_bytes as wb  # noqa: E402

MEM_LIMIT = 3 << 30      # RLIMIT_AS of each compile (--mem-mb)
PEAK_LIMIT_KIB = 600 << 10  # what a refused or small compile may use at most (--peak-mb)

failures = []


def check(name, ok, detail):
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


class Case:
    def __init__(self, args, root):
        self.args, self.root = args, root

    def run(self, name, data, flags, timeout=120):
        workdir = os.path.join(self.root, name)
        os.makedirs(workdir)
        path = os.path.join(workdir, "in.wasm")
        with open(path, "wb") as f:
            f.write(data)
        return fuzz.run_wasixc(self.args, path, workdir, flags, timeout, MEM_LIMIT)

    def expect_refused(self, name, data, words, flags=("--emit=obj",)):
        outcome, detail, seconds, peak = self.run(name, data, list(flags))
        ok = outcome == "refused" and all(w in detail for w in words) and peak < PEAK_LIMIT_KIB
        check(name, ok, f"{outcome} in {seconds:.1f} s, peak {peak >> 10} MiB: {detail}")

    def expect_compiled(self, name, data, flags, peak_limit=PEAK_LIMIT_KIB):
        outcome, detail, seconds, peak = self.run(name, data, list(flags))
        ok = outcome == "compiled" and peak < peak_limit
        check(name, ok, f"{outcome} in {seconds:.1f} s, peak {peak >> 10} MiB {detail}")


def temp_dirs_after_signal(args, root, sig):
    """Starts a compile that takes seconds (10,000 nested loops at -O2),
    sends `sig` once its temporary directory exists, and checks that the
    compiler died by that signal and removed the directory."""
    workdir = os.path.join(root, f"signal-{sig}")
    tmpdir = os.path.join(workdir, "tmp")
    os.makedirs(tmpdir)
    path = os.path.join(workdir, "in.wasm")
    with open(path, "wb") as f:
        f.write(wb.nested_blocks(10_000, 0x03))
    proc = subprocess.Popen([args.wasixc, path, "-o", os.path.join(workdir, "out"), "-O2"],
                            env=dict(os.environ, TMPDIR=tmpdir), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not os.listdir(tmpdir) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    had_dir = bool(os.listdir(tmpdir))
    time.sleep(0.2)  # well inside the compile
    proc.send_signal(sig)
    try:
        proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
    left = os.listdir(tmpdir)
    name = signal.Signals(sig).name
    check(f"{name} during a compile", had_dir and proc.returncode == -sig and not left,
          f"temp dir seen: {had_dir}, exit {proc.returncode}, left behind: {left}")


def main():
    global MEM_LIMIT, PEAK_LIMIT_KIB
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasixc", required=True)
    ap.add_argument("--mem-mb", type=int, default=MEM_LIMIT >> 20, help="RLIMIT_AS (0: none, for ASan)")
    ap.add_argument("--peak-mb", type=int, default=PEAK_LIMIT_KIB >> 10)
    args = ap.parse_args()
    MEM_LIMIT, PEAK_LIMIT_KIB = args.mem_mb << 20, args.peak_mb << 10
    with tempfile.TemporaryDirectory(prefix="wasixc-limits-") as root:
        c = Case(args, root)
        for depth in (20_000, 1_000_000):
            for kind, opcode in (("blocks", 0x02), ("loops", 0x03), ("ifs", 0x04)):
                c.expect_refused(f"{depth} nested {kind}", wb.nested_blocks(depth, opcode),
                                 ["nested blocks", "limit is 10000"])
        # At the limit: compiles, in bounded memory.
        c.expect_compiled("10000 nested blocks (llvm)", wb.nested_blocks(10_000), ["--emit=obj"])
        c.expect_compiled("10000 nested ifs (llvm)", wb.nested_blocks(10_000, 0x04), ["--emit=obj", "-O0"])
        c.expect_refused("10000 nested ifs (c backend)", wb.nested_blocks(10_000, 0x04),
                         ["more than the C backend can compile"], ["--backend=c"])
        c.expect_compiled("150 nested ifs (c backend)", wb.nested_blocks(150, 0x04), ["--backend=c", "-O0"])
        c.expect_refused("10M locals", wb.many_locals(10_000_000), ["10000000 locals", "limit is 50000"])
        c.expect_refused("2e9 locals", wb.many_locals(2_000_000_000), ["2000000000 locals"])
        c.expect_refused("2^32 locals in two declarations", wb.many_locals(0xFFFFFFFF + 10, 2), ["locals"])
        c.expect_compiled("50000 locals", wb.many_locals(50_000), ["--emit=obj"])
        c.expect_refused("50001 locals", wb.many_locals(50_001), ["50001 locals"])
        c.expect_refused("21 functions of 50000 locals",
                         wb.join_sections([(wb.TYPE, wb.vec([b"\x60\0\0"])),
                                           (wb.FUNC, wb.vec([b"\0"] * 21)),
                                           (wb.CODE, wb.join_code([wb.vec([wb.uleb(50_000) + b"\x7f"]) + b"\x0b"]
                                                                  * 21))]),
                         ["locals (with parameters) in the whole module"])
        for backend in ("llvm", "c"):
            c.expect_compiled(f"local name past the locals ({backend})", wb.bad_local_name(),
                              [f"--backend={backend}"])
        # A failed compile leaves no temporary directory: the link step fails
        # after the backend wrote its files (run_wasixc checks TMPDIR).
        good = _write(root, "ok.wasm", wb.command_module(b""))
        for backend in ("llvm", "c"):
            outcome, detail, _, _ = fuzz.run_wasixc(  # the last -o wins
                args, good, os.path.join(root, f"failed-{backend}"),
                [f"--backend={backend}", "-o", "/nonexistent/dir/out"], 120, MEM_LIMIT)
            check(f"failed link ({backend}) leaves no temp dir", outcome == "refused" and "linking" in detail,
                  f"{outcome}: {detail}")
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGSEGV):
            temp_dirs_after_signal(args, root, sig)
    print(f"limits_test: {len(failures)} failures" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


def _write(root, name, data):
    path = os.path.join(root, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


if __name__ == "__main__":
    sys.exit(main())
