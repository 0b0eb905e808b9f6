// The process personality: a WASIX process is a real host process, pids
// are host pids, fork is fork(2), join is waitpid(2) on our own children.
// Knows nothing about guest memory: libwasix decodes arguments and calls
// in here. (Signals, interval timers and the libuv loop come next.)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace wasixc::kernel {

// Ends the whole process with the guest's exit code, as exit_group(2) does:
// the host sees `code & 0xff` (POSIX _exit). Nothing is buffered host-side,
// so nothing needs flushing: guest output reached write(2) already.
[[noreturn]] void exit_process(uint32_t code);

pid_t process_id();

// The parent of `pid` as the guest may see it: for the caller, its host
// parent; for one of the caller's children, the caller. nullopt: a pid the
// caller has no business asking about.
std::optional<pid_t> parent_of(pid_t pid);

// fork(2): the child is a copy of this process (memory copy-on-write, fds
// shared as POSIX says) that continues on the calling thread only.
// Returns the child's pid in the parent, 0 in the child, or -errno.
pid_t fork_process();

// vfork(2) as Linux orders it: like fork_process, but the caller is
// suspended until the child execs or exits ("the calling thread is
// suspended until the child terminates or makes a successful call to
// execve", vfork(2)). The child still gets a copy of memory (POSIX
// allows only exec or _exit in it, for which a copy is indistinguishable).
pid_t vfork_process();

struct JoinResult {
  enum Kind { kNothing, kExited, kSignaled, kStopped } kind = kNothing;
  pid_t pid = 0;     // the child that changed state; 0 with kNothing
  int exit_code = 0; // kExited
  int signal = 0;    // kSignaled / kStopped
  int error = 0;     // errno (ECHILD: no such child)
};

// waitpid(2) on one child (pid) or any child (nullopt). Non-blocking
// returns kNothing at once if no child has changed state. `on_interrupt`
// runs when a signal interrupts the wait (the caller delivers it); the
// wait then restarts, as waitpid does under SA_RESTART.
JoinResult join_child(std::optional<pid_t> pid, bool nonblocking, bool report_stopped,
                      void (*on_interrupt)(void*) = nullptr, void* arg = nullptr);

}  // namespace wasixc::kernel
