// An LLVM pass run inside the optimisation pipeline, just before the loop
// vectoriser: loops whose guest-memory accesses LLVM would check pointer by
// pointer get a copy checked stream by stream (see stream_versioning.cc).
#pragma once

#include "llvm/IR/PassManager.h"

namespace wasixc::aot::llvmgen {

struct StreamVersioningPass : llvm::PassInfoMixin<StreamVersioningPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& fam);
};

}  // namespace wasixc::aot::llvmgen
