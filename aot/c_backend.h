// The C backend: libwabt's C writer (wasm2c, in-process) + clang-19. Kept
// for differential testing against the LLVM backend; both link against the
// same runtime ABI (libwasix/include/wasixc/abi.h).
#pragma once

#include <string>
#include <vector>

#include "compile.h"
#include "imports.h"
#include "module_loader.h"

namespace wasixc::aot {

// Writes C for the module plus the glue that binds it to the runtime, and
// compiles both. Returns the object files.
std::vector<std::string> compile_with_c_backend(const LoadedModule& m,
                                                const ImportPlan& imports,
                                                const CompileOptions& options,
                                                const std::string& work_dir);

// The glue translation unit (c_glue.cc): import adapters, trap stubs for
// missing imports, the baked-in configuration and wasixc_guest_module.
std::string c_backend_glue(const LoadedModule& m, const ImportPlan& imports,
                           const CompileOptions& options);

// Symbol mangling of wabt 1.0.32's C writer: letters, digits and '_' stay
// (except 'Z'); anything else becomes 'Z' and two hex digits.
std::string wasm2c_mangle(const std::string& name);

// A C string literal for arbitrary bytes.
std::string c_string_literal(const std::string& s);

}  // namespace wasixc::aot
