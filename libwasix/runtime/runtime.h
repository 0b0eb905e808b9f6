// Runtime internals shared by the files of libwasix/runtime: start-up,
// trap handling and guest-memory bookkeeping. Not part of the ABI.
#pragma once

#include <setjmp.h>

#include <cstdint>
#include <vector>

#include "wasi_errno.h"
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
// means "call stack exhausted". release_guest_thread undoes it when the
// thread ends.
void prepare_guest_thread(uintptr_t guard_low, uintptr_t guard_high);
void release_guest_thread();

// Reports a trap at `pc` and exits with status 134. Async-signal-safe
// enough to be called from the fault handler.
[[noreturn]] void report_trap(wasixc_trap_code code, uintptr_t pc);

// A syscall that cannot report a bad guest pointer with an errno (void
// and noreturn calls): "wasixc: trap: out of bounds memory access in
// syscall MODULE.NAME", exit status 134 (or the recovery point).
[[noreturn]] void report_syscall_fault(const char* module, const char* name);

// A trap with its own message (a whole line, "wasixc: trap: ...\n"):
// printed, exit status 134 (or the recovery point).
[[noreturn]] void report_message_trap(const char* message, int length);

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
// The native stack a guest thread gets (RLIMIT_STACK within bounds) and
// the guard below it: large enough that no single frame of generated code
// can step over it (generated code is also built with stack probes).
size_t guest_stack_size();
constexpr size_t kStackGuardSize = 1u << 20;

// LLVM-backend modules (instance.cc): build the instance an executable
// runs, and call its _start (or _initialize).
wasixc_ctx* instantiate_for_executable(const wasixc_module_info& info);
void run_entry_point(const wasixc_module_info& info, wasixc_ctx* ctx);
// Whether memory 0 is an imported shared memory, which thread instances
// can share.
bool imports_shared_memory(const wasixc_module_info& info);
// An instance for a guest thread over `memory`, and the tables its init
// allocated (freed with it). ctx is nullptr when out of memory.
struct ThreadInstance {
  wasixc_ctx* ctx = nullptr;
  std::vector<wasixc_table*> tables;
};
ThreadInstance instantiate_for_thread(const wasixc_module_info& info, wasixc_memory* memory);
void free_thread_instance(ThreadInstance& t);
// wasixc_table_allocate reports each table here (llvm_support.cc).
void note_new_table(wasixc_table* table);

// Connects the kernel's signal path to this executable's guest (export
// lookup, handler calls, the thread to notify) (signal_glue.cc).
void prepare_signals(const wasixc_module& module);

// Guest threads (guest_threads.cc). enable_guest_threads tells the thread
// spawner which module to instantiate.
void enable_guest_threads(const wasixc_module& module);
// Runs fn(arg) on the calling guest thread until it returns (true) or the
// thread calls thread_exit (false).
bool run_guest_thread_body(void (*fn)(void*), void* arg);
// thread_exit: leaves run_guest_thread_body on the calling thread.
[[noreturn]] void exit_guest_thread();
// thread-spawn: a new guest thread running wasi_thread_start(tid,
// start_arg); *tid gets its tid. NOTCAPABLE: no such export; NOTSUP: the
// module has no imported shared memory (or is a C-backend build); AGAIN:
// out of memory or host threads.
Errno spawn_guest_thread(wasixc_ctx* parent, uint32_t start_arg, uint32_t* tid);
// The general form: which export (type (i32, i32) -> ()) the thread runs
// and its arguments; the 2023 ABI's thread_spawn runs _start_thread(user
// data low, high) on a stack the guest chose.
struct GuestThreadEntry {
  const char* export_name;
  bool tid_first;           // the first argument is the new tid (arg0 unused)
  uint32_t arg0, arg1;
  uint32_t stack_pointer;   // non-zero: the new instance's exported
                            // mutable __stack_pointer starts here
};
Errno spawn_guest_thread(wasixc_ctx* parent, const GuestThreadEntry& how, uint32_t* tid);

}  // namespace wasixc
