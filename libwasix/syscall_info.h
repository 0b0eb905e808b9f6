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
  // Chosen only for modules built by wasix-libc (ImportContext), before
  // an entry of the same name and signature without this flag.
  SYSCALL_IF_WASIX_LIBC = 8,
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

// `wasixc --list-syscalls`: one line per entry (module, name, signature,
// status, note), then the names served as aliases of preview1 entries.
std::string syscall_list_text();

// Finds (module, name): its first entry; nullptr if the table has no such
// import. wasix_32v1 and wasi_unstable also serve every preview1 name they
// do not define themselves (alias_module()).
const SyscallInfo* find_syscall(const std::string& module,
                                const std::string& name);

// What import resolution knows about the module besides an import's name
// and signature (aot/imports.cc decides it from the module's exports).
struct ImportContext {
  // Built by wasix-libc: it exports `__wasm_signal` (its signal callback)
  // and not `__wasixc_signal_disposition` (wasixc's guest library).
  bool wasix_libc = false;
};

// The entry that serves an import: a name may have several entries (older
// WASIX signatures, wasix-libc's units); the first, in table order, whose
// signature letters match and whose condition holds. nullptr if none does
// (syscall_overloads() then says what is provided).
const SyscallInfo* select_syscall(const std::string& module, const std::string& name,
                                  const std::string& params, const std::string& results,
                                  const ImportContext& context);

// Every entry that may serve (module, name), own entries first, then the
// preview1 ones it inherits.
std::vector<const SyscallInfo*> syscall_overloads(const std::string& module,
                                                  const std::string& name);

// The module whose names `module` also serves when it has no entry of its
// own: wasi_snapshot_preview1 for wasix_32v1 (older WASIX toolchains import
// preview1 calls from it) and wasi_unstable (preview0: preview1 less the
// calls whose layouts differ, which it defines itself); else nullptr.
const char* alias_module(const std::string& module);

// The wasm signature as value-type letters: params "iI" (i = i32, I = i64,
// f = f32, F = f64) and results ("i" for ERRNO and I32, "" for VOID).
std::string syscall_param_letters(const SyscallInfo& info);
std::string syscall_result_letters(const SyscallInfo& info);

}  // namespace wasixc
