// Guest threads: which exist, their tids, joining, ending, and where a
// signal goes. Each guest thread is a host thread running its own
// instance of the module over the one shared memory (the runtime builds
// the instance and the host thread: libwasix/runtime/guest_threads.cc);
// the kernel keeps the bookkeeping and never touches guest memory.
//
// Tids live in the pid number space: the main thread's tid is the pid
// (wasix-abi.md §3.4) and every other thread's tid is its host thread id
// (gettid(2)), so `ps -L` and /proc/<pid>/task agree with the guest.
// wasix-libc's placeholder 0x3fffffff names the main thread.
//
// Exit rules (Linux's, which WASIX shares):
//   - proc_exit from any thread ends the process (exit_group(2));
//   - the main thread returning from _start ends the process (exit(3));
//   - another thread ends when wasi_thread_start returns or it calls
//     thread_exit; so does the main thread on thread_exit (pthread_exit(3)
//     from main: the others keep running);
//   - the last thread to end ends the process with status 0;
//   - a trap in any thread ends the process (a fault kills the process).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>

#include "wasixc/abi.h"

namespace wasixc::kernel {

constexpr uint32_t kMainThreadAlias = 0x3fffffff;

// The calling host thread runs the main guest thread; its tid is the pid.
void register_main_thread(wasixc_ctx* ctx);

// The calling host thread starts running a new guest thread with `ctx`;
// returns its tid (also stored in ctx->thread_id). Signals must be blocked.
uint32_t register_thread(wasixc_ctx* ctx);

// The calling thread's guest code is over. Wakes its joiners and returns
// true if it was the last guest thread (the caller then ends the process
// with status 0). Blocks every signal on the calling thread first: no
// signal may be taken by a thread that no longer runs guest code. After
// this returns the thread's ctx is no longer referenced by the kernel.
bool unregister_current_thread();

// The calling thread's ctx / tid (nullptr / 0 on a host-only thread).
wasixc_ctx* current_ctx();
uint32_t current_tid();

// thread_join: waits until thread `tid` has ended. Unknown (or already
// ended) threads return 0 at once, as WASIX specifies; joining oneself is
// EDEADLK (POSIX pthread_join). Signals are delivered while waiting.
int join_thread(uint32_t tid);

// thread_signal: sends `sig` to one guest thread (tgkill(2)); sig 0 only
// checks it exists. 0, EINVAL (bad signal) or ESRCH (no such thread).
int signal_thread(uint32_t tid, int sig);

// thread_sleep: sleeps `ns` nanoseconds (0 yields), delivering signals
// and sleeping on (WASIX "deep sleep").
void sleep_thread(uint64_t ns);

// How many CPUs this process may run on (sched_getaffinity(2)).
uint32_t parallelism();

// ---- for the signal path (signals.cc) ----

// The pending set of signals sent to the calling thread itself (tgkill);
// nullptr on a host-only thread. Async-signal-safe.
std::atomic<uint64_t>* current_thread_pending();

// Sets every guest thread's pending word, so whichever reaches a safe
// point first takes a process-directed signal. Async-signal-safe.
void notify_all_threads();

// In a fork(2) child: only the forking thread survives and becomes the
// main thread, with tid = the child's pid (Linux fork).
void threads_after_fork_child();

// A one-shot timer of the calling guest thread that sends `sig` to that
// very thread after `ns` nanoseconds: a signal that found the thread in
// runtime code tries again (signals.cc). Made on first use, with raw
// system calls: async-signal-safe. Deleted when the thread unregisters.
void arm_retry_timer(int sig, long ns);
// Cancels the timer if it is armed (async-signal-safe).
void disarm_retry_timer();

}  // namespace wasixc::kernel
