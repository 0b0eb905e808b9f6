// proc_fork_env: vfork as wasix-libc's exception-handling sysroots do it
// (wasix-abi.md §3.3). The guest's calling thread keeps running on its own
// stack and memory "as the child" until it execs or exits; those calls
// then return 0 and the guest jumps back to its vfork point (setjmp).
//
// A WASIX process is a host process here, so the child must be one too,
// with its pid known at once (the guest's vfork returns it): fork_env_begin
// forks a stand-in child that runs no guest code and waits on a channel
// (a close-on-exec SOCK_SEQPACKET socket pair). fork_env_exec sends it the
// program, argv, the image handoff, the cwd and the child's fd table (its
// host descriptors with SCM_RIGHTS) and it execs exactly as exec_image
// would in that process: the program runs under the child's pid, a real
// child of this process, reaped by proc_join. A failed exec is reported
// back and the stand-in keeps waiting (the guest then usually exits it
// with 127). fork_env_exit makes it _exit with the code. Both return once
// the child has exec'd or ended (the channel's end closes: vfork(2)'s
// "until the child terminates or makes a successful call to execve").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fd_handoff.h"
#include "image_handoff.h"

namespace wasixc::kernel {

// Creates the child. Returns its pid, -ENOTSUP if this thread is already
// "the child" of a proc_fork_env (nesting), or -errno.
pid_t fork_env_begin();

// The child's pid while the guest runs as it, else 0.
pid_t fork_env_child();

// The child execs the program open at `program_fd` with `fds` as its
// descriptors (host numbers valid in this process) and `cwd` (a guest
// path). 0: the child runs the program and the state has ended; else the
// exec's errno and the state goes on.
int fork_env_exec(int program_fd, const std::vector<std::string>& argv, const ImageHandoff& handoff,
                  const FdHandoff& fds, const std::string& cwd);

// The child ends with `code`; returns once it has, the state ended.
void fork_env_exit(uint32_t code);

}  // namespace wasixc::kernel
