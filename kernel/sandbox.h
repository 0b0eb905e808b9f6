// The sandbox: the processes started from one top-level executable. Its
// root is the first wasixc process; everything it forks (and their
// descendants) are members. Signals and joins only ever reach members;
// anything else gets the errors Linux gives an unprivileged process.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace wasixc::kernel {

// Called once at start-up: this process becomes the root unless it is
// already inside a sandbox: a forked child keeps its parent's root, an
// exec'd or spawned program finds it in `env` (WASIXC_SANDBOX_ROOT, which
// the runtime sets itself; init_process_state hides it from the guest).
void init_sandbox(const char* inherited_root);

// "WASIXC_SANDBOX_ROOT=<pid>", for the environment of a new image.
std::string sandbox_env_entry();
constexpr const char* kSandboxEnv = "WASIXC_SANDBOX_ROOT";

// The ELF section every wasixc-built executable carries.
constexpr const char* kExecutableMarkerSection = "wasixc_marker";

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
