// The signal family of wasix_32v1 (and preview1's proc_raise): decode,
// then the kernel's signal path (kernel/signals.h, sandbox.h, timers.h).
#include <signal.h>
#include <unistd.h>

#include "kernel/sandbox.h"
#include "kernel/signals.h"
#include "kernel/threads.h"
#include "kernel/timers.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {

void callback_signal(Ctx& ctx, u32 name, u32 name_len) {
  kernel::register_guest_handler(&ctx, guest_memory(ctx).string(name, name_len));
}

Errno proc_signal(Ctx&, u32 pid, u32 sig) {
  return errno_from_host(kernel::send_signal(static_cast<pid_t>(pid), static_cast<int>(sig)));
}

Errno proc_raise(Ctx&, u32 sig) {
  return errno_from_host(kernel::send_signal(getpid(), static_cast<int>(sig)));
}

// pthread_kill(3) / raise(3): to one guest thread of this process (tid
// 0x3fffffff is wasix-libc's name for the main thread). Unknown tid:
// ESRCH, as tgkill(2) says (Wasmer drops it silently).
Errno thread_signal(Ctx&, u32 tid, u32 sig) {
  return errno_from_host(kernel::signal_thread(tid, static_cast<int>(sig)));
}

namespace {
Errno arm_interval(u32 sig, u64 ns, u32 repeat) {
  if (!kernel::valid_signal(static_cast<int>(sig)) || sig == 0) return Errno::INVAL;
  return errno_from_host(kernel::set_signal_timer(static_cast<int>(sig), ns, repeat ? ns : 0));
}
}  // namespace

// The documented contract (and Wasmer's): `interval` in milliseconds, the
// time to the first raise; `repeat` re-arms every interval; 0 cancels.
// An interval too long to count in nanoseconds (over 584 years) saturates.
Errno proc_raise_interval(Ctx&, u32 sig, u64 interval_ms, u32 repeat) {
  const u64 max_ms = UINT64_MAX / 1000000ull;
  return arm_interval(sig, interval_ms > max_ms ? UINT64_MAX : interval_ms * 1000000ull, repeat);
}

// The same call in a module built by wasix-libc (the compiler chooses,
// SYSCALLS.md "Interval timer units"): its setitimer(2) passes
// it_interval in nanoseconds with repeat = 1, and alarm(3), which sets
// only it_value, arrives as interval 0: a cancel, as in wasix-libc.
Errno proc_raise_interval_ns(Ctx&, u32 sig, u64 interval_ns, u32 repeat) {
  return arm_interval(sig, interval_ns, repeat);
}

// setitimer(2) semantics: new/old point at a wasixc_itimerval (16 bytes:
// u64 interval_ns @0, u64 value_ns @8; guest/wasix.h). value 0 disarms;
// the previous setting is written to old (if non-null) first.
Errno proc_raise_interval2(Ctx& ctx, u32 sig, u32 new_value, u32 old_value) {
  if (!kernel::valid_signal(static_cast<int>(sig)) || sig == 0) return Errno::INVAL;
  GuestMemory mem = guest_memory(ctx);
  uint64_t interval = 0, value = 0;
  if (new_value) {
    interval = mem.load<uint64_t>(new_value);
    value = mem.load<uint64_t>(new_value + 8);
  }
  if (old_value) {
    uint64_t remaining, repeat;
    kernel::get_signal_timer(static_cast<int>(sig), &remaining, &repeat);
    mem.store<uint64_t>(old_value, repeat);
    mem.store<uint64_t>(old_value + 8, remaining);
  }
  if (!new_value) return Errno::SUCCESS;
  return errno_from_host(kernel::set_signal_timer(static_cast<int>(sig), value, value ? interval : 0));
}

// Dispositions inherited from the parent: the signals it left ignored
// when this image started (the host's current ones may be the runtime's).
namespace {
std::vector<uint8_t> ignored_signals() {
  std::vector<uint8_t> ignored;
  for (int s = 1; s <= kernel::kMaxSignal; ++s)
    if (kernel::inherited_ignored(s)) ignored.push_back(static_cast<uint8_t>(s));
  return ignored;
}
}  // namespace

Errno proc_signals_sizes_get(Ctx& ctx, u32 count_out) {
  guest_memory(ctx).store<u32>(count_out, static_cast<u32>(ignored_signals().size()));
  return Errno::SUCCESS;
}

// signal_disposition (2 bytes): sig u8 @0, disposition u8 @1 (1 = ignore).
Errno proc_signals_get(Ctx& ctx, u32 out) {
  GuestMemory mem = guest_memory(ctx);
  std::vector<uint8_t> ignored = ignored_signals();
  for (size_t i = 0; i < ignored.size(); ++i) {
    mem.store<uint8_t>(out + 2 * i, ignored[i]);
    mem.store<uint8_t>(out + 2 * i + 1, 1);
  }
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
