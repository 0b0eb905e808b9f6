#!/usr/bin/env bash
# Asyncified modules run as plain code (issue 11 item 7): a forking guest
# run through binaryen's `wasm-opt --asyncify` (as Wasmer's toolchains do,
# so that Wasmer can unwind the stack to fork) is compiled by wasixc and
# must behave as the plain guest and the native program do: fork is a
# real fork, and no unwind/rewind is ever started (the asyncify_* exports
# are present and never called; an unwind would return from the guest's
# functions early and change the output).
#
# binaryen comes from npm, pinned in tests/asyncify/package-lock.json and
# installed into the build tree on first use (`npm ci`). Without npm or
# the registry this test FAILS, saying so: it never passes on nothing.
#
# usage: check_fork.sh SOURCE_DIR BINARY_DIR WASIXC GUEST.wasm GUEST.native
set -euo pipefail
src=$1 work=$2 wasixc=$3 plain=$4 native=$5
mkdir -p "$work"
wasm_opt="$work/node_modules/binaryen/bin/wasm-opt"
installed=$(node -p "require('$work/node_modules/binaryen/package.json').version" 2>/dev/null || true)
pinned=$(node -p "require('$src/package.json').dependencies.binaryen")
if [[ "$installed" != "$pinned" ]]; then
  command -v npm >/dev/null || { echo "FAIL: npm not found (scripts/setup-deps.sh installs it); binaryen $pinned is needed"; exit 1; }
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  echo "installing binaryen $pinned: npm ci --prefix $work"
  npm ci --prefix "$work" --no-audit --no-fund >"$work/npm.log" 2>&1 ||
    { echo "FAIL: npm ci failed (see $work/npm.log):"; tail -5 "$work/npm.log"; exit 1; }
fi

async="$work/fork_join.asyncify.wasm"
node "$wasm_opt" --asyncify -O2 "$plain" -o "$async"
# The transform really happened: the asyncify exports are there.
for e in asyncify_start_unwind asyncify_stop_unwind asyncify_start_rewind asyncify_stop_rewind asyncify_get_state; do
  wasm-objdump -x -j Export "$async" | grep -q "\"$e\"" || { echo "FAIL: $async exports no $e"; exit 1; }
done

"$wasixc" "$plain" -o "$work/fork_join.plain"
"$wasixc" "$async" -o "$work/fork_join.asyncify"
(cd "$work" && ./fork_join.asyncify >async.out 2>async.err) || { echo "FAIL: the asyncified guest exited with $?"; cat "$work/async.err"; exit 1; }
(cd "$work" && ./fork_join.plain >plain.out 2>&1)
"$native" >"$work/native.out" 2>&1
diff -u "$work/plain.out" "$work/async.out" || { echo "FAIL: asyncified output differs from the plain guest's"; exit 1; }
diff -u "$work/native.out" "$work/async.out" || { echo "FAIL: asyncified output differs from native"; exit 1; }
grep -q "200 cycles: sum 594, leftover children: none" "$work/async.out" || { echo "FAIL: no fork cycles"; exit 1; }
echo "asyncified fork_join: same output as the plain guest and native ($(wc -l <"$work/async.out") lines)"
