// Futexes: wait on a word until another thread wakes that address. One
// queue serves WASIX futex_wait/futex_wake[_all] (libwasix/wasix/thread.cc)
// and the threads proposal's memory.atomic.wait32/64 and notify
// (runtime/llvm_support.cc), so guest atomics and futexes agree: a
// notify wakes a futex_wait on the same address and the other way round.
// (Wasmer keeps two queues; a guest can only notice ours by a wake it
// would otherwise have missed.)
//
// Addresses are host addresses of words inside a guest's linear memory;
// the kernel never reads guest memory otherwise. The caller has checked
// bounds and alignment.
//
// Waits are signal-aware: a signal that interrupts the wait is delivered
// to the guest (deliver_pending) and the wait goes on, the "deep sleep"
// WASIX specifies for futex_wait (wasix-abi.md §3.1).
#pragma once

#include <cstdint>

namespace wasixc::kernel {

enum class WaitResult { kWoken, kNotEqual, kTimedOut };

// Linux futex(2) FUTEX_WAIT semantics: atomically with respect to wakers,
// compare *addr with expected and sleep if equal. timeout_ns < 0 waits
// forever; otherwise it is relative, measured on CLOCK_MONOTONIC.
WaitResult futex_wait32(const void* addr, uint32_t expected, int64_t timeout_ns);
WaitResult futex_wait64(const void* addr, uint64_t expected, int64_t timeout_ns);

// Wakes up to `count` waiters on addr (oldest first); returns how many.
uint32_t futex_wake(const void* addr, uint32_t count);

// The calling thread is ending in the middle of a wait (thread_exit from
// a signal handler that ran inside it): forget its waiters.
void futex_forget_current_thread();

}  // namespace wasixc::kernel
