// Interval timers that raise a signal in this process, one per signal
// (proc_raise_interval). POSIX per-process timers (timer_create(2) on
// CLOCK_MONOTONIC) do the timing: an expiry not yet delivered is not
// queued again (it shows as an overrun), so ticks never pile up, as with
// setitimer(2). Note: DESIGN.md suggested uv_timer on a kernel loop; the
// kernel's own timers are simpler and fire even while the guest computes.
#pragma once

#include <cstdint>

namespace wasixc::kernel {

// Arms (or with first_ns == 0 cancels) the timer for `sig`: first expiry
// after first_ns, then every repeat_ns (0: once). Returns 0 or an errno.
int set_signal_timer(int sig, uint64_t first_ns, uint64_t repeat_ns);

// In a fork(2) child: timers are not inherited (POSIX fork).
void timers_after_fork_child();

// What is left of the timer for `sig` (0, 0 when disarmed).
void get_signal_timer(int sig, uint64_t* remaining_ns, uint64_t* repeat_ns);

}  // namespace wasixc::kernel
