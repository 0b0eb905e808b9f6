// Interruptible code: signals run the guest's handler wherever its code is
// (interruptible.cc), so the safepoint polls become compiler barriers.
#pragma once

namespace llvm {
class Module;
}

namespace wasixc::aot::llvmgen {

// Module flag set by module_codegen.cc when the module's code may be
// interrupted at any instruction (CodegenOptions::interruptible).
inline constexpr const char* kInterruptibleFlag = "wasixc.interruptible";

// After optimisation, in a module carrying kInterruptibleFlag: every poll
// (a volatile load of the pending word and a branch to a call of the
// runtime's safepoint) becomes a compiler barrier on the fast path; the
// slow blocks go. Calls of host routines that may run long get a poll
// after them instead. Returns how many polls went.
unsigned polls_to_barriers(llvm::Module& module);

}  // namespace wasixc::aot::llvmgen
