// An LLVM pass run inside the optimisation pipeline: innermost counted
// loops get a copy without safepoint polls (see poll_versioning.cc).
#pragma once

#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Transforms/Scalar/LoopPassManager.h"

namespace wasixc::aot::llvmgen {

// Loop pass, before full unrolling: polls leave loops whose trip count has
// a small constant bound (unrolling would otherwise copy them).
struct ShortLoopPollRemovalPass : llvm::PassInfoMixin<ShortLoopPollRemovalPass> {
  llvm::PreservedAnalyses run(llvm::Loop& loop, llvm::LoopAnalysisManager& lam,
                              llvm::LoopStandardAnalysisResults& ar, llvm::LPMUpdater& updater);
};

// Function pass, after each function's loop passes: counted loops get a
// poll-free copy for short runs.
struct PollVersioningPass : llvm::PassInfoMixin<PollVersioningPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& fam);
};

}  // namespace wasixc::aot::llvmgen
