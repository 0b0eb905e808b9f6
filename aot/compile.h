// The compiler pipeline: .wasm in, native executable out.
//   load_module (libwabt read + validate)
//   -> resolve_imports (against the syscall table)
//   -> a backend turns the module into objects (c_backend.cc)
//   -> link_executable (objects + libwasixc_rt.a + libuv, static)
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wasixc::aot {

struct CompileOptions {
  std::string input;
  std::string output;
  int opt_level = 2;
  std::string backend = "llvm";
  std::string emit = "exe";       // exe, obj (the object) or ll (LLVM IR)
  std::string cpu = "x86-64";     // LLVM backend: target CPU, or "native"
  bool safepoints = true;         // LLVM backend: polls at entries/loops
  // LLVM backend: signals interrupt generated code at any instruction, so
  // the polls compile to compiler barriers (aot/llvm/interruptible.cc);
  // false (--poll-safepoints): signals wait for the next poll.
  bool interrupts = true;
  // LLVM backend, executables: memory 0 at a fixed address, a constant in
  // every access (abi.h, WASIXC_FIXED_MEMORY_ADDRESS).
  bool fixed_memory = true;
  // LLVM backend: instructions per partition of a large module (0: the
  // built-in size); modules up to twice this compile as one LLVM module.
  size_t partition_size = 0;
  // LLVM backend: partitions compiled at once (-j N; 0: the cores this
  // process may run on). The output is the same whatever it is.
  unsigned jobs = 0;
  bool quiet = false;        // -q: no progress line on a terminal
  bool time_report = false;  // --time-report: per-phase times on stderr
  bool verbose = false;
  bool save_temps = false;
  bool allow_missing_imports = false;
  bool allow_host_exec = false;  // exec/spawn may start non-wasixc programs
  uint32_t net_policy = 0;        // --net: 0 off, 1 loopback, 2 all (kernel/net_policy.h)
  std::vector<std::pair<std::string, std::string>> dirs;  // host, guest
  std::vector<std::string> env;                           // "K=V"
};

// Compiles; throws CompileError on any failure.
void compile(const CompileOptions& options);

}  // namespace wasixc::aot
