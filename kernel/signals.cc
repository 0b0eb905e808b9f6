#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <atomic>
#include <mutex>

#include "threads.h"

namespace wasixc::kernel {
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
std::atomic<bool> g_host_handlers_installed{false};

// Signals the runtime keeps for itself: faults in guest code are traps
// (runtime/traps.cc); a *sent* SIGSEGV etc. is not recorded here but would
// still reach the guest through that handler's SI_USER path (not yet).
bool runtime_owned(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGKILL ||
         sig == SIGSTOP;
}

// The host signal handler: record and notify, nothing else (it may run on
// any thread, at any instruction). tgkill(2) marks a signal meant for one
// thread (SI_TKILL); Linux runs the handler on that very thread.
void record_host_signal(int sig, siginfo_t* info, void*) {
  uint64_t bit = uint64_t{1} << (sig - 1);
  if (info && info->si_code == SI_TKILL) {
    if (std::atomic<uint64_t>* own = current_thread_pending()) {
      own->fetch_or(bit);
      if (wasixc_ctx* ctx = current_ctx()) ctx->pending = 1;
      return;
    }
  }
  g_pending.fetch_or(bit);
  notify_all_threads();
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

// No SA_RESTART for waits the guest should see interrupted; the runtime's
// own retry loops deliver and then restart where Linux would (SA_RESTART
// is what signal(3) gives on Linux).
void install_host_handlers() {
  if (g_host_handlers_installed.exchange(true)) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = record_host_signal;
  sa.sa_flags = SA_SIGINFO;
  sigfillset(&sa.sa_mask);
  for (int sig = 1; sig <= kMaxSignal; ++sig) {
    if (runtime_owned(sig) || sig == 32 || sig == 33) continue;  // glibc-internal real-time signals
    sigaction(sig, &sa, nullptr);
  }
}

// Linux's default action (signal(7)): ignore-type signals vanish; the rest
// terminate, dump core or stop the process for real, so a parent's
// waitpid and a shell see exactly what they would natively.
void default_action(int sig) {
  if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT) return;
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

void register_guest_handler(const std::string& name) {
  std::lock_guard<std::mutex> guard(g_register_lock);
  g_handler_name = name;
  g_handler_valid = g_hooks.lookup && g_hooks.lookup(name);
  g_handler_set = true;
  install_host_handlers();
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

int deliver_pending(wasixc_ctx* ctx) {
  ctx->pending = 0;
  if (!g_handler_valid || !g_hooks.call) return 0;  // blocked: stay queued
  int ran = 0;
  std::atomic<uint64_t>* own = current_thread_pending();
  for (;;) {
    // The thread's own signals first, then the process's (Linux
    // dequeue_signal: task->pending, then signal->shared_pending).
    int sig = take_signal(own);
    if (!sig) sig = take_signal(&g_pending);
    if (!sig) return ran;
    int disposition = g_hooks.disposition ? g_hooks.disposition(ctx, sig) : -1;
    if (disposition == 0) {
      default_action(sig);
    } else if (disposition != 1) {
      g_hooks.call(ctx, sig);
      ++ran;
    }
  }
}

}  // namespace wasixc::kernel
