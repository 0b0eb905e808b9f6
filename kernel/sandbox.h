// The sandbox: the processes started from one top-level executable. Its
// root is the first wasixc process; every process it forks, execs or
// spawns (and their descendants, orphaned or not) are members. Signals
// only ever reach members; anything else gets the errors Linux gives an
// unprivileged process.
//
// Identity is not a pid (pids are reused): each sandbox is one memfd
// ("wasixc-sandbox") that every member holds open. The root creates it;
// forked children inherit it; exec'd and spawned images inherit it too
// (it is not close-on-exec; WASIXC_SANDBOX=<fd> in the host environment
// the runtime builds names it). A process is a member if one of its fds
// is that very open file (kcmp(2) KCMP_FILE; where the kernel lacks kcmp,
// the same device and inode): an unrelated process that happens to get a
// member's old pid has no such fd, and reopening /proc/<pid>/fd/N makes a
// new open file, not a copy of ours. Nothing to do at start-up but one
// memfd_create.
//
// Delivery is race-free: the target is pinned with pidfd_open(2) first,
// its /proc/<pid> directory opened and the pidfd checked to be still
// alive (so the directory is the pinned process's), membership read
// through that directory, and the signal sent with pidfd_send_signal(2).
// A pid reused between the check and the send cannot be hit: the pidfd
// still names the old process, and the send fails with ESRCH.
#pragma once

#include <sys/types.h>

#include <string>

namespace wasixc::kernel {

constexpr const char* kSandboxEnv = "WASIXC_SANDBOX";

// Called first in main(): joins the sandbox whose fd WASIXC_SANDBOX in
// `envp` names (a runtime started this image) if that fd really is one,
// else makes this process a new sandbox's root.
void enter_sandbox(char** envp);

// "WASIXC_SANDBOX=<fd>", for the host environment of a new image.
std::string sandbox_env_entry();

// The sandbox's fd in this process (-1 before enter_sandbox): spawn keeps
// it out of the way of file actions.
int sandbox_fd();

// The ELF section every wasixc-built executable carries.
constexpr const char* kExecutableMarkerSection = "wasixc_marker";

// kill(2) semantics within the sandbox (POSIX kill: pid > 0 one process,
// 0 the caller's group, -1 every member but the caller, < -1 group -pid;
// sig 0 only checks). Returns 0 or an errno: EINVAL bad signal, ESRCH no
// such process, EPERM a process outside the sandbox. Group and broadcast
// kills skip non-members (a shell pipeline shares our process group).
int send_signal(pid_t pid, int sig);

}  // namespace wasixc::kernel
