#!/usr/bin/env python3
"""Mutation fuzzing of the wasixc compiler.

Mutates seed modules (bit flips, byte insertions and deletions, LEB128 and
section-size corruption, truncation, deep nesting, huge counts, duplicated,
dropped and reordered sections), runs `wasixc` on each mutant under a time
and memory limit, and classifies what happened:

  compiled   exit 0
  refused    exit 1 with a "wasixc: error:" line (a clean refusal)
  crash      anything else: a signal, "internal error", another exit
             status, a sanitizer report, a timeout, or a temporary
             directory left behind

  fuzz.py --wasixc build/bin/wasixc --seeds build/tests/e2e --count 400 --seed 1
  fuzz.py --wasixc build/bin/wasixc --replay tests/fuzz/corpus

Exits 1 if anything crashed; crashing inputs are written to --crash-dir.
"""
import argparse
import concurrent.futures
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wasm_bytes as wb  # noqa: E402

# --- mutations ----------------------------------------------------------------

HUGE_LEBS = [wb.uleb(0xFFFFFFFF), wb.uleb(0x7FFFFFFF), wb.uleb(10_000_000), wb.uleb(2_000_000_000),
             b"\xff\xff\xff\xff\xff\x0f", b"\x80\x80\x80\x80\x80\x80", b"\xff"]


def bit_flips(rng, data, _seeds):
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return data


def byte_insertions(rng, data, _seeds):
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data) + 1)
        data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return data


def byte_deletions(rng, data, _seeds):
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        i = rng.randrange(len(data))
        del data[i:i + rng.randint(1, 8)]
    return data


def interesting_bytes(rng, data, _seeds):
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data))
        data[i] = rng.choice([0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B, 0x02, 0x03, 0x04, 0x11, 0x0E])
    return data


def leb_corruption(rng, data, _seeds):
    """Replaces a LEB128 somewhere (any byte run ending in a byte < 0x80)
    with an overlong, huge or unterminated one."""
    i = rng.randrange(len(data))
    j = i
    while j < len(data) and data[j] & 0x80 and j - i < 5:
        j += 1
    data[i:j + 1] = rng.choice(HUGE_LEBS)
    return data


def truncation(rng, data, _seeds):
    return data[:rng.randrange(len(data))]


def with_sections(mutate):
    """A mutation of the section list; the module must parse into sections."""
    def run(rng, data, seeds):
        sections = wb.split_sections(bytes(data))
        if not sections:
            return bit_flips(rng, data, seeds)
        out = mutate(rng, sections, seeds)
        return bytearray(out if isinstance(out, (bytes, bytearray)) else wb.join_sections(out))
    run.__name__ = mutate.__name__
    return run


@with_sections
def section_size_corruption(rng, sections, _seeds):
    k = rng.randrange(len(sections))
    out = bytearray(wb.MAGIC)
    for n, (sid, payload) in enumerate(sections):
        size = len(payload)
        if n == k:
            size = rng.choice([0, size - 1, size + 1, size * 2, 0xFFFFFFFF, rng.randrange(1 << 20)])
            size = max(size, 0)
        out += bytes([sid]) + wb.uleb(size) + payload
    return out


@with_sections
def huge_count(rng, sections, _seeds):
    """A vector count at the start of a section becomes huge."""
    k = rng.randrange(len(sections))
    sid, payload = sections[k]
    _, end = wb.read_uleb(payload, 0)
    sections[k] = (sid, rng.choice(HUGE_LEBS) + payload[end:])
    return sections


@with_sections
def duplicate_section(rng, sections, _seeds):
    k = rng.randrange(len(sections))
    sections.insert(rng.randrange(len(sections) + 1), sections[k])
    return sections


@with_sections
def drop_section(rng, sections, _seeds):
    del sections[rng.randrange(len(sections))]
    return sections


@with_sections
def reorder_sections(rng, sections, _seeds):
    if len(sections) > 1:
        i, j = rng.sample(range(len(sections)), 2)
        sections[i], sections[j] = sections[j], sections[i]
    return sections


@with_sections
def splice_section(rng, sections, seeds):
    other = wb.split_sections(rng.choice(seeds))
    if other:
        sections[rng.randrange(len(sections))] = rng.choice(other)
    return sections


