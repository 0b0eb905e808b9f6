// Older and other WASIX ABIs: what binaries of other toolchains import
// runs unchanged. Interval timer units (proc_raise_interval: wasix-libc's
// nanoseconds or the documented milliseconds, chosen per module at
// compile time; SYSCALLS.md "Interval timer units").
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

// A 100 ms repeating timer gives about 10 ticks a second and stops when
// cancelled, as setitimer(2) natively, whichever unit the caller uses.
void expect_ticks_like_native(const std::string& guest) {
  std::string exe = compile(guest_wasm(guest));
  ASSERT_FALSE(exe.empty());
  RunResult wasm = run(exe, {});
  RunResult native = run(guest_native(guest), {});
  EXPECT_EQ(native.out, "100 ms timer: 8..12 ticks in 1.05 s: yes\nno tick after the cancel: yes\n") << native.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(wasm.out, native.out) << "wasixc: " << wasm.err << "native: " << native.err;
}

TEST(TimerUnits, WasixLibcSetitimerInNanosecondsTicksAsNatively) { expect_ticks_like_native("timer_libc"); }

TEST(TimerUnits, RawCallerInMillisecondsTicksAsNatively) { expect_ticks_like_native("timer_raw"); }

}  // namespace
}  // namespace e2e
