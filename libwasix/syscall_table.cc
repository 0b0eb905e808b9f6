// The entry points generated code calls for each import, made from the
// syscall table: wasixc_sys_<module>_<name>(ctx, args...). Each one goes
// through dispatch(), the single place for what every syscall shares:
// strace-style tracing (WASIX_TRACE=1) and turning a bad guest pointer
// (GuestFault) into EFAULT.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <new>
#include <stdexcept>
#include <type_traits>

#include "guest_memory.h"
#include "kernel/signals.h"
#include "runtime/runtime.h"
#include "syscall_info.h"
#include "wasi/wasi.h"
#include "wasix/wasix.h"
#include "wasixc/syscall_macros.h"

namespace wasixc {
namespace {

enum SyscallId : unsigned {
#define WASIX_SYSCALL(MOD, NAME, IDENT, ...) SYS_##MOD##_##IDENT,
#include "wasixc/syscalls.def"
#undef WASIX_SYSCALL
};

bool tracing() {
  static const bool enabled = [] {
    const char* v = getenv("WASIX_TRACE");
    return v && *v && *v != '0';
  }();
  return enabled;
}

// "[wasix PID]", or "[wasix PID/TID]" on a thread other than the main one.
void trace_call(unsigned id, uint32_t tid, std::initializer_list<uint64_t> args) {
  const SyscallInfo& s = syscall_table()[id];
  int pid = static_cast<int>(getpid());
  if (tid == 0 || tid == static_cast<uint32_t>(pid))
    fprintf(stderr, "[wasix %d] %s(", pid, s.name);
  else
    fprintf(stderr, "[wasix %d/%u] %s(", pid, tid, s.name);
  const char* sep = "";
  for (uint64_t a : args) {
    fprintf(stderr, "%s%" PRIu64, sep, a);
    sep = ", ";
  }
  fprintf(stderr, ")%s", (s.flags & SYSCALL_NORETURN) ? "\n" : "");
}

// A bad guest pointer in a call that has no errno to report it with (a
// void or noreturn call such as callback_signal or proc_exec) ends the
// guest with a trap, as a fault in guest code would; never an uncaught
// exception (SIGABRT).
[[noreturn]] void fault_trap(unsigned id) {
  const SyscallInfo& s = syscall_table()[id];
  report_syscall_fault(s.module, s.name);
}

template <typename Handler, typename... Args>
auto dispatch(unsigned id, wasixc_ctx* ctx, Handler handler, Args... args) {
  using Result = std::invoke_result_t<Handler, wasixc_ctx&, Args...>;
  // A signal that interrupted runtime code before this call (and waits
  // for a retry) is delivered first, as it would have been natively.
  if (ctx->pending) kernel::deliver_pending(ctx);
  const bool trace = tracing();
  if (trace) trace_call(id, ctx->thread_id, {static_cast<uint64_t>(args)...});
  if constexpr (std::is_same_v<Result, Errno>) {
    Errno e;
    try {
      kernel::HostCallScope in_host;
      e = handler(*ctx, args...);
    } catch (const GuestFault&) {
      e = Errno::FAULT;  // Linux: a bad user pointer is EFAULT
    } catch (const std::bad_alloc&) {
      e = Errno::NOMEM;  // a guest-sized request the host cannot hold
    } catch (const std::length_error&) {
      e = Errno::NOMEM;
    }
    if (trace)
      fprintf(stderr, " = %u %s\n", static_cast<unsigned>(e), errno_name(e));
    if (ctx->pending) kernel::deliver_pending(ctx);  // a safe point: syscall exit
    return static_cast<uint32_t>(e);
  } else if constexpr (std::is_void_v<Result>) {
    try {
      kernel::HostCallScope in_host;
      handler(*ctx, args...);
    } catch (const GuestFault&) {
      fault_trap(id);
    } catch (const std::bad_alloc&) {
      fault_trap(id);
    } catch (const std::length_error&) {
      fault_trap(id);
    }
    if (trace) fprintf(stderr, "\n");
    if (ctx->pending) kernel::deliver_pending(ctx);
  } else {
    // Calls with a value result report failure in band: wasi.thread-spawn
    // returns -errno.
    Result r;
    try {
      kernel::HostCallScope in_host;
      r = handler(*ctx, args...);
    } catch (const GuestFault&) {
      r = static_cast<Result>(-static_cast<int64_t>(Errno::FAULT));
    } catch (const std::bad_alloc&) {
      r = static_cast<Result>(-static_cast<int64_t>(Errno::NOMEM));
    }
    if (trace) fprintf(stderr, " = %" PRIu64 "\n", static_cast<uint64_t>(r));
    return r;
  }
}

}  // namespace
}  // namespace wasixc

using namespace wasixc;

#define WX_ENTRY(MOD, IDENT, HANDLER, RESULT, PARAMS)                       \
  extern "C" WX_TYPE_##RESULT wasixc_sys_##MOD##_##IDENT(                   \
      wasixc_ctx* ctx WX_PARAM_DECLS(PARAMS)) {                             \
    return dispatch(SYS_##MOD##_##IDENT, ctx, &HANDLER WX_PARAM_NAMES(PARAMS)); \
  }
#define WX_ENTRY_ERRNO WX_ENTRY
#define WX_ENTRY_I32 WX_ENTRY
#define WX_ENTRY_I64 WX_ENTRY
#define WX_ENTRY_VOID WX_ENTRY
#define WX_ENTRY_ERRNO_ASM(...)  // hand-written (runtime/*.S)
#define WX_ENTRY_VOID_ASM(...)
#define WASIX_SYSCALL(MOD, NAME, IDENT, HANDLER, RESULT, PARAMS, STATUS, FLAGS, NOTE) \
  WX_ENTRY_##RESULT(MOD, IDENT, HANDLER, RESULT, PARAMS)
#include "wasixc/syscalls.def"
#undef WASIX_SYSCALL

