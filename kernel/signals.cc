#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <utility>

#include "threads.h"

namespace wasixc::kernel {

constinit thread_local int t_host_calls = 0;  // HostCallScope depth (signals.h)

namespace {

std::atomic<uint64_t> g_pending{0};       // process-directed, bit (sig - 1): queued, not yet delivered
std::atomic<bool> g_handler_set{false};   // callback_signal was called
std::atomic<bool> g_handler_valid{false}; // ...with a name that resolves
std::string g_handler_name;
// Guest threads may register at once; held across fork(2) so a child
// never inherits it locked.
std::mutex g_register_lock;
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_register_lock.lock(); }, [] { g_register_lock.unlock(); },
                 [] { g_register_lock.unlock(); });
  return true;
}();
GuestSignalHooks g_hooks{};

// Signals the runtime keeps for itself: faults in guest code are traps
// (runtime/traps.cc); a *sent* SIGSEGV etc. is not recorded here but would
// still reach the guest through that handler's SI_USER path (not yet).
bool runtime_owned(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGKILL ||
         sig == SIGSTOP;
}

// A signal that finds its thread in runtime code the guest's code called
// (a libc routine, a helper; not a host call) tries again after a while,
// through the runtime's own real-time signal (Linux's last).
constexpr int kRetrySignal = 64;
constexpr long kRetryNanoseconds = 500 * 1000;

// A host signal handler left a signal due on this guest thread. If it
// interrupted interruptible guest code (aot/llvm/interruptible.cc), the
// guest's handler runs right there, as Linux runs a native program's
// handler at the interrupted instruction, with its shadow-stack frames
// below the interrupted ones. The host mask becomes the interrupted
// code's again first: WASIX has no signal masks (blocking is
// callback_signal's business), so nothing would unblock a host signal
// kept blocked here once the handler longjmps out; signals nest as they
// do at polls. Returning resumes the interrupted code (the
// kernel restores every register); a handler may also longjmp out, as
// natively. In a host call, the call's end or its EINTR delivers.
void deliver_now_or_retry(void* context) {
  wasixc_ctx* ctx = current_ctx();
  if (!ctx || !ctx->pending || t_host_calls != 0 || !g_hooks.interruptible_at) return;
  if (!signals_deliverable()) return;  // blocked (or taken): they stay queued
  auto* uc = static_cast<ucontext_t*>(context);
  if (!g_hooks.interruptible_at(static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]))) {
    arm_retry_timer(kRetrySignal, kRetryNanoseconds);
    return;
  }
  pthread_sigmask(SIG_SETMASK, &uc->uc_sigmask, nullptr);
  deliver_pending_in_guest_code(ctx);
}

// As a signal handler must, it leaves errno as it found it: the guest's
// handler makes host calls, and runtime code up the stack may read it.
void deliver_interrupted(void* context) {
  int saved_errno = errno;
  deliver_now_or_retry(context);
  errno = saved_errno;
}

// The host signal handler: record and notify (it may run on any thread,
// at any instruction), then deliver if it interrupted guest code.
// tgkill(2) marks a signal meant for one thread (SI_TKILL); Linux runs
// the handler on that very thread. A process-directed signal runs it on
// any thread that does not block it (all guest threads, and only they,
// exist), which is also the thread POSIX lets take it.
void record_host_signal(int sig, siginfo_t* info, void* context) {
  uint64_t bit = uint64_t{1} << (sig - 1);
  std::atomic<uint64_t>* own = current_thread_pending();
  if (info && info->si_code == SI_TKILL && own) {
    own->fetch_or(bit);
    if (wasixc_ctx* ctx = current_ctx()) ctx->pending = 1;
  } else {
    g_pending.fetch_or(bit);
    notify_all_threads();
  }
  deliver_interrupted(context);
}

// Signal 64 is also Linux's SIGRTMAX, which a guest may handle, send or
// leave to kill (its default action). Only the runtime's own retry timer
// sends it with SI_TIMER (the guest has no POSIX timers); anything else is
// a signal like the others.
void retry_interrupted(int sig, siginfo_t* info, void* context) {
  if (info && info->si_code != SI_TIMER) {
    record_host_signal(sig, info, context);
    return;
  }
  deliver_interrupted(context);
}

