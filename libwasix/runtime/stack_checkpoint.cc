// setjmp/longjmp for WASIX guests: wasix_32v1 stack_checkpoint and
// stack_restore (wasix-abi.md §3.3) as native setjmp/longjmp, over the
// assembly entries in stack_checkpoint_x86_64.S.
//
// The AOT guest stack is the host stack, so a checkpoint is a host jump
// context taken in the frame of the function that called setjmp (the
// compiler inlines libc's setjmp helpers there: aot/llvm/
// stack_checkpoints.h). The snapshot the guest keeps (24 bytes: u64 user
// @0, 16-byte key @8) names a record kept here, per thread:
//   user = the guest address of the u64 the checkpoint's result goes to;
//   key  = record id + a per-process secret, so a forged or stale buffer
//          is refused instead of jumping anywhere.
// Restore rules (C11 7.13.2.1: longjmp to a function that has returned is
// undefined; here it is a clean trap):
//   - the record must belong to this thread and its frame must be live:
//     functions that call setjmp report their return
//     (wasixc_checkpoint_frame_exit), and frames below the stack pointer
//     are gone;
//   - restoring unwinds every checkpoint taken deeper than the target.
// The value 0 is returned as 1 (longjmp(3)). Works from a signal handler
// (the handler runs on the guest's own stack) and in a forked child (the
// records are copied with the thread).
#include <sys/random.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "guest_memory.h"
#include "process_state.h"
#include "runtime/runtime.h"

namespace wasixc {
namespace {

// The layout the assembly reads (offsets 0..63).
struct SavedContext {
  uint64_t rbx, rbp, r12, r13, r14, r15;
  uint64_t rsp;             // at the checkpoint's entry: its return slot
  uint64_t return_address;  // into the frame that called setjmp
};
static_assert(sizeof(SavedContext) == 64);

struct Checkpoint {
  SavedContext context;
  uint64_t id;
  uint32_t snapshot;    // guest address of the jmp_buf's snapshot
  uint32_t value_addr;  // guest address of the u64 result
  wasixc_ctx* ctx;
  // The lowest address of the caller's frame: its stack pointer at the
  // call (above the return slot).
  uintptr_t frame_bottom() const { return context.rsp + 8; }
};

thread_local std::vector<Checkpoint> t_checkpoints;
std::atomic<uint64_t> g_next_id{1};

uint64_t process_secret() {
  static const uint64_t secret = [] {
    uint64_t s = 0;
    while (getrandom(&s, sizeof s, 0) != sizeof s) {
    }
    return s | 1;
  }();
  return secret;
}

[[noreturn]] void checkpoint_trap(const char* why) {
  char msg[256];
  int n = snprintf(msg, sizeof msg, "wasixc: trap: longjmp: %s\n", why);
  report_message_trap(msg, n);
}

// Frames below the caller's stack pointer have returned.
void drop_dead(uintptr_t sp) {
  std::erase_if(t_checkpoints, [&](const Checkpoint& c) { return c.frame_bottom() <= sp; });
}

}  // namespace
}  // namespace wasixc

using namespace wasixc;

extern "C" uint32_t wasixc_stack_checkpoint_save(wasixc_ctx* ctx, uint32_t snapshot, uint32_t value_out,
                                                 const SavedContext* context) {
  try {
    GuestMemory mem = guest_memory(*ctx);
    mem.check(snapshot, 24);
    mem.check(value_out, 8);
    drop_dead(context->rsp);
    // One record per jmp_buf: setjmp again on the same buffer replaces it.
    std::erase_if(t_checkpoints, [&](const Checkpoint& c) { return c.snapshot == snapshot; });
    Checkpoint c{*context, g_next_id.fetch_add(1), snapshot, value_out, ctx};
    t_checkpoints.push_back(c);
    mem.store<uint64_t>(snapshot, value_out);
    mem.store<uint64_t>(snapshot + 8, c.id);
    mem.store<uint64_t>(snapshot + 16, c.id * 0x9e3779b97f4a7c15ull ^ process_secret());
    mem.store<uint64_t>(value_out, 0);
    return static_cast<uint32_t>(Errno::SUCCESS);
  } catch (const GuestFault&) {
    return static_cast<uint32_t>(Errno::FAULT);
  } catch (const std::bad_alloc&) {
    return static_cast<uint32_t>(Errno::NOMEM);
  }
}

extern "C" const SavedContext* wasixc_stack_restore_find(wasixc_ctx* ctx, uint32_t snapshot, uint64_t value,
                                                         uintptr_t sp) {
  uint64_t id = 0, check = 0;
  try {
    GuestMemory mem = guest_memory(*ctx);
    id = mem.load<uint64_t>(snapshot + 8);
    check = mem.load<uint64_t>(snapshot + 16);
  } catch (const GuestFault&) {
    report_syscall_fault("wasix_32v1", "stack_restore");
  }
  drop_dead(sp);
  Checkpoint* target = nullptr;
  for (Checkpoint& c : t_checkpoints)
    if (c.id == id && c.snapshot == snapshot) target = &c;
  if (!target) {
    bool forged = check != (id * 0x9e3779b97f4a7c15ull ^ process_secret());
    checkpoint_trap(forged ? "the jmp_buf was not filled by setjmp"
                           : "the function that called setjmp has returned (or another thread's jmp_buf)");
  }
  if (target->ctx != ctx) checkpoint_trap("the jmp_buf belongs to another thread");
  // longjmp(3): "if val is 0, setjmp returns 1".
  try {
    guest_memory(*ctx).store<uint64_t>(target->value_addr, value ? value : 1);
  } catch (const GuestFault&) {
    report_syscall_fault("wasix_32v1", "stack_restore");
  }
  // Checkpoints taken deeper than the target are unwound with it.
  uintptr_t bottom = target->frame_bottom();
  static thread_local SavedContext jump;
  jump = target->context;
  std::erase_if(t_checkpoints, [&](const Checkpoint& c) { return c.frame_bottom() < bottom; });
  return &jump;
}

// Called by generated code before a function that called setjmp returns:
// `marker` lies in its frame, so every checkpoint whose frame is at or
// below it dies with it.
extern "C" void wasixc_checkpoint_frame_exit(void* marker) {
  if (t_checkpoints.empty()) return;
  uintptr_t m = reinterpret_cast<uintptr_t>(marker);
  std::erase_if(t_checkpoints, [&](const Checkpoint& c) { return c.frame_bottom() <= m; });
}
