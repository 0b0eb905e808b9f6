#!/usr/bin/env bash
# Compile time and peak memory of wasixc on one large generated module.
#   bench/compile_large.sh [MEGABYTES] [extra wasixc flags...]
# Writes bench/results/compile-large.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-20}
shift || true
work=${WORK:-/tmp/wasixc-bench}
mkdir -p "$work" bench/results
python3 bench/gen_large_module.py "$work/large.wasm" "$mb"
size=$(stat -c %s "$work/large.wasm")
/usr/bin/time -v build/bin/wasixc -v "$work/large.wasm" -o "$work/large" "$@" 2> "$work/time.log"
seconds=$(grep 'Elapsed (wall clock)' "$work/time.log" | awk '{print $NF}')
peak_kb=$(grep 'Maximum resident set size' "$work/time.log" | awk '{print $NF}')
parts=$(grep -o "[0-9]* partitions on [0-9]* threads" "$work/time.log" || echo "1 partition")
set +e
"$work/large"; status=$?
set -e
{
  echo "Compiling one generated module (bench/gen_large_module.py), $(date +%Y-%m-%d), $(nproc) cores."
  echo
  echo "| wasm size | flags | wall time (m:s) | peak RSS | partitions | runs |"
  echo "|---|---|---|---|---|---|"
  echo "| $((size / 1000000)) MB | ${*:--O2} | $seconds | $((peak_kb / 1024)) MiB | $parts | exit $status |"
} | tee bench/results/compile-large.md
