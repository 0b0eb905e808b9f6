// The stack guest code runs on: a stack with a 1 MiB guard region below
// it, so deep recursion faults there and becomes a "call stack exhausted"
// trap instead of a crash.
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>

#include <cerrno>
#include <cstring>

#include "runtime/runtime.h"

namespace wasixc {

// Like a Linux main thread: as much stack as RLIMIT_STACK allows (8 MiB by
// default), within sane bounds. glibc gives every pthread the same.
size_t guest_stack_size() {
  constexpr size_t kDefault = 8u << 20, kMin = 1u << 20, kMax = 1u << 30;
  rlimit rl;
  if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return kDefault;
  size_t size = static_cast<size_t>(rl.rlim_cur);
  return size < kMin ? kMin : size > kMax ? kMax : size;
}

namespace {

// The guest runs on the calling (main) thread, on a stack of its own: a
// second host thread would make every fork(2) pay for a multi-threaded
// process (TLB shootdowns on each copy-on-write fault, more mappings),
// and Linux programs are single-threaded until they start a thread.
struct GuestStack {
  void* (*fn)(void*);
  void* arg;
  uintptr_t low;  // lowest address: the guard region starts here
  ucontext_t caller;
};

thread_local GuestStack* t_entering = nullptr;

void enter_guest_stack() {
  GuestStack* s = t_entering;
  prepare_guest_thread(s->low, s->low + kStackGuardSize);
  s->fn(s->arg);
  release_guest_thread();
}  // returning resumes s->caller (uc_link)

}  // namespace

void run_on_guest_stack(void* (*fn)(void*), void* arg) {
  size_t size = guest_stack_size();
  void* mem = mmap(nullptr, size + kStackGuardSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mem == MAP_FAILED) fatal("cannot allocate the guest stack: %s", strerror(errno));
  GuestStack s{fn, arg, reinterpret_cast<uintptr_t>(mem), {}};
  if (mprotect(mem, kStackGuardSize, PROT_NONE) != 0)
    fatal("cannot protect the guest stack guard: %s", strerror(errno));
  ucontext_t guest;
  if (getcontext(&guest) != 0) fatal("cannot prepare the guest stack: %s", strerror(errno));
  guest.uc_stack.ss_sp = static_cast<uint8_t*>(mem) + kStackGuardSize;
  guest.uc_stack.ss_size = size;
  guest.uc_link = &s.caller;
  makecontext(&guest, enter_guest_stack, 0);
  t_entering = &s;
  if (swapcontext(&s.caller, &guest) != 0) fatal("cannot switch to the guest stack: %s", strerror(errno));
  t_entering = nullptr;
  munmap(mem, size + kStackGuardSize);
}

}  // namespace wasixc
