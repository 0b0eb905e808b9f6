#!/usr/bin/env bash
# Expected-codegen tests: compiles a .wat file with wasixc --emit=ll for
# every `;; RUN: <flags> => <PREFIX>` line in it and checks the IR against
# the file's `;; PREFIX:` lines with LLVM's FileCheck. FILE.py (for proposals
# wat2wasm cannot assemble) writes the module itself: FILE.py OUT.wasm.
#   run_check.sh WASIXC FILECHECK WAT2WASM FILE.wat|FILE.py WORK_DIR
set -euo pipefail
wasixc=$1 filecheck=$2 wat2wasm=$3 wat=$4 work=$5
mkdir -p "$work"
case "$wat" in
  *.py)  # a generator of what wat2wasm cannot assemble: FILE.py OUT.wasm
    name=$(basename "$wat" .py)
    python3 "$wat" "$work/$name.wasm" ;;
  *)
    name=$(basename "$wat" .wat)
    "$wat2wasm" --enable-threads --enable-tail-call --enable-exceptions --debug-names "$wat" -o "$work/$name.wasm" ;;
esac
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