// Claims the lowest signal of `set` (Linux delivers lower numbers first);
// with several threads racing, exactly one gets each signal. 0: none.
int take_signal(std::atomic<uint64_t>* set) {
  if (!set) return 0;
  for (;;) {
    uint64_t pending = set->load();
    if (!pending) return 0;
    uint64_t bit = pending & -pending;
    if (set->fetch_and(~bit) & bit) return __builtin_ctzll(bit) + 1;
  }
}

// Linux's ignore-by-default signals (signal(7): "Ign").
bool ignored_by_default(int sig) { return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT; }

// The dispositions this image started with: execve(2) keeps SIG_IGN
// ("signals set to be ignored remain ignored"), so `trap '' PIPE` and
// nohup(1) hand their ignores to us. Taken before main() runs, before the
// runtime installs anything.
uint64_t g_inherited_ignored = 0;
[[maybe_unused]] const bool g_inherited_snapshot = [] {
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    struct sigaction sa;
    if (sigaction(sig, nullptr, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN)
      g_inherited_ignored |= uint64_t{1} << (sig - 1);
  }
  return true;
}();

bool host_managed(int sig) {  // 32, 33: glibc-internal
  return !runtime_owned(sig) && sig != 32 && sig != 33 && sig != kRetrySignal;
}

void set_host_disposition(int sig, void (*handler)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigaction(sig, &sa, nullptr);
}

// Makes the host's dispositions follow the guest's, so that a signal
// inherited as ignored stays ignored unless the guest handles it:
//   handled (guest library: 2)      the recording handler below;
//   ignored (1)                      SIG_IGN;
//   default over an inherited
//   ignore (3: signal(sig, SIG_DFL)) SIG_DFL;
//   default (0)                      SIG_IGN if inherited so, else the
//                                    recording handler: deliver_pending
//                                    asks again and carries out Linux's
//                                    default (ignore-by-default signals
//                                    never reach the guest). A handler
//                                    the guest installs later is then
//                                    served even by guest libraries that
//                                    register only once;
//   unknown (-1: no __wasixc_signal_disposition export, e.g. wasix-libc,
//   whose sigaction the host cannot see): the recording handler, except
//   for signals inherited as SIG_IGN (libc applied them as ignored at
//   start-up, from proc_signals_get) and ignore-by-default ones, left at
//   SIG_DFL: some wasix-libc versions have no safe default in
//   __wasm_signal for them (a NULL default handler traps). Such a
//   guest's own SIGCHLD/SIGWINCH handlers are therefore not run (Wasmer
//   does not deliver them either).
// No SA_RESTART for waits the guest should see interrupted; the runtime's
// own retry loops deliver and then restart where Linux would (SA_RESTART
// is what signal(3) gives on Linux).
void sync_host_dispositions_locked(wasixc_ctx* ctx) {
  struct sigaction record;
  memset(&record, 0, sizeof record);
  record.sa_sigaction = record_host_signal;
  record.sa_flags = SA_SIGINFO;
  sigfillset(&record.sa_mask);
  // Retries restart interrupted host calls: they are no guest signal.
  static bool retry_installed = false;
  if (!retry_installed) {
    struct sigaction retry = record;
    retry.sa_sigaction = retry_interrupted;
    retry.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(kRetrySignal, &retry, nullptr);
    retry_installed = true;
  }
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (!host_managed(sig)) continue;
    int disposition = g_hooks.disposition && ctx ? g_hooks.disposition(ctx, sig) : -1;
    bool inherited_ignore = g_inherited_ignored & (uint64_t{1} << (sig - 1));
    if (disposition == 1 || ((disposition == 0 || disposition < 0) && inherited_ignore))
      set_host_disposition(sig, SIG_IGN);
    else if (disposition == 3 || (disposition < 0 && ignored_by_default(sig)))
      set_host_disposition(sig, SIG_DFL);
    else
      sigaction(sig, &record, nullptr);
  }
}

