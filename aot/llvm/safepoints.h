// The parts of a safepoint poll, for the code that emits polls
// (FunctionCodegen::emit_safepoint in safepoints.cc; interruptible.cc
// after optimisation) and the passes that find them (poll_versioning.cc,
// interruptible.cc). Where polls go is poll_placement.h's business.
#pragma once

#include "llvm/IR/IRBuilder.h"

namespace wasixc::aot::llvmgen {

// The runtime entry a poll's slow path calls (abi.h: wasixc_safepoint),
// declared in `module` once: cold, nounwind, LLVM's preserve_most
// convention (calls to it must use it too).
llvm::Function* safepoint_function(llvm::Module& module);

// `ctx->pending != 0` for the instance `inst` (whose wasixc_ctx holds the
// word), read with a volatile load: another thread sets it.
llvm::Value* pending_is_set(llvm::IRBuilder<>& b, llvm::Value* inst);

// Whether `bb` calls safepoint_function: the slow block of a poll.
bool calls_safepoint(const llvm::BasicBlock& bb);

}  // namespace wasixc::aot::llvmgen
