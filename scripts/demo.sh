#!/usr/bin/env bash
# The main job: set up, build wasixc, compile the bundled example
# (tools/examples/hello.c -> build/examples/hello.wasm) into a native
# executable and run it with arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh
set -x
build/bin/wasixc build/examples/hello.wasm -o build/hello
ldd build/hello
set +e
build/hello a b
status=$?
set +x
echo "exit status: $status"
