#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, end-to-end, expected codegen,
# spec suite) with CTest, then shows the spec-suite harness's report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
cd build
status=0
ctest --output-on-failure -j"$(nproc)" || status=$?
# The spec harness's per-file lines and totals (CTest keeps passing output
# only in its log).
echo
echo "Spec suite (LLVM backend):"
awk '/^[0-9]+\/[0-9]+ Testing: spec_/ {show=1} /^Test (Passed|Failed)/ {show=0} show && /passed|CRASHED|spec total|line [0-9]+:/' \
  Testing/Temporary/LastTest.log || true
exit $status