def mutate_body(mutate_one):
    """A mutation of one function body; sizes are re-encoded so the reader
    gets past the framing and into the body."""
    @with_sections
    def run(rng, sections, seeds):
        codes = [n for n, (sid, _) in enumerate(sections) if sid == wb.CODE]
        bodies = wb.split_code(sections[codes[0]][1]) if codes else None
        if not bodies:
            return sections
        k = rng.randrange(len(bodies))
        bodies[k] = mutate_one(rng, bytearray(bodies[k]))
        sections[codes[0]] = (wb.CODE, wb.join_code([bytes(b) for b in bodies]))
        return sections
    run.__name__ = mutate_one.__name__
    return run


def body_start(body):
    """Offset of the first instruction (after the locals declarations)."""
    n, pos = wb.read_uleb(body, 0)
    for _ in range(n or 0):
        _, pos = wb.read_uleb(body, pos)
        pos += 1
    return min(pos, len(body))


@mutate_body
def deep_nesting(rng, body):
    depth = rng.choice([100, 1000, 9999, 10000, 10001, 20000, 100000])
    opener = rng.choice([b"\x02\x40", b"\x03\x40", b"\x41\x00\x04\x40"])
    pos = body_start(body)
    body[pos:pos] = opener * depth + b"\x0b" * depth
    return body


@mutate_body
def huge_locals(rng, body):
    n, pos = wb.read_uleb(body, 0)
    decls = [wb.uleb(rng.choice([50_000, 50_001, 10_000_000, 2_000_000_000, 0xFFFFFFFF])) + b"\x7f"
             for _ in range(rng.randint(1, 3))]
    return bytearray(wb.vec(decls) + bytes(body[body_start(body):]))


@mutate_body
def body_bit_flips(rng, body):
    for _ in range(rng.randint(1, 4)):
        if body:
            i = rng.randrange(len(body))
            body[i] ^= 1 << rng.randrange(8)
    return body


@mutate_body
def huge_br_table(rng, body):
    count = rng.choice([1000, 100_000, 1_000_001])
    pos = body_start(body)
    body[pos:pos] = b"\x02\x40\x41\x00\x0e" + wb.uleb(count) + b"\x00" * count + b"\x00\x0b"
    return body


MUTATIONS = [bit_flips, byte_insertions, byte_deletions, interesting_bytes, leb_corruption, truncation,
             section_size_corruption, huge_count, duplicate_section, drop_section, reorder_sections,
             splice_section, deep_nesting, huge_locals, body_bit_flips, huge_br_table]


def make_mutant(rng, seeds):
    data = bytearray(rng.choice(seeds))
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if not data:
            break
        m = rng.choice(MUTATIONS)
        data = m(rng, data, seeds)
        applied.append(m.__name__)
    return bytes(data), "+".join(applied)


# --- running wasixc -------------------------------------------------------------

def limits(mem_bytes, cpu_seconds):
    def apply():
        if mem_bytes > 0:  # 0: none (AddressSanitizer reserves terabytes)
            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_wasixc(args, wasm_path, workdir, extra, timeout, mem_bytes):
    """Returns (outcome, detail, seconds, peak RSS in KiB)."""
    tmpdir = os.path.join(workdir, "tmp")
    os.makedirs(tmpdir, exist_ok=True)
    env = dict(os.environ, TMPDIR=tmpdir)
    cmd = [args.wasixc, wasm_path, "-o", os.path.join(workdir, "out")] + extra
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            preexec_fn=limits(mem_bytes, int(timeout) + 1), start_new_session=True)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read()))
    reader.start()
    # wait4, not Popen.wait: the child's own peak RSS comes with it.
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    reader.join()
    proc.stderr.close()
    seconds = time.monotonic() - start
    peak = usage.ru_maxrss
    err = b"".join(chunks).decode(errors="replace")
    leftover = os.listdir(tmpdir)
    first_error = next((line for line in err.splitlines() if line.startswith("wasixc: error:")), "")
    if timed_out:
        return "crash", f"timeout after {timeout:.0f} s", seconds, peak
    if "AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err:
        return "crash", "sanitizer: " + err.strip().splitlines()[0][:300], seconds, peak
    if leftover:
        return "crash", f"left {leftover} in TMPDIR (exit {rc})", seconds, peak
    if rc < 0:
        return "crash", f"signal {signal.Signals(-rc).name}: {err.strip()[-300:]}", seconds, peak
    if rc == 0:
        return "compiled", "", seconds, peak
    if rc == 1 and first_error and "internal error" not in err:
        # Errors of wasixc's own making, not of the input.
        for internal in ("clang failed on the generated C", "C writer crashed",
                         "C writer could not", "LLVM ERROR"):
            if internal in err:
                return "crash", first_error[:300], seconds, peak
        return "refused", first_error[:300], seconds, peak
    return "crash", f"exit {rc}: {err.strip()[-300:]}", seconds, peak


