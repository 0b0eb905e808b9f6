#!/usr/bin/env bash
# Every benchmark in one command, writing bench/results/:
#   bench/run.sh [--quick]
# compute guests (run.py: native, wasixc llvm / no safepoints / c, node V8,
# @wasmer/sdk; start-up, sizes, compile cost), process operations
# (run_proc.py) and one large generated module (compile_large.sh, 20 MB).
# --quick: 3 runs each and a 2 MB module, for a smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=()
runs=5
mb=20
if [ "${1:-}" = "--quick" ]; then
  quick=(--quick)
  runs=3
  mb=2
fi
scripts/setup-deps.sh
# gnuplot for the chart; node + npm for the JIT runtimes (Debian's nodejs
# when the machine has none).
missing=()
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
scripts/build.sh
python3 bench/run.py "${quick[@]}"
python3 bench/run_proc.py --runs "$runs"
bash bench/compile_large.sh "$mb"
