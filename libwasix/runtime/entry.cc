// main() of every produced executable. argv and the environment pass
// through to the guest untouched; the guest runs on a thread of its own
// whose stack has a guard region below it, so deep recursion ends in a
// "call stack exhausted" trap instead of a crash. When `_start` returns the
// process exits with status 0; proc_exit ends it from inside.
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

#include "kernel/process.h"
#include "process_state.h"
#include "runtime/runtime.h"

extern "C" const uint32_t WASIXC_ABI_STAMP = WASIXC_ABI_VERSION;

namespace wasixc {
namespace {

// Like a Linux main thread: as much stack as RLIMIT_STACK allows (8 MiB by
// default), within sane bounds.
size_t guest_stack_size() {
  constexpr size_t kDefault = 8u << 20, kMin = 1u << 20, kMax = 1u << 30;
  rlimit rl;
  if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
    return kDefault;
  size_t size = static_cast<size_t>(rl.rlim_cur);
  return size < kMin ? kMin : size > kMax ? kMax : size;
}

// Large enough that no single frame of generated code can step over it
// (generated code is also built with stack-clash probing).
constexpr size_t kStackGuardSize = 1u << 20;

struct GuestStack {
  uint8_t* base;  // lowest address: the guard region starts here
  size_t size;    // usable bytes above the guard
};

void* guest_main(void* arg) {
  auto* stack = static_cast<GuestStack*>(arg);
  prepare_guest_thread(reinterpret_cast<uintptr_t>(stack->base),
                       reinterpret_cast<uintptr_t>(stack->base) + kStackGuardSize);
  const wasixc_module& module = wasixc_guest_module;
  if (module.info) {  // LLVM backend: the instance starts with the ctx
    wasixc_ctx* ctx = instantiate_for_executable(*module.info);
    run_entry_point(*module.info, ctx);
    return nullptr;
  }
  wasixc_ctx ctx;  // C backend: the instance is the C writer's struct
  memset(&ctx, 0, sizeof ctx);
  module.instantiate(&ctx);
  if (module.run_entry) module.run_entry(&ctx);
  return nullptr;
}

}  // namespace
}  // namespace wasixc

int main(int argc, char** argv, char** envp) {
  using namespace wasixc;
  const wasixc_module& module = wasixc_guest_module;
  if (!init_process_state(argc, argv, envp, *module.config)) return 1;
  install_trap_handlers();

  GuestStack stack;
  stack.size = guest_stack_size();
  void* mem = mmap(nullptr, stack.size + kStackGuardSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mem == MAP_FAILED) fatal("cannot allocate the guest stack: %s", strerror(errno));
  stack.base = static_cast<uint8_t*>(mem);
  if (mprotect(stack.base, kStackGuardSize, PROT_NONE) != 0)
    fatal("cannot protect the guest stack guard: %s", strerror(errno));

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, stack.base + kStackGuardSize, stack.size);
  pthread_t thread;
  if (int err = pthread_create(&thread, &attr, guest_main, &stack); err != 0)
    fatal("cannot start the guest thread: %s", strerror(err));
  pthread_join(thread, nullptr);
  kernel::exit_process(0);
}
