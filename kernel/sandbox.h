// The sandbox: the processes started from one top-level executable. Its
// root is the first wasixc process; everything it forks (and their
// descendants) are members. Signals and joins only ever reach members;
// anything else gets the errors Linux gives an unprivileged process.
#pragma once

#include <sys/types.h>

#include <vector>

namespace wasixc::kernel {

// Called once at start-up: this process becomes the root unless it is
// already inside a sandbox (a forked child keeps its parent's root).
void init_sandbox();

// Whether `pid` is this sandbox's root or one of its descendants.
bool sandbox_member(pid_t pid);

// Every live member whose process group is `pgid` (all members for -1).
std::vector<pid_t> sandbox_members(pid_t pgid);

// kill(2) semantics within the sandbox (POSIX kill: pid > 0 one process,
// 0 the caller's group, -1 every member but the caller, < -1 group -pid;
// sig 0 only checks). Returns 0 or an errno: EINVAL bad signal, ESRCH no
// such process, EPERM a process outside the sandbox.
int send_signal(pid_t pid, int sig);

}  // namespace wasixc::kernel
