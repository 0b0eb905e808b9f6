#!/usr/bin/env bash
# ctest spec_exnref: assembles exnref.py's modules with binaryen's wasm-as
# (installed by the ctest fixture `binaryen`) and runs the commands.
#
# usage: run_exnref.sh BINARYEN_WORK OUT_DIR SPEC_RUNNER
set -euo pipefail
wasm_as="$1/node_modules/binaryen/bin/wasm-as"
[[ -f "$wasm_as" ]] || { echo "FAIL: $wasm_as is missing (ctest fixture binaryen_install)"; exit 1; }
python3 "$(dirname "$0")/exnref.py" "$2" "$wasm_as"
exec "$3" "$2/exnref.json"
