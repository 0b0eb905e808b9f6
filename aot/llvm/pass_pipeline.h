// The optimisation step of the LLVM backend: which passes run on a
// partition's IR at each -O level (pass_pipeline.cc).
#pragma once

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace wasixc::aot::llvmgen {

// Runs the pass pipeline of opt_level (0-3) over the module.
// Developer knobs (environment): WASIXC_PIPELINE replaces the pipeline of
// -O1 and above (opt's -passes syntax), WASIXC_PRINT_PIPELINE=1 prints the
// one that runs.
void optimize(llvm::Module& module, llvm::TargetMachine& tm, int opt_level);

}  // namespace wasixc::aot::llvmgen
