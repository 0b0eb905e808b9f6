#!/usr/bin/env bash
# Installs what wasixc needs to build and test, from Debian bookworm.
# A no-op when everything is present. Needs root (or sudo) to install.
set -euo pipefail

PACKAGES=(
  cmake ninja-build          # build
  clang-19 lld-19            # compiles generated code and guests, links executables
  llvm-19-dev llvm-19-tools   # the LLVM backend (in-process LLVM 19); FileCheck for tests
  libzstd-dev zlib1g-dev     # what llvm-19-dev's static libraries link against
  libjemalloc-dev            # the compiler's allocator (tools/CMakeLists.txt)
  wabt                       # libwabt.a (reader, validator, C writer), wasm-rt.h, wat2wasm
  libuv1-dev                 # libuv_a.a, linked statically into every executable
  wasi-libc libclang-rt-19-dev-wasm32   # guest sysroot and builtins for wasm32-wasi
  libgtest-dev nlohmann-json3-dev   # tests, spec harness
  python3                    # fuzz driver and limits tests (tests/fuzz)
  nodejs                     # node:wasi, a second WASI implementation the file tests compare with
  libclang-rt-19-dev         # sanitizer runtimes, for -DWASIXC_SANITIZE builds
  g++                        # tests: the runtime must also be correct when GCC builds it
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm installs binaryen's wasm-opt for tests/asyncify (pinned in its
# package-lock.json). A node that brings its own npm (nodesource) is kept.
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  echo "setup-deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The versions this project is tested with (README, "Pinned versions").
# wabt must be exactly 1.0.32: the C backend binds to its C writer's output.
wabt_version=$(dpkg-query -W -f='${Version}' wabt)
if [[ "$wabt_version" != 1.0.32* ]]; then
  echo "setup-deps: error: wabt $wabt_version installed, wasixc needs 1.0.32" >&2
  exit 1
fi
