// Guest threads (wasix-abi.md §3.4): thread-spawn makes a new instance of
// the module over the one shared memory (own globals, so own
// __stack_pointer and TLS base; own ctx, so own pending word), then runs
// its export wasi_thread_start(tid, start_arg) on a new host thread. The
// bookkeeping (tids, joins, exit rules, signals) is in kernel/threads.h.
//
// Native stacks: glibc allocates (and caches) each thread's stack, of the
// main guest thread's size, with a guard region below it that the trap
// handler knows, so deep recursion in a thread is a "call stack
// exhausted" trap there too. Threads are detached: joining is the
// kernel's thread_join or the guest's own flag, never pthread_join.
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "kernel/futex.h"
#include "kernel/process.h"
#include "kernel/threads.h"
#include "runtime/runtime.h"

namespace wasixc {
namespace {

const wasixc_module* g_module = nullptr;

// Where thread_exit returns to on this thread (run_guest_thread_body).
thread_local jmp_buf* t_exit_point = nullptr;

// Held while an instance is built, and across fork(2): instantiation takes
// runtime locks (type ids) a forked child must not inherit held.
std::mutex g_instantiate_lock;
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_instantiate_lock.lock(); }, [] { g_instantiate_lock.unlock(); },
                 [] { g_instantiate_lock.unlock(); });
  return true;
}();

const wasixc_export_desc* find_export(const wasixc_module_info& info, const char* name, uint32_t kind,
                                      const char* type) {
  size_t length = strlen(name);
  for (uint32_t i = 0; i < info.export_count; ++i) {
    const wasixc_export_desc& e = info.exports[i];
    if (e.kind == kind && e.name_length == length && memcmp(e.name, name, length) == 0 &&
        strcmp(e.type, type) == 0)
      return &e;
  }
  return nullptr;
}

// Handed from the spawner to the new host thread, which owns it.
struct Start {
  ThreadInstance instance;
  const wasixc_export_desc* entry;
  GuestThreadEntry how;
  sigset_t mask;                        // the spawner's signal mask, for the new thread
  std::atomic<uint32_t>* tid_handoff;  // on the spawner's stack: written once, then forgotten
};

struct EntryCall {
  const wasixc_export_desc* entry;
  wasixc_ctx* ctx;
  uint64_t args[2];
};

void* thread_main(void* p) {
  Start* start = static_cast<Start*>(p);  // every signal is blocked here (inherited)
  // glibc's guard sits right below the usable stack.
  pthread_attr_t attr;
  void* low = nullptr;
  size_t size = 0, guard = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_getguardsize(&attr, &guard);
    pthread_attr_destroy(&attr);
  }
  uintptr_t stack_low = reinterpret_cast<uintptr_t>(low);
  prepare_guest_thread(stack_low - guard, stack_low);

  ThreadInstance instance = std::move(start->instance);
  uint32_t tid = kernel::register_thread(instance.ctx);
  EntryCall call{start->entry, instance.ctx, {start->how.arg0, start->how.arg1}};
  if (start->how.tid_first) call.args[0] = tid;
  sigset_t mask = start->mask;
  start->tid_handoff->store(tid);
  kernel::futex_wake(start->tid_handoff, 1);
  delete start;

  pthread_sigmask(SIG_SETMASK, &mask, nullptr);
  run_guest_thread_body(
      [](void* c) {
        auto* call = static_cast<EntryCall*>(c);
        call->entry->invoke(call->ctx, call->args, nullptr);
      },
      &call);
  if (kernel::unregister_current_thread()) kernel::exit_process(0);  // the last thread: exit(0)
  release_guest_thread();
  free_thread_instance(instance);
  return nullptr;
}

}  // namespace

void enable_guest_threads(const wasixc_module& module) { g_module = &module; }

bool run_guest_thread_body(void (*fn)(void*), void* arg) {
  jmp_buf point;
  jmp_buf* outer = t_exit_point;
  t_exit_point = &point;
  // No C++ object lives across the jump: the frames skipped are guest
  // code and the syscall dispatch of thread_exit.
  bool returned = setjmp(point) == 0;
  if (returned) fn(arg);
  t_exit_point = outer;
  return returned;
}

void exit_guest_thread() {
  if (t_exit_point) longjmp(*t_exit_point, 1);
  // A thread the runtime did not start (an embedder's): it is the last.
  kernel::exit_process(0);
}

Errno spawn_guest_thread(wasixc_ctx* parent, uint32_t start_arg, uint32_t* tid) {
  return spawn_guest_thread(parent, GuestThreadEntry{"wasi_thread_start", true, 0, start_arg, 0}, tid);
}

Errno spawn_guest_thread(wasixc_ctx* parent, const GuestThreadEntry& how, uint32_t* tid) {
  // The C backend's instances are the C writer's, and it refuses shared
  // memories anyway.
  if (!g_module || g_module->instantiate || !g_module->info) return Errno::NOTSUP;
  const wasixc_module_info& info = *g_module->info;
  const wasixc_export_desc* entry = find_export(info, how.export_name, WASIXC_EXTERN_FUNC, "ii:");
  if (!entry) return Errno::NOTCAPABLE;  // wasix-abi.md §3.4
  // The new instance must see the same memory: only an imported shared
  // memory can be handed to it.
  if (!parent->memory || !imports_shared_memory(info)) return Errno::NOTSUP;

  std::unique_lock<std::mutex> building(g_instantiate_lock);
  auto* start = new Start{instantiate_for_thread(info, parent->memory), entry, how, {}, nullptr};
  building.unlock();
  if (!start->instance.ctx) {
    delete start;
    return Errno::AGAIN;  // pthread_create(3): insufficient resources
  }
  // A stack the spawner chose: the new instance's own __stack_pointer
  // starts there instead of at the module's initial value (the main
  // thread's stack, which two threads must never share).
  if (how.stack_pointer) {
    if (const wasixc_export_desc* sp = find_export(info, "__stack_pointer", WASIXC_EXTERN_GLOBAL, "im")) {
      uint64_t* cell;
      memcpy(&cell, reinterpret_cast<char*>(start->instance.ctx) + sp->offset, sizeof cell);
      *cell = how.stack_pointer;
    }
  }
  std::atomic<uint32_t> handoff{0};
  start->tid_handoff = &handoff;

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  static const size_t stack_size = guest_stack_size();
  pthread_attr_setstacksize(&attr, stack_size);
  pthread_attr_setguardsize(&attr, kStackGuardSize);
  // The new thread starts with every signal blocked and unblocks them once
  // it is registered, so no signal lands on a thread the kernel does not
  // know yet.
  sigset_t all;
  sigfillset(&all);
  pthread_attr_setsigmask_np(&attr, &all);
  pthread_sigmask(SIG_SETMASK, nullptr, &start->mask);
  pthread_t thread;
  int err = pthread_create(&thread, &attr, thread_main, start);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    free_thread_instance(start->instance);
    delete start;
    return Errno::AGAIN;
  }
  // The tid is the new thread's host tid, known once it runs. Yield to it
  // a few times before sleeping: it often waits for this very CPU.
  for (int i = 0; handoff.load(std::memory_order_acquire) == 0 && i < 20; ++i) sched_yield();
  while (handoff.load() == 0) kernel::futex_wait32(&handoff, 0, -1);
  *tid = handoff.load();
  return Errno::SUCCESS;
}

}  // namespace wasixc
