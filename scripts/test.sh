#!/usr/bin/env bash
# Sets up, builds and runs every test (unit, end-to-end) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"