// Linux's default action (signal(7)): ignore-type signals vanish; the rest
// terminate, dump core or stop the process for real, so a parent's
// waitpid and a shell see exactly what they would natively.
void default_action(int sig) {
  if (ignored_by_default(sig)) return;
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  struct sigaction old;
  sigaction(sig, &dfl, &old);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  raise(sig);
  sigaction(sig, &old, nullptr);  // a stop-type signal returns here on SIGCONT
}

}  // namespace

bool valid_signal(int sig) { return sig >= 0 && sig <= kMaxSignal; }

void set_guest_signal_hooks(const GuestSignalHooks& hooks) { g_hooks = hooks; }

bool inherited_ignored(int sig) {
  return sig >= 1 && sig <= kMaxSignal && (g_inherited_ignored & (uint64_t{1} << (sig - 1)));
}

void register_guest_handler(wasixc_ctx* ctx, const std::string& name) {
  std::lock_guard<std::mutex> guard(g_register_lock);
  g_handler_name = name;
  g_handler_valid = g_hooks.lookup && g_hooks.lookup(name);
  g_handler_set = true;
  // A name that does not resolve blocks signals (wasix-libc): the
  // dispositions stay as they are and signals queue.
  if (g_handler_valid) sync_host_dispositions_locked(ctx);
  // Unblocking (a valid name again): what was held back is due now.
  if (g_handler_valid && g_pending.load() != 0) notify_all_threads();
  std::atomic<uint64_t>* own = current_thread_pending();
  if (g_handler_valid && own && own->load() != 0)
    if (wasixc_ctx* ctx = current_ctx()) ctx->pending = 1;
}

void signals_after_fork_child() { g_pending = 0; }

bool signals_deliverable() {
  std::atomic<uint64_t>* own = current_thread_pending();
  return g_handler_valid && (g_pending.load() != 0 || (own && own->load() != 0));
}

int deliver_pending_in_guest_code(wasixc_ctx* ctx) {
  uint32_t* sp = g_hooks.stack_pointer ? g_hooks.stack_pointer(ctx) : nullptr;
  uint32_t saved = sp ? *sp : 0;
  if (sp) *sp = saved - WASIXC_WASM_RED_ZONE;
  int ran = deliver_pending(ctx);
  if (sp) *sp = saved;
  return ran;
}

int deliver_pending(wasixc_ctx* ctx) {
  ctx->pending = 0;
  // A retry armed before (or meanwhile, by a signal that found this loop
  // running) must not fire into a later blocking call as a spurious EINTR:
  // what it waited for is delivered here.
  disarm_retry_timer();
  if (!g_handler_valid || !g_hooks.call) return 0;  // blocked: stay queued
  int ran = 0;
  std::atomic<uint64_t>* own = current_thread_pending();
  for (;;) {
    // The thread's own signals first, then the process's (Linux
    // dequeue_signal: task->pending, then signal->shared_pending).
    int sig = take_signal(own);
    if (!sig) sig = take_signal(&g_pending);
    if (!sig) {
      disarm_retry_timer();
      if (!ctx->pending) return ran;
      ctx->pending = 0;  // one came after the last look: take it too
      continue;
    }
    int disposition = g_hooks.disposition ? g_hooks.disposition(ctx, sig) : -1;
    // Changed to default since the host last synchronised (or an
    // ignore-by-default signal the guest cannot be shown: see
    // sync_host_dispositions_locked).
    if (disposition == 0 || disposition == 3 || (disposition < 0 && ignored_by_default(sig))) {
      default_action(sig);
    } else if (disposition != 1) {
      // The handler is guest code like any other: interruptible, even
      // when it runs from within a host call (an EINTR).
      int host_calls = std::exchange(t_host_calls, 0);
      g_hooks.call(ctx, sig);
      t_host_calls = host_calls;
      ++ran;
    }
  }
}

}  // namespace wasixc::kernel
