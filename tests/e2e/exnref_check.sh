#!/usr/bin/env bash
# ctest e2e_exnref: legacy-EH modules translated to exnref exceptions as
# cargo-wasix does (binaryen's `wasm-opt --emit-exnref`, wasix-abi.md §1.4)
# must behave as before: the hand-written exceptions module prints what
# its legacy form prints (at -O2, -O0 and one function a partition), the
# EH setjmp/longjmp guest prints what its native build prints, an
# exception escaping _start is a clean trap (exit 134), and the C backend
# refuses the feature by name. binaryen comes from the ctest fixture
# `binaryen` (tests/binaryen/install.sh).
#
# usage: exnref_check.sh BINARYEN_WORK WORK WASIXC E2E_DIR
set -uo pipefail
bin="$1/node_modules/binaryen/bin" work=$2 wasixc=$3 e2e=$4
[[ -f "$bin/wasm-opt" ]] || { echo "FAIL: $bin/wasm-opt is missing (ctest fixture binaryen_install)"; exit 1; }
mkdir -p "$work"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

to_exnref() {  # legacy.wasm out.wasm
  node "$bin/wasm-opt" --enable-exception-handling --enable-reference-types --enable-multivalue \
    --enable-bulk-memory --enable-mutable-globals --enable-sign-ext --enable-nontrapping-float-to-int \
    --emit-exnref "$1" -o "$2" || return 1
  # The translation really happened: try_table in the text, no legacy try.
  local text
  text=$(node "$bin/wasm-dis" "$2") || return 1
  grep -q "try_table" <<<"$text" || { echo "$2 has no try_table"; return 1; }
  ! grep -qE "^ *\(try( |$)" <<<"$text" || { echo "$2 still has a legacy try"; return 1; }
}

# The hand-written module (e2e/modules/exceptions.wat).
to_exnref "$e2e/modules/exceptions.wasm" "$work/exceptions.exnref.wasm" || fail "translating exceptions.wasm"
"$wasixc" "$e2e/modules/exceptions.wasm" -o "$work/exceptions.legacy" || fail "compiling the legacy module"
"$work/exceptions.legacy" >"$work/legacy.out" 2>&1 || fail "the legacy module exited with $?"
[[ $(wc -l <"$work/legacy.out") -eq 11 ]] || fail "the legacy module printed $(wc -l <"$work/legacy.out") lines"
for flags in -O2 -O0 --partition-size=1; do
  exe="$work/exceptions.exnref$flags"
  "$wasixc" "$flags" "$work/exceptions.exnref.wasm" -o "$exe" || { fail "compiling with $flags"; continue; }
  "$exe" >"$exe.out" 2>&1 || fail "the exnref module ($flags) exited with $?"
  cmp -s "$work/legacy.out" "$exe.out" || { fail "exnref ($flags) and legacy outputs differ:"; diff "$work/legacy.out" "$exe.out"; }
done

# setjmp/longjmp over exceptions, against the native build.
to_exnref "$e2e/eh_setjmp.wasm" "$work/eh_setjmp.exnref.wasm" || fail "translating eh_setjmp.wasm"
"$wasixc" "$work/eh_setjmp.exnref.wasm" -o "$work/eh_setjmp.exnref" || fail "compiling eh_setjmp"
(cd "$work" && ./eh_setjmp.exnref >eh_setjmp.out 2>&1) || fail "eh_setjmp (exnref) exited with $?"
"$e2e/eh_setjmp.native" >"$work/eh_setjmp.native.out" 2>&1
[[ -s "$work/eh_setjmp.native.out" ]] || fail "the native eh_setjmp printed nothing"
cmp -s "$work/eh_setjmp.native.out" "$work/eh_setjmp.out" ||
  { fail "eh_setjmp: exnref and native outputs differ:"; diff "$work/eh_setjmp.native.out" "$work/eh_setjmp.out"; }

# An exception escaping _start: a clean trap.
to_exnref "$e2e/modules/exceptions_uncaught.wasm" "$work/uncaught.exnref.wasm" || fail "translating exceptions_uncaught.wasm"
"$wasixc" "$work/uncaught.exnref.wasm" -o "$work/uncaught.exnref" || fail "compiling exceptions_uncaught"
"$work/uncaught.exnref" >"$work/uncaught.out" 2>&1
status=$?
[[ $status -eq 134 ]] || fail "the uncaught exception exited with $status, expected 134"
grep -q "wasixc: trap: uncaught exception" "$work/uncaught.out" || fail "no trap message: $(cat "$work/uncaught.out")"

# The C backend refuses exnref by name.
if "$wasixc" --backend=c "$work/exceptions.exnref.wasm" -o "$work/c.exe" 2>"$work/c.err"; then
  fail "the C backend compiled an exnref module"
fi
grep -q "exnref exceptions" "$work/c.err" || fail "the C backend's refusal does not name the feature: $(cat "$work/c.err")"

[[ $failed -eq 0 ]] && echo "PASS: exnref e2e"
exit $failed
