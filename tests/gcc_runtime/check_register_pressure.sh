#!/usr/bin/env bash
# The runtime must be correct whatever compiler builds it. Configures the
# project with GCC (as a plain `cmake -B build` does on Debian), builds only
# the runtime archive, links the register-pressure guest against it with
# wasixc and checks that a 100 us interval timer firing at its safepoint
# polls leaves the checksum equal to the native build's: a safepoint entry
# that clobbers a register generated code keeps live (GCC ignores
# preserve_most) changes it or crashes.
#   check_register_pressure.sh SOURCE_DIR WASIXC GUEST.wasm NATIVE WORK_DIR
set -euo pipefail
src=$1 wasixc=$2 guest=$3 native=$4 work=$5
command -v gcc >/dev/null && command -v g++ >/dev/null || { echo "gcc/g++ not installed"; exit 1; }
mkdir -p "$work"
# -O2 without debug info: the build is the slow part of this test.
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE= -DCMAKE_C_FLAGS=-O2 -DCMAKE_CXX_FLAGS=-O2 \
  -DCMAKE_C_COMPILER=gcc -DCMAKE_CXX_COMPILER=g++ -DWASIXC_BUILD_TESTS=OFF >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; exit 1; }
grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=.*g++$" "$work/build/CMakeCache.txt" || { echo "not a GCC build"; exit 1; }
cmake --build "$work/build" --target wasixc_rt >"$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 1; }
WASIXC_RUNTIME_DIR="$work/build/lib/wasixc" "$wasixc" "$guest" -o "$work/register_pressure"

n=10000000
expected=$("$native" plain "$n" 2>/dev/null)
status=0
for mode in plain timer; do
  out=$("$work/register_pressure" "$mode" "$n" 2>"$work/$mode.err") || { echo "$mode: exit $?"; cat "$work/$mode.err"; status=1; continue; }
  if [ "$out" != "$expected" ]; then
    echo "$mode: '$out', native '$expected'"
    status=1
  fi
done
ticks=$(sed -n 's/^ticks //p' "$work/timer.err")
if [ "${ticks:-0}" -lt 100 ]; then
  echo "the timer fired ${ticks:-0} times (expected hundreds): the test did not exercise the safepoint"
  status=1
fi
[ $status -eq 0 ] && echo "GCC-built runtime: $expected with and without the timer ($ticks ticks)"
exit $status
