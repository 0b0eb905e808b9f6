// Runtime internals shared by the files of libwasix/runtime: start-up,
// trap handling and guest-memory bookkeeping. Not part of the ABI.
#pragma once

#include <setjmp.h>

#include <cstdint>

#include "wasixc/abi.h"

namespace wasixc {

// Tables (both backends) are capped so a guest asking for billions of
// elements gets a failed table.grow (-1) instead of exhausting host memory.
constexpr uint32_t kMaxTableElements = 10'000'000;

// Prints "wasixc: error: <message>" and exits with status 1.
[[noreturn]] __attribute__((format(printf, 1, 2))) void fatal(const char* fmt,
                                                              ...);

// Memories the trap handler may attribute a fault to (memory.cc).
void register_guest_memory(const wasixc_memory* mem);
void unregister_guest_memory(const wasixc_memory* mem);

// Installs the SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers that turn faults in
// generated code into traps (traps.cc). Process-wide, once.
void install_trap_handlers();

// Per guest thread: an alternate signal stack (so a stack overflow can be
// reported) and the guard region below the thread's stack, where a fault
// means "call stack exhausted".
void prepare_guest_thread(uintptr_t guard_low, uintptr_t guard_high);

// Reports a trap at `pc` and exits with status 134. Async-signal-safe
// enough to be called from the fault handler.
[[noreturn]] void report_trap(wasixc_trap_code code, uintptr_t pc);

// Writes the name of the guest function containing `pc` into `out`
// (symbolize.cc); returns false if it is not known.
bool guest_function_name(uintptr_t pc, char* out, size_t out_size);

// For embedders that continue after a trap (the spec harness): while a
// recovery point is set on this thread, a trap records its code and
// siglongjmps there instead of ending the process.
void set_trap_recovery(sigjmp_buf* point);
wasixc_trap_code last_trap();
const char* trap_message(wasixc_trap_code code);

// Code loaded at run time (shared objects of the spec harness) that counts
// as guest code for fault handling, besides the executable's own section.
void register_guest_code(uintptr_t start, uintptr_t end);

// Runs fn(arg) on a new thread whose stack has a guard region below it
// (stack exhaustion -> trap) and waits for it.
void run_on_guest_stack(void* (*fn)(void*), void* arg);

// LLVM-backend modules (instance.cc): build the instance an executable
// runs, and call its _start (or _initialize).
wasixc_ctx* instantiate_for_executable(const wasixc_module_info& info);
void run_entry_point(const wasixc_module_info& info, wasixc_ctx* ctx);

// Connects the kernel's signal path to this executable's guest (export
// lookup, handler calls, the thread to notify) (signal_glue.cc).
void prepare_signals(const wasixc_module& module, wasixc_ctx* ctx);

}  // namespace wasixc
