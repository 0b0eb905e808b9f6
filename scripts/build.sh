#!/usr/bin/env bash
# Configures and builds wasixc into build/ (build/bin/wasixc); BUILD_DIR=dir
# builds elsewhere (e.g. a second tree beside a running benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 >/dev/null
cmake --build "$BUILD_DIR"
