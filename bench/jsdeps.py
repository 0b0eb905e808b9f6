"""bench/'s node dependencies (bench/package.json: @wasmer/sdk, binaryen).

run.py and run_proc.py call ensure(), which runs `npm ci --prefix bench`
when bench/node_modules lacks a pinned package or holds another version.
"""
import json
import os
import shutil
import subprocess

BENCH = os.path.dirname(os.path.abspath(__file__))
MODULES = os.path.join(BENCH, "node_modules")
WASMER_SCRIPT = os.path.join(BENCH, "wasmer_sdk.mjs")
WASM_OPT = os.path.join(MODULES, "binaryen", "bin", "wasm-opt")  # a node script


def pinned(name):
    """The version bench/package.json pins for a package."""
    with open(os.path.join(BENCH, "package.json")) as f:
        return json.load(f)["dependencies"][name]


def _installed(name, version):
    try:
        with open(os.path.join(MODULES, name, "package.json")) as f:
            return json.load(f).get("version") == version
    except (OSError, ValueError):
        return False


def ensure():
    """Installs the pinned packages if needed. Returns None, or why they are missing."""
    with open(os.path.join(BENCH, "package.json")) as f:
        pinned = json.load(f)["dependencies"]
    if all(_installed(n, v) for n, v in pinned.items()):
        return None
    if not shutil.which("npm"):
        return "npm not found (node's npm installs @wasmer/sdk)"
    print("installing bench/'s node packages: npm ci --prefix bench", flush=True)
    r = subprocess.run(["npm", "ci", "--prefix", BENCH, "--no-audit", "--no-fund"],
                       capture_output=True, text=True)
    if r.returncode != 0 or not all(_installed(n, v) for n, v in pinned.items()):
        lines = [l for l in r.stderr.splitlines() if "ERR" in l] or r.stderr.splitlines() or ["?"]
        return "npm ci failed: " + lines[-1].strip()
    return None
