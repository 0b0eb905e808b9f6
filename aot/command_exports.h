// Exports of a command module as host callbacks.
//
// wasm-ld wraps every export of a command module except _start in a
// `<name>.command_export` function: call __wasm_call_ctors (when there
// are constructors), call the real function, call __wasm_call_dtors. That
// suits an export called as a fresh program entry; a callback the host
// invokes in the middle of the program (the signal handler, the thread
// entry) must not run them: wasi-libc's destructors flush stdio, so a
// signal arriving during printf would write its buffer twice.
#pragma once

#include <cstdint>

#include "wabt/ir.h"

namespace wasixc::aot {

// The function the host should call for function export `e`: for a
// callback, the function the wrapper forwards to when the export has
// exactly that shape; the export's own function otherwise, and always for
// the program entries _start and _initialize (whose wrapper runs the
// destructors, stdio's flush included, when the program ends).
uint32_t export_call_target(const wabt::Module& m, const wabt::Export& e);

}  // namespace wasixc::aot
