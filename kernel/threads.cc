#include "threads.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "futex.h"
#include "signals.h"

namespace wasixc::kernel {
namespace {

// What the host signal handler walks to notify every thread: a list of
// slots that only grows (a free slot is reused), readable without locks.
struct Slot {
  std::atomic<wasixc_ctx*> ctx{nullptr};
  Slot* next = nullptr;
};
std::atomic<Slot*> g_slots{nullptr};
std::atomic<int> g_notifying{0};  // handlers walking the list right now

Slot* claim_slot(wasixc_ctx* ctx) {
  for (Slot* s = g_slots.load(); s; s = s->next) {
    wasixc_ctx* expected = nullptr;
    if (s->ctx.compare_exchange_strong(expected, ctx)) return s;
  }
  Slot* s = new Slot;
  s->ctx.store(ctx);
  s->next = g_slots.load();
  while (!g_slots.compare_exchange_weak(s->next, s)) {
  }
  return s;
}

// After this the ctx may be freed: a handler that read the pointer just
// before it was cleared has finished with it.
void release_slot(Slot* s) {
  s->ctx.store(nullptr);
  while (g_notifying.load() != 0) sched_yield();
}

struct Thread {
  uint32_t tid = 0;
  wasixc_ctx* ctx = nullptr;
  pid_t host_tid = 0;
  Slot* slot = nullptr;
  std::atomic<uint64_t> pending{0};  // thread-directed signals (bit sig-1)
  std::atomic<uint32_t> ended{0};    // the futex word joiners wait on
  int retry_timer = -1;              // the kernel's POSIX timer id (arm_retry_timer)
  bool retry_armed = false;          // set until disarmed, even once it fired; this thread's only
};

std::mutex g_lock;  // guards g_threads and g_main_tid
std::unordered_map<uint32_t, std::shared_ptr<Thread>> g_threads;  // live guest threads
uint32_t g_main_tid = 0;
// The table owns the record while the thread is registered.
thread_local Thread* t_self = nullptr;

// A fork(2) while another thread holds the lock would leave it locked in
// the child forever.
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_lock.lock(); }, [] { g_lock.unlock(); }, [] { g_lock.unlock(); });
  return true;
}();

pid_t host_tid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

uint32_t add_locked(wasixc_ctx* ctx, uint32_t tid, pid_t host) {
  auto t = std::make_shared<Thread>();
  t->tid = tid;
  t->ctx = ctx;
  t->host_tid = host;
  t->slot = claim_slot(ctx);
  ctx->thread_id = tid;
  g_threads[tid] = t;
  t_self = t.get();
  return tid;
}

uint32_t resolve_alias_locked(uint32_t tid) { return tid == kMainThreadAlias ? g_main_tid : tid; }

}  // namespace

void register_main_thread(wasixc_ctx* ctx) {
  std::lock_guard<std::mutex> guard(g_lock);
  g_main_tid = static_cast<uint32_t>(getpid());
  add_locked(ctx, g_main_tid, host_tid());
}

uint32_t register_thread(wasixc_ctx* ctx) {
  pid_t host = host_tid();
  std::lock_guard<std::mutex> guard(g_lock);
  return add_locked(ctx, static_cast<uint32_t>(host), host);
}

bool unregister_current_thread() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  Thread* self = t_self;
  if (!self) return false;
  if (self->retry_timer >= 0) syscall(SYS_timer_delete, self->retry_timer);
  self->retry_timer = -1;
  futex_forget_current_thread();
  release_slot(self->slot);
  std::shared_ptr<Thread> keep;  // joiners hold their own reference
  bool last;
  {
    std::lock_guard<std::mutex> guard(g_lock);
    auto it = g_threads.find(self->tid);
    if (it != g_threads.end()) {
      keep = it->second;
      g_threads.erase(it);
    }
    last = g_threads.empty();
  }
  t_self = nullptr;
  self->ended.store(1);
  futex_wake(&self->ended, UINT32_MAX);
  return last;
}

wasixc_ctx* current_ctx() { return t_self ? t_self->ctx : nullptr; }

uint32_t current_tid() { return t_self ? t_self->tid : 0; }

