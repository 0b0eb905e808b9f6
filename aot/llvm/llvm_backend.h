// The LLVM backend: wasm -> LLVM IR -> optimised native object.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aot/compile.h"
#include "aot/imports.h"
#include "aot/module_loader.h"

#include "wabt/feature.h"

namespace llvm {
class Module;
}

namespace wasixc::aot {
namespace llvmgen {
struct CodegenOptions;
class BodyFacts;
}

// What the LLVM backend compiles: wasixc_features() without SIMD (yet).
wabt::Features llvm_backend_features();

// Refuses (CompileError) a module that reads with wasixc_features() but
// needs a feature the backend lacks; reader-only passes, no IR.
void require_llvm_features(const LoadedModule& m);

// Compiles the module into objects for an executable (the module plus the
// wasixc_guest_module glue). With --emit=ll writes IR to options.output
// instead and returns no objects. A module read in slices
// (load_module_in_slices) comes with the facts gathered from its bodies,
// and each partition reads its own slice: its `module` (every function
// with a stub body) is released once the partitions are planned.
std::vector<std::string> compile_with_llvm_backend(LoadedModule& m, const ImportPlan& imports,
                                                   const CompileOptions& options,
                                                   const std::string& work_dir,
                                                   std::shared_ptr<const llvmgen::BodyFacts> facts = nullptr);

// Lower level, for embedders such as the spec harness: one object whose
// module descriptor is named `info_symbol`; `extend` may add to the IR
// before optimisation.
void compile_to_object(const LoadedModule& m, const ImportPlan& imports,
                       const llvmgen::CodegenOptions& codegen, const std::string& info_symbol,
                       int opt_level, const std::string& cpu, const std::string& object_path,
                       const std::function<void(llvm::Module&)>& extend = {});

}  // namespace wasixc::aot
