#!/usr/bin/env bash
# Installs binaryen (wasm-as, wasm-opt), pinned in tests/asyncify/package.json
# and package-lock.json, into WORK/node_modules (`npm ci`) unless that
# version is already there. The ctest fixture `binaryen` runs it once for
# the tests that assemble or translate modules with it (spec_exnref,
# e2e_exnref). Without npm or the registry it FAILS, saying so, and so do
# the tests that need it: none passes on nothing.
#
# usage: install.sh PACKAGE_DIR WORK
set -euo pipefail
src=$1 work=$2
mkdir -p "$work"
pinned=$(node -p "require('$src/package.json').dependencies.binaryen")
installed=$(node -p "require('$work/node_modules/binaryen/package.json').version" 2>/dev/null || true)
if [[ "$installed" == "$pinned" ]]; then
  echo "binaryen $pinned is installed in $work"
  exit 0
fi
command -v npm >/dev/null || { echo "FAIL: npm not found (scripts/setup-deps.sh installs it); binaryen $pinned is needed"; exit 1; }
cp "$src/package.json" "$src/package-lock.json" "$work/"
echo "installing binaryen $pinned: npm ci --prefix $work"
npm ci --prefix "$work" --no-audit --no-fund >"$work/npm.log" 2>&1 ||
  { echo "FAIL: npm ci failed (see $work/npm.log):"; tail -5 "$work/npm.log"; exit 1; }