int join_thread(uint32_t tid) {
  std::shared_ptr<Thread> target;
  {
    std::lock_guard<std::mutex> guard(g_lock);
    tid = resolve_alias_locked(tid);
    if (t_self && tid == t_self->tid) return EDEADLK;  // POSIX pthread_join: joining oneself
    auto it = g_threads.find(tid);
    if (it == g_threads.end()) return 0;  // ended already, or never was: WASIX says success
    target = it->second;
  }
  while (target->ended.load() == 0) futex_wait32(&target->ended, 0, -1);
  return 0;
}

int signal_thread(uint32_t tid, int sig) {
  if (!valid_signal(sig)) return EINVAL;
  std::lock_guard<std::mutex> guard(g_lock);
  auto it = g_threads.find(resolve_alias_locked(tid));
  if (it == g_threads.end()) return ESRCH;  // tgkill(2): no such thread in the group
  if (sig == 0) return 0;
  // Under the lock, so the thread cannot end and its host tid be reused
  // in between. If the target is the caller, the host handler runs before
  // tgkill returns; it takes no locks.
  return syscall(SYS_tgkill, getpid(), it->second->host_tid, sig) == 0 ? 0 : errno;
}

void sleep_thread(uint64_t ns) {
  if (ns == 0) {
    sched_yield();
    return;
  }
  timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  uint64_t total = static_cast<uint64_t>(deadline.tv_nsec) + ns % 1000000000ull;
  deadline.tv_sec += static_cast<time_t>(ns / 1000000000ull + total / 1000000000ull);
  deadline.tv_nsec = static_cast<long>(total % 1000000000ull);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR)
    if (wasixc_ctx* ctx = current_ctx()) deliver_pending(ctx);
}

uint32_t parallelism() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<uint32_t>(n) : 1;
}

std::atomic<uint64_t>* current_thread_pending() { return t_self ? &t_self->pending : nullptr; }

void notify_all_threads() {
  g_notifying.fetch_add(1);
  for (Slot* s = g_slots.load(); s; s = s->next)
    if (wasixc_ctx* ctx = s->ctx.load()) ctx->pending = 1;
  g_notifying.fetch_sub(1);
}

void threads_after_fork_child() {
  // A handler that was walking the slots on another thread is gone too.
  g_notifying.store(0);
  Thread* self = t_self;
  std::shared_ptr<Thread> keep;
  auto it = self ? g_threads.find(self->tid) : g_threads.end();
  if (it != g_threads.end()) keep = it->second;
  g_threads.clear();
  for (Slot* s = g_slots.load(); s; s = s->next)
    if (!self || s != self->slot) s->ctx.store(nullptr);
  if (!keep) return;
  // The survivor is the new process's main thread: tid = pid.
  keep->tid = g_main_tid = static_cast<uint32_t>(getpid());
  keep->host_tid = host_tid();
  keep->ctx->thread_id = keep->tid;
  keep->pending.store(0);  // POSIX fork: the child has no pending signals
  keep->retry_timer = -1;  // nor timers (timer_create(2))
  keep->retry_armed = false;
  g_threads[keep->tid] = keep;
}

void arm_retry_timer(int sig, long ns) {
  Thread* self = t_self;
  if (!self) return;
  if (self->retry_timer < 0) {
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = sig;
    ev._sigev_un._tid = host_tid();
    int id = -1;
    if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) != 0) return;
    self->retry_timer = id;
  }
  struct itimerspec once;
  memset(&once, 0, sizeof once);
  once.it_value.tv_sec = ns / 1000000000;
  once.it_value.tv_nsec = ns % 1000000000;
  if (syscall(SYS_timer_settime, self->retry_timer, 0, &once, nullptr) == 0) self->retry_armed = true;
}

void disarm_retry_timer() {
  Thread* self = t_self;
  if (!self || !self->retry_armed) return;
  struct itimerspec off;
  memset(&off, 0, sizeof off);
  syscall(SYS_timer_settime, self->retry_timer, 0, &off, nullptr);
  self->retry_armed = false;
}

}  // namespace wasixc::kernel
