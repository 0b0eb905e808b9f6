#include "futex.h"

#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>

#include "signals.h"
#include "threads.h"

namespace wasixc::kernel {
namespace {

// A sleeping thread. It sleeps on its own word (a Linux futex on the
// thread's stack), so a wake never depends on the guest word's value.
struct Waiter {
  const void* addr;
  pthread_t owner;
  std::atomic<uint32_t> woken{0};
  Waiter* prev = nullptr;
  Waiter* next = nullptr;
};

// One lock, one FIFO list: waits are rare and short next to the work a
// thread does between them. Buckets by address can come if contention
// ever shows in a profile.
std::mutex g_lock;
Waiter* g_head = nullptr;
Waiter* g_tail = nullptr;

void link_locked(Waiter* w) {
  w->prev = g_tail;
  w->next = nullptr;
  (g_tail ? g_tail->next : g_head) = w;
  g_tail = w;
}

void unlink_locked(Waiter* w) {
  (w->prev ? w->prev->next : g_head) = w->next;
  (w->next ? w->next->prev : g_tail) = w->prev;
  w->prev = w->next = nullptr;
}

long futex(std::atomic<uint32_t>* word, int op, uint32_t value, const timespec* deadline) {
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, deadline, nullptr,
                 FUTEX_BITSET_MATCH_ANY);
}

// fork(2) copies a held lock into the child forever locked, and the child
// has only the forking thread: hold the lock across fork, and drop the
// other threads' waiters in the child (POSIX fork: one thread survives).
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_lock.lock(); }, [] { g_lock.unlock(); },
                 [] {
                   for (Waiter* w = g_head; w;) {
                     Waiter* next = w->next;
                     if (!pthread_equal(w->owner, pthread_self())) unlink_locked(w);
                     w = next;
                   }
                   g_lock.unlock();
                 });
  return true;
}();

template <typename T>
WaitResult wait_on(const void* addr, T expected, int64_t timeout_ns) {
  Waiter self{addr, pthread_self()};
  timespec deadline{};
  if (timeout_ns >= 0) {
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    int64_t ns = deadline.tv_nsec + timeout_ns % 1000000000;
    deadline.tv_sec += static_cast<time_t>(timeout_ns / 1000000000 + ns / 1000000000);
    deadline.tv_nsec = static_cast<long>(ns % 1000000000);
  }
  {
    std::lock_guard<std::mutex> guard(g_lock);
    // Compared under the lock that wakers take: a wake after this check
    // finds us queued (no lost wake-up).
    if (std::atomic_ref<T>(*const_cast<T*>(static_cast<const T*>(addr))).load() != expected)
      return WaitResult::kNotEqual;
    link_locked(&self);
  }
  for (;;) {
    if (self.woken.load()) return WaitResult::kWoken;
    // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline.
    long r = futex(&self.woken, FUTEX_WAIT_BITSET_PRIVATE, 0, timeout_ns >= 0 ? &deadline : nullptr);
    if (r == 0 || errno == EAGAIN) continue;  // woken (or spuriously): re-check
    if (errno == EINTR) {
      // A signal arrived: run the guest's handler now, then keep waiting.
      if (wasixc_ctx* ctx = current_ctx()) deliver_pending(ctx);
      continue;
    }
    break;  // ETIMEDOUT
  }
  std::lock_guard<std::mutex> guard(g_lock);
  if (self.woken.load()) return WaitResult::kWoken;  // a wake won the race
  unlink_locked(&self);
  return WaitResult::kTimedOut;
}

}  // namespace

WaitResult futex_wait32(const void* addr, uint32_t expected, int64_t timeout_ns) {
  return wait_on<uint32_t>(addr, expected, timeout_ns);
}

WaitResult futex_wait64(const void* addr, uint64_t expected, int64_t timeout_ns) {
  return wait_on<uint64_t>(addr, expected, timeout_ns);
}

uint32_t futex_wake(const void* addr, uint32_t count) {
  uint32_t woken = 0;
  std::lock_guard<std::mutex> guard(g_lock);
  for (Waiter* w = g_head; w && woken < count;) {
    Waiter* next = w->next;
    if (w->addr == addr) {
      unlink_locked(w);
      w->woken.store(1);
      // The waiter may already have seen the flag and left; a wake of its
      // old stack word then finds nobody, which is harmless.
      futex(&w->woken, FUTEX_WAKE_PRIVATE, 1, nullptr);
      ++woken;
    }
    w = next;
  }
  return woken;
}

void futex_forget_current_thread() {
  std::lock_guard<std::mutex> guard(g_lock);
  for (Waiter* w = g_head; w;) {
    Waiter* next = w->next;
    if (pthread_equal(w->owner, pthread_self())) unlink_locked(w);
    w = next;
  }
}

}  // namespace wasixc::kernel
