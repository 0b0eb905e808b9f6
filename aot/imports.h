// Import resolution: every function a module imports must be in the
// syscall table (libwasix/include/wasixc/syscalls.def) with the same
// signature; the only other import allowed is one linear memory (wasix-libc
// programs import `env.memory`). Everything is checked at compile time, so
// a produced executable never meets an unknown import.
#pragma once

#include <string>
#include <vector>

#include "module_loader.h"
#include "syscall_info.h"

namespace wasixc::aot {

struct FunctionImport {
  std::string module, name;
  std::string params, results;  // value-type letters: i I f F (r = ref)
  const SyscallInfo* syscall;   // nullptr: missing, compiled as a trap stub
};

struct ImportPlan {
  std::vector<FunctionImport> functions;  // in import order
  bool imports_memory = false;
  std::string memory_module, memory_name;
  uint64_t memory_initial_pages = 0, memory_max_pages = 0;
  bool memory_shared = false;
  std::vector<std::string> modules;  // distinct import module names
};

// Resolves every import of `m`. Missing functions are an error naming all
// of them, unless `allow_missing` (then they become trap stubs). An
// `embedder` (the spec harness) binds imports at instantiation, so any
// import kind is accepted and nothing is missing.
ImportPlan resolve_imports(const LoadedModule& m, bool allow_missing, bool embedder = false);

// Whether wasix-libc built the module (ImportContext::wasix_libc in
// libwasix/syscall_info.h): it exports wasix-libc's signal callback
// `__wasm_signal` (i32) -> () and not wasixc's guest-library marker
// `__wasixc_signal_disposition`. Decides the unit of proc_raise_interval.
bool built_by_wasix_libc(const wabt::Module& module);

// Value-type letters for a wabt signature list ("iI" for i32 i64).
std::string type_letters(const std::vector<wabt::Type>& types);

}  // namespace wasixc::aot
