#!/usr/bin/env bash
# Expected-codegen tests: compiles a .wat file with wasixc --emit=ll for
# every `;; RUN: <flags> => <PREFIX>` line in it and checks the IR against
# the file's `;; PREFIX:` lines with LLVM's FileCheck.
#   run_check.sh WASIXC FILECHECK WAT2WASM FILE.wat WORK_DIR
set -euo pipefail
wasixc=$1 filecheck=$2 wat2wasm=$3 wat=$4 work=$5
name=$(basename "$wat" .wat)
mkdir -p "$work"
"$wat2wasm" --enable-threads --debug-names "$wat" -o "$work/$name.wasm"
runs=0
while IFS= read -r line; do
  spec=${line#;; RUN:}
  flags=${spec%%=>*}
  prefix=$(echo "${spec##*=>}" | tr -d ' ')
  # shellcheck disable=SC2086
  "$wasixc" "$work/$name.wasm" --backend=llvm --emit=ll $flags -o "$work/$name.$prefix.ll"
  "$filecheck" --check-prefix="$prefix" "$wat" --input-file "$work/$name.$prefix.ll"
  runs=$((runs + 1))
done < <(grep '^;; RUN:' "$wat")
[ "$runs" -gt 0 ] || { echo "no RUN lines in $wat" >&2; exit 1; }
echo "$name: $runs run(s) checked"
