// An LLVM pass run inside the optimisation pipeline, before the loop
// vectoriser: 32-bit pointer induction variables that address guest memory
// get a 64-bit twin (see address_iv_widening.cc).
#pragma once

#include "llvm/IR/PassManager.h"

namespace wasixc::aot::llvmgen {

// The module flag naming the fixed address of memory 0 when the pass may
// rely on the runtime's cap (memory.cc: a memory that starts below 4 GiB
// stays below 4 GiB - 64 KiB). Without it the pass does nothing.
inline constexpr const char* kWidenAddressIvsFlag = "wasixc.widen-address-ivs";

struct AddressIvWideningPass : llvm::PassInfoMixin<AddressIvWideningPass> {
  llvm::PreservedAnalyses run(llvm::Function& fn, llvm::FunctionAnalysisManager& fam);
};

}  // namespace wasixc::aot::llvmgen
