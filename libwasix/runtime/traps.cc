// Traps: explicit ones (generated code calls wasixc_trap) and faults
// (guard-page hits in linear memory or below the stack, ud2, #DE) caught by
// signal handlers on an alternate stack. Either way the process prints
// "wasixc: trap: <kind>[ in function <name>]" and exits with status 134,
// what a shell shows for abort(), without dumping core.
#include <pthread.h>
#include <signal.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/runtime.h"

namespace wasixc {

const char* trap_message(wasixc_trap_code code) {
  switch (code) {
    case WASIXC_TRAP_UNREACHABLE: return "unreachable";
    case WASIXC_TRAP_MEMORY_OOB: return "out of bounds memory access";
    case WASIXC_TRAP_TABLE_OOB: return "out of bounds table access";
    case WASIXC_TRAP_OOB: return "out of bounds memory or table access";
    case WASIXC_TRAP_INT_DIV_ZERO: return "integer divide by zero";
    case WASIXC_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASIXC_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASIXC_TRAP_INDIRECT_CALL:
      return "indirect call failed (undefined element, null or signature "
             "mismatch)";
    case WASIXC_TRAP_INDIRECT_CALL_TYPE: return "indirect call type mismatch";
    case WASIXC_TRAP_UNDEFINED_ELEMENT: return "undefined element";
    case WASIXC_TRAP_NULL_REFERENCE: return "null reference";
    case WASIXC_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
    case WASIXC_TRAP_MISSING_IMPORT: return "call to a missing import";
    case WASIXC_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
    case WASIXC_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
    case WASIXC_TRAP_UNALIGNED_ATOMIC: return "unaligned atomic";
    case WASIXC_TRAP_WAIT_ON_UNSHARED: return "expected shared memory";
    case WASIXC_TRAP_NULL_EXCEPTION_REFERENCE: return "null exception reference";
    default: return "unknown trap";
  }
}

namespace {

// Guest memories, for classifying faults. Fixed-size and lock-free so the
// signal handler can read it.
constexpr int kMaxMemories = 64;
std::atomic<const wasixc_memory*> g_memories[kMaxMemories];

// Extra guest code ranges (loaded shared objects), lock-free for the
// signal handler.
constexpr int kMaxCodeRanges = 4096;
std::atomic<uintptr_t> g_code_start[kMaxCodeRanges], g_code_end[kMaxCodeRanges];
std::atomic<int> g_code_ranges{0};

thread_local sigjmp_buf* t_recovery = nullptr;
thread_local wasixc_trap_code t_last_trap = WASIXC_TRAP_NONE;

struct ThreadGuard {
  uintptr_t low = 0, high = 0;
};
thread_local ThreadGuard t_stack_guard;

bool in_guest_code(uintptr_t pc) {
  if (pc >= reinterpret_cast<uintptr_t>(__start_wasixc_guest_text) &&
      pc < reinterpret_cast<uintptr_t>(__stop_wasixc_guest_text))
    return true;
  int n = g_code_ranges.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i)
    if (pc >= g_code_start[i].load(std::memory_order_relaxed) &&
        pc < g_code_end[i].load(std::memory_order_relaxed))
      return true;
  return false;
}

bool in_guest_memory(uintptr_t addr) {
  for (auto& slot : g_memories) {
    const wasixc_memory* m = slot.load(std::memory_order_relaxed);
    if (!m) continue;
    uintptr_t base = reinterpret_cast<uintptr_t>(m->data);
    if (addr >= base && addr - base < WASIXC_MEMORY_RESERVATION) return true;
  }
  return false;
}

uintptr_t fault_pc(void* uctx) {
  auto* uc = static_cast<ucontext_t*>(uctx);
#if defined(__x86_64__)
  return static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  return static_cast<uintptr_t>(uc->uc_mcontext.pc);
#else
#error "wasixc: fault_pc() needs this architecture's program counter"
#endif
}

void write_all(int fd, const char* s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void on_fault(int sig, siginfo_t* info, void* uctx) {
  uintptr_t pc = fault_pc(uctx);
  uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
  bool guard_hit = (sig == SIGSEGV || sig == SIGBUS) &&
                   addr >= t_stack_guard.low && addr < t_stack_guard.high;
  // Stack exhaustion counts wherever it happens: a deep guest recursion may
  // run out of stack inside a runtime function it called.
  if (guard_hit) report_trap(WASIXC_TRAP_STACK_EXHAUSTED, pc);
  if (in_guest_code(pc)) {
    switch (sig) {
      case SIGSEGV:
      case SIGBUS:
        if (in_guest_memory(addr)) report_trap(WASIXC_TRAP_MEMORY_OOB, pc);
        break;
      case SIGFPE:
        report_trap(info->si_code == FPE_INTOVF ? WASIXC_TRAP_INT_OVERFLOW
                                                : WASIXC_TRAP_INT_DIV_ZERO,
                    pc);
      case SIGILL:
        report_trap(WASIXC_TRAP_UNREACHABLE, pc);
    }
  }
  // Not a guest trap: a bug in the runtime. Say so, then let the signal
  // take its default action when the faulting instruction re-executes.
  char msg[160];
  int n = snprintf(msg, sizeof msg,
                   "wasixc: internal error: signal %d at pc 0x%lx (address "
                   "0x%lx)\n",
                   sig, static_cast<unsigned long>(pc),
                   static_cast<unsigned long>(addr));
  write_all(2, msg, static_cast<size_t>(n));
  signal(sig, SIG_DFL);
}

}  // namespace

void fatal(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("wasixc: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  _exit(1);
}

void register_guest_memory(const wasixc_memory* mem) {
  for (auto& slot : g_memories) {
    const wasixc_memory* expected = nullptr;
    if (slot.compare_exchange_strong(expected, mem)) return;
  }
  // Faults in an untracked memory still report, as an internal error.
}

void unregister_guest_memory(const wasixc_memory* mem) {
  for (auto& slot : g_memories) {
    const wasixc_memory* expected = mem;
    if (slot.compare_exchange_strong(expected, nullptr)) return;
  }
}

void install_trap_handlers() {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) sigaction(sig, &sa, nullptr);
}

void prepare_guest_thread(uintptr_t guard_low, uintptr_t guard_high) {
  t_stack_guard = ThreadGuard{guard_low, guard_high};
  // The handler runs on this stack when the thread's own stack is gone.
  static constexpr size_t kAltStackSize = 64 * 1024;
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = malloc(kAltStackSize);
  ss.ss_size = kAltStackSize;
  if (ss.ss_sp == nullptr || sigaltstack(&ss, nullptr) != 0)
    fatal("cannot set up the signal stack for a guest thread");
}

void release_guest_thread() {
  stack_t off, old;
  memset(&off, 0, sizeof off);
  off.ss_flags = SS_DISABLE;
  if (sigaltstack(&off, &old) == 0 && !(old.ss_flags & SS_DISABLE)) free(old.ss_sp);
  t_stack_guard = ThreadGuard{};
}

void set_trap_recovery(sigjmp_buf* point) { t_recovery = point; }
wasixc_trap_code last_trap() { return t_last_trap; }

void register_guest_code(uintptr_t start, uintptr_t end) {
  int i = g_code_ranges.load();
  if (i >= kMaxCodeRanges) return;
  g_code_start[i].store(start);
  g_code_end[i].store(end);
  g_code_ranges.store(i + 1, std::memory_order_release);
}

void report_trap(wasixc_trap_code code, uintptr_t pc) {
  if (t_recovery) {
    t_last_trap = code;
    sigjmp_buf* point = t_recovery;
    t_recovery = nullptr;
    siglongjmp(*point, 1);
  }
  char name[256];
  char msg[512];
  int n;
  if (guest_function_name(pc, name, sizeof name))
    n = snprintf(msg, sizeof msg, "wasixc: trap: %s in function %s\n",
                 trap_message(code), name);
  else
    n = snprintf(msg, sizeof msg, "wasixc: trap: %s\n", trap_message(code));
  write_all(2, msg, static_cast<size_t>(n < 0 ? 0 : n));
  _exit(134);
}

void report_message_trap(const char* message, int length) {
  if (t_recovery) report_trap(WASIXC_TRAP_UNREACHABLE, 0);
  write_all(2, message, static_cast<size_t>(length < 0 ? 0 : length));
  _exit(134);
}

void report_syscall_fault(const char* module, const char* name) {
  if (t_recovery) report_trap(WASIXC_TRAP_MEMORY_OOB, 0);
  char msg[512];
  int n = snprintf(msg, sizeof msg, "wasixc: trap: %s in syscall %s.%s\n",
                   trap_message(WASIXC_TRAP_MEMORY_OOB), module, name);
  write_all(2, msg, static_cast<size_t>(n < 0 ? 0 : n));
  _exit(134);
}

}  // namespace wasixc

extern "C" void wasixc_trap(wasixc_trap_code code) {
  // The call is the last instruction of its function when the trap is
  // unconditional, so the return address may lie past the end: step back.
  wasixc::report_trap(
      code, reinterpret_cast<uintptr_t>(__builtin_return_address(0)) - 1);
}

extern "C" void wasixc_trap_missing_import(const char* module,
                                           const char* name) {
  if (wasixc::t_recovery) wasixc::report_trap(WASIXC_TRAP_MISSING_IMPORT, 0);
  char msg[512];
  int n = snprintf(msg, sizeof msg,
                   "wasixc: trap: call to missing import %s.%s\n", module, name);
  wasixc::write_all(2, msg, static_cast<size_t>(n < 0 ? 0 : n));
  _exit(134);
}