def one_case(args, index, data, label, extra, root):
    workdir = os.path.join(root, f"case{index}")
    os.makedirs(workdir)
    path = os.path.join(workdir, "in.wasm")
    with open(path, "wb") as f:
        f.write(data)
    outcome, detail, seconds, _ = run_wasixc(args, path, workdir, extra, args.timeout, args.mem_mb << 20)
    saved = None
    if outcome == "crash" and args.crash_dir:
        os.makedirs(args.crash_dir, exist_ok=True)
        saved = os.path.join(args.crash_dir, f"crash-{args.seed}-{index}.wasm")
        shutil.copyfile(path, saved)
    shutil.rmtree(workdir, ignore_errors=True)
    return index, label, " ".join(extra), outcome, detail, seconds, saved


def backend_flags(args, rng):
    backends = ["llvm", "c"] if args.backend == "both" else [args.backend]
    backend = rng.choice(backends)
    flags = [f"--backend={backend}"]
    if backend == "llvm":
        flags += [f"--emit={args.emit}"]
    flags += [args.opt] + (["--allow-missing-imports"] if args.allow_missing_imports else [])
    return flags


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wasixc", required=True)
    ap.add_argument("--seeds", nargs="*", default=[], help=".wasm files or directories of them")
    ap.add_argument("--replay", nargs="*", default=[], help="run these inputs as they are (a corpus)")
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--backend", choices=["llvm", "c", "both"], default="llvm")
    ap.add_argument("--emit", choices=["exe", "obj"], default="obj", help="llvm backend output")
    ap.add_argument("--opt", default="-O0")
    ap.add_argument("--allow-missing-imports", action="store_true", default=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--mem-mb", type=int, default=4096, help="RLIMIT_AS of each compile (0: none)")
    ap.add_argument("--crash-dir", default="")
    ap.add_argument("--max-seconds", type=float, default=0, help="stop starting new cases after this")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    def wasm_files(paths):
        found = []
        for p in paths:
            if os.path.isdir(p):
                found += sorted(os.path.join(d, f) for d, _, fs in os.walk(p) for f in fs if f.endswith(".wasm"))
            else:
                found.append(p)
        return found

    rng = random.Random(args.seed)
    cases = []
    if args.replay:
        files = wasm_files(args.replay)
        if not files:
            sys.exit("fuzz.py: no inputs to replay in " + " ".join(args.replay))
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            for backend in (["llvm", "c"] if args.backend == "both" else [args.backend]):
                flags = [f"--backend={backend}", args.opt, "--allow-missing-imports"]
                if backend == "llvm":
                    flags.append(f"--emit={args.emit}")
                cases.append((data, os.path.basename(path), flags))
    else:
        seed_files = wasm_files(args.seeds)
        seeds = [open(p, "rb").read() for p in seed_files]
        seeds = [s for s in seeds if s]
        if not seeds:
            sys.exit("fuzz.py: no seed modules in " + " ".join(args.seeds))
        for _ in range(args.count):
            data, label = make_mutant(rng, seeds)
            cases.append((data, label, backend_flags(args, rng)))

    counts = {"compiled": 0, "refused": 0, "crash": 0}
    crashes = []
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="wasixc-fuzz-")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = []
            for i, (data, label, flags) in enumerate(cases):
                futures.append(pool.submit(
                    lambda i=i, d=data, l=label, f=flags: None
                    if args.max_seconds and time.monotonic() - started > args.max_seconds
                    else one_case(args, i, d, l, f, root)))
            for fut in futures:
                r = fut.result()
                if r is None:
                    continue
                index, label, flags, outcome, detail, seconds, saved = r
                counts[outcome] += 1
                if outcome == "crash":
                    crashes.append(r)
                    print(f"CRASH case {index} ({label}; {flags}): {detail}" + (f" -> {saved}" if saved else ""),
                          flush=True)
                elif args.verbose:
                    print(f"{outcome:8} case {index} ({label}; {flags}) {seconds:.1f}s {detail}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    total = sum(counts.values())
    print(f"fuzz: {total} inputs, {counts['compiled']} compiled, {counts['refused']} clean refusals, "
          f"{counts['crash']} crashes ({time.monotonic() - started:.0f} s)")
    if args.replay and total != len(cases):
        print(f"fuzz: only {total} of {len(cases)} corpus inputs ran")
        return 1
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
