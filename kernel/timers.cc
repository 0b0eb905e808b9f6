#include "timers.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "signals.h"

namespace wasixc::kernel {
namespace {

std::mutex g_lock;
timer_t g_timers[kMaxSignal + 1];
bool g_created[kMaxSignal + 1];

timespec to_timespec(uint64_t ns) {
  return {static_cast<time_t>(ns / 1000000000ull), static_cast<long>(ns % 1000000000ull)};
}

uint64_t to_ns(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// A fork(2) while another thread holds the lock would leave the child's
// copy locked forever: hold it across fork (pthread_atfork).
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_lock.lock(); }, [] { g_lock.unlock(); }, [] { g_lock.unlock(); });
  return true;
}();

}  // namespace

int set_signal_timer(int sig, uint64_t first_ns, uint64_t repeat_ns) {
  if (sig <= 0 || sig > kMaxSignal) return EINVAL;
  std::lock_guard<std::mutex> guard(g_lock);
  if (!g_created[sig]) {
    if (first_ns == 0) return 0;  // cancelling a timer that never existed
    sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    if (timer_create(CLOCK_MONOTONIC, &ev, &g_timers[sig]) != 0) return errno;
    g_created[sig] = true;
  }
  itimerspec spec{to_timespec(repeat_ns), to_timespec(first_ns)};
  return timer_settime(g_timers[sig], 0, &spec, nullptr) == 0 ? 0 : errno;
}

void timers_after_fork_child() {
  for (bool& created : g_created) created = false;
}

void get_signal_timer(int sig, uint64_t* remaining_ns, uint64_t* repeat_ns) {
  *remaining_ns = *repeat_ns = 0;
  if (sig <= 0 || sig > kMaxSignal) return;
  std::lock_guard<std::mutex> guard(g_lock);
  itimerspec spec;
  if (!g_created[sig] || timer_gettime(g_timers[sig], &spec) != 0) return;
  *remaining_ns = to_ns(spec.it_value);
  *repeat_ns = to_ns(spec.it_interval);
}

}  // namespace wasixc::kernel
