// The stack guest code runs on: a thread whose stack has a 1 MiB guard
// region below it, so deep recursion faults there and becomes a "call
// stack exhausted" trap instead of a crash.
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>

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

struct GuestThread {
  uint8_t* base;  // lowest address: the guard region starts here
  void* (*fn)(void*);
  void* arg;
  sigset_t mask;  // the signal mask to run the guest with
};

void* guest_thread(void* p) {
  auto* t = static_cast<GuestThread*>(p);
  pthread_sigmask(SIG_SETMASK, &t->mask, nullptr);
  uintptr_t low = reinterpret_cast<uintptr_t>(t->base);
  prepare_guest_thread(low, low + kStackGuardSize);
  void* result = t->fn(t->arg);
  release_guest_thread();
  return result;
}

}  // namespace

void run_on_guest_stack(void* (*fn)(void*), void* arg) {
  size_t size = guest_stack_size();
  void* mem = mmap(nullptr, size + kStackGuardSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mem == MAP_FAILED) fatal("cannot allocate the guest stack: %s", strerror(errno));
  GuestThread t{static_cast<uint8_t*>(mem), fn, arg, {}};
  if (mprotect(t.base, kStackGuardSize, PROT_NONE) != 0)
    fatal("cannot protect the guest stack guard: %s", strerror(errno));
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, t.base + kStackGuardSize, size);
  // The waiting thread blocks every signal, so signals sent to the process
  // (kill, timers, Ctrl-C) land on the guest thread and interrupt its
  // blocking calls, as they would a single-threaded native program.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &t.mask);
  pthread_t thread;
  if (int err = pthread_create(&thread, &attr, guest_thread, &t); err != 0)
    fatal("cannot start the guest thread: %s", strerror(err));
  pthread_join(thread, nullptr);
  pthread_sigmask(SIG_SETMASK, &t.mask, nullptr);
  pthread_attr_destroy(&attr);
  munmap(mem, size + kStackGuardSize);
}

}  // namespace wasixc
