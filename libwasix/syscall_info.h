// A descriptive view of the syscall table (include/wasixc/syscalls.def):
// what the compiler resolves imports against and what tracing and the
// docs print. Holds no handlers, so aot/ can link it without the runtime.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace wasixc {

enum SyscallFlags : unsigned {
  SYSCALL_MAY_BLOCK = 1,  // can wait (I/O, sleep): signals interrupt it
  SYSCALL_NORETURN = 2,   // ends the process or thread
  // returns a second time when a later call restores it (setjmp's
  // stack_checkpoint; aot/llvm/stack_checkpoints.h)
  SYSCALL_RETURNS_TWICE = 4,
};

enum class SyscallStatus { SUPPORTED, PARTIAL };

struct SyscallInfo {
  const char* module;   // import module, e.g. "wasi_snapshot_preview1"
  const char* name;     // import name, e.g. "fd_write"
  const char* symbol;   // entry point the generated code calls
  const char* result;   // "ERRNO", "I32", "I64" or "VOID"
  const char* params;   // as written in the table, e.g. "(I32, I64)"
  SyscallStatus status;
  unsigned flags;
  const char* note;
};

// Every entry of the table, in table order (index == syscall id).
const SyscallInfo* syscall_table();
size_t syscall_count();

// The compatibility table (libwasix/SYSCALLS.md) as markdown: every
// preview1 and wasix_32v1 function, supported / partial (why) / not yet.
std::string syscall_compat_markdown();

// Finds (module, name); nullptr if the table has no such import.
// wasix_32v1 also serves every preview1 name.
const SyscallInfo* find_syscall(const std::string& module,
                                const std::string& name);

// The wasm signature as value-type letters: params "iI" (i = i32, I = i64,
// f = f32, F = f64) and results ("i" for ERRNO and I32, "" for VOID).
std::string syscall_param_letters(const SyscallInfo& info);
std::string syscall_result_letters(const SyscallInfo& info);

}  // namespace wasixc
