// Signals: the stages generate -> queue -> notify -> deliver.
//
//   generate  proc_signal/thread_signal/raise and timers check permission
//             (sandbox.h) and send a real host signal: kill(2) to a
//             process, tgkill(2) to one guest thread (threads.h), so a
//             process in another host process receives it like any signal.
//   queue     the host handler (record_host_signal) only records it: a
//             signal sent to one thread (si_code SI_TKILL) in that
//             thread's pending set, any other in the process's set;
//             standard signals coalesce.
//   notify    ...and sets pending words: the receiving thread's for a
//             thread-directed signal, every guest thread's for a
//             process-directed one. The next safepoint or syscall exit
//             notices; a blocked host call returns EINTR.
//   deliver   deliver_pending() runs on a guest thread and calls the
//             guest's registered handler export once per signal, the
//             thread's own signals first, then the process's (Linux's
//             dequeue order).
//
// Which thread runs a process-directed signal: Linux's rule (signal(7)),
// "delivered to any one of the threads that does not currently have the
// signal blocked" -- here the first guest thread to reach a safe point,
// exactly once. (Wasmer runs it on every thread; one delivery is what
// POSIX programs expect.) All guest threads share the handler and its
// blocked state (callback_signal is per process).
//
// Until the guest registers a handler (callback_signal), no host handler
// is installed: every signal keeps its Linux default action for real
// (terminate, core, ignore, stop), and what the image inherited as
// ignored stays ignored (execve(2) keeps SIG_IGN). Each registration with
// a valid name then makes the host's dispositions the guest's (see
// sync_host_dispositions_locked in signals.cc): only signals the guest
// handles get a host handler. SIGKILL and SIGSTOP are never caught.
#pragma once

#include <atomic>

#include <cerrno>
#include <cstdint>
#include <string>

#include "wasixc/abi.h"

namespace wasixc::kernel {

constexpr int kMaxSignal = 64;

// Linux signal numbers are the wire numbers (wasix-abi.md §3.1).
bool valid_signal(int sig);

// How the kernel reaches guest code, set by the runtime for the instance:
//   lookup(name): the export `(i32) -> ()` exists; it becomes the handler.
//   call(ctx, sig): runs the registered handler on the guest thread.
//   disposition(ctx, sig): the guest's disposition if it exports
//     `__wasixc_signal_disposition (i32) -> i32` (wasixc's guest library
//     does): 0 default, 1 ignore, 2 handled, 3 default set explicitly
//     over a disposition inherited as ignored; -1 when there is no such
//     export (wasix-libc binaries), and every signal but the inherited-
//     ignored and ignore-by-default ones goes to the handler.
//   interruptible_at(pc): a signal may run the handler right where it
//     interrupted this instruction of guest code (the module's
//     wasixc_module_info.interruptible; aot/llvm/interruptible.cc).
//   stack_pointer(ctx): the thread's shadow-stack pointer cell in guest
//     terms (`__stack_pointer`), or nullptr.
struct GuestSignalHooks {
  bool (*lookup)(const std::string& name);
  void (*call)(wasixc_ctx* ctx, int sig);
  int (*disposition)(wasixc_ctx* ctx, int sig);
  bool (*interruptible_at)(uintptr_t pc);
  uint32_t* (*stack_pointer)(wasixc_ctx* ctx);
};
void set_guest_signal_hooks(const GuestSignalHooks& hooks);

// callback_signal(name): registers the export as the handler and brings
// the host's dispositions in line with the guest's (asked through ctx). A
// name that does not resolve holds signals queued (wasix-libc blocks
// signals this way) until a valid one is registered. wasixc's guest
// library registers again on every signal() call, so the host follows.
void register_guest_handler(wasixc_ctx* ctx, const std::string& name);

// Whether `sig` was ignored when this image started (execve(2) keeps
// SIG_IGN): proc_signals_get reports these to the guest.
bool inherited_ignored(int sig);

// Runs the guest handler for every signal pending for the calling guest
// thread or its process, on that thread (ctx is its context). Returns
// how many ran.
int deliver_pending(wasixc_ctx* ctx);
// The same, for a thread stopped in the middle of guest code (a poll, or
// interrupted anywhere): the handlers' shadow-stack frames start below the
// red zone of the code it stopped in, when the module says where its
// stack pointer lives (GuestSignalHooks::stack_pointer; generated code
// that polls moves it itself).
int deliver_pending_in_guest_code(wasixc_ctx* ctx);

// While one lives, the calling thread is inside a host call (a syscall of
// the guest): a signal that interrupts it waits for the call's end or its
// EINTR instead of running the guest's handler right there, as guest code
// the runtime runs meanwhile (a disposition query under a lock) must not
// be interrupted. deliver_pending lifts it while a handler runs.
// (Inline: every syscall makes one. The depth is read by signal handlers:
// the signal fences keep the compiler from moving or merging its updates
// across the call.)
extern constinit thread_local int t_host_calls;
class HostCallScope {
 public:
  HostCallScope() {
    ++t_host_calls;
    std::atomic_signal_fence(std::memory_order_seq_cst);
  }
  ~HostCallScope() {
    std::atomic_signal_fence(std::memory_order_seq_cst);
    --t_host_calls;
  }
  HostCallScope(const HostCallScope&) = delete;
  HostCallScope& operator=(const HostCallScope&) = delete;
};

// Runs a host call again after an EINTR, delivering the guest's pending
// signals in between, as read(2), accept(2) and friends behave for a
// handler installed with SA_RESTART (signal(7), "Interruption of system
// calls"). `call` returns a negative value with errno set on failure.
template <typename HostCall>
auto restart_on_eintr(wasixc_ctx* ctx, HostCall call) {
  auto result = call();
  while (result < 0 && errno == EINTR) {
    deliver_pending(ctx);
    result = call();
  }
  return result;
}

// In a fork(2) child: pending signals are not inherited (POSIX fork).
// (threads_after_fork_child clears the surviving thread's own set.)
void signals_after_fork_child();

// True while signals are pending that the guest can be given now.
bool signals_deliverable();

}  // namespace wasixc::kernel
