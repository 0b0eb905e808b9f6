"""What the compile-time and speedtest1 benchmarks share: the rss_probe
launcher (wall time and peak RSS of one run) and medians."""
import os
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLANG = "clang-19"


class Probe:
    def __init__(self, work):
        self.path = os.path.join(work, "rss_probe")
        subprocess.run([CLANG, "-O2", os.path.join(ROOT, "bench", "rss_probe.c"), "-o", self.path], check=True)

    def run(self, cmd, cwd=None):
        """(wall seconds, peak RSS KiB, stdout, CPU seconds) of cmd (CPU:
        user + system of the whole process tree, from wait4); fails on a
        non-zero exit."""
        with tempfile.NamedTemporaryFile("r") as out, tempfile.TemporaryFile() as err, \
                tempfile.TemporaryFile() as stdout:
            proc = subprocess.Popen([self.path, out.name] + cmd, cwd=cwd, stdout=stdout, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}:\n"
                                 f"{err.read().decode(errors='replace')[-2000:]}")
            seconds, kib = out.read().split()
            stdout.seek(0)
            text = stdout.read().decode(errors="replace")
        return float(seconds), int(kib), text, usage.ru_utime + usage.ru_stime


def median(values):
    return statistics.median(values)


def alternate(variants, runs, measure):
    """Runs measure(name) for every variant in turn, `runs` rounds, so load
    changes on a shared machine hit every variant alike; each round starts
    one variant later than the one before (no variant always runs first or
    right after the same neighbour). Returns {name: [results]}, the i-th
    result of every variant from round i."""
    results = {name: [] for name in variants}
    for round_number in range(runs):
        start = round_number % len(variants)
        for name in variants[start:] + variants[:start]:
            results[name].append(measure(name))
    return results


def paired_ratio(results, name, base, key=lambda x: x):
    """The median over rounds of name's result / base's result in the same
    round (from alternate): a slow phase of a shared machine then moves
    both sides of each ratio, where it moves only some rounds' medians."""
    return median([key(a) / key(b) for a, b in zip(results[name], results[base])])
