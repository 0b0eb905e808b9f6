// Starting programs: exec (replace this process's image) and spawn (a new
// child process running a program). By default only executables built by
// wasixc may be started (recognised by the marker section every produced
// executable carries). The new image's host environment is built here,
// never from guest data: what the guest asked for (its environment, ...)
// travels in an image handoff record (image_handoff.h), and the sandbox's
// memfd, inherited, keeps the new image in the sandbox (sandbox.h).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "fd_handoff.h"
#include "image_handoff.h"

namespace wasixc::kernel {

// Whether the file open at `fd` (readable) is an ELF executable with
// wasixc's marker section.
bool is_wasixc_executable(int fd);

// execveat(2) of the program open at `program_fd` (resolved by
// kernel/path_resolver.h), with a host environment the runtime builds,
// `handoff` (the guest's environment) for the new image, and exactly the
// descriptors in `fds` at their guest numbers (fd_handoff.h). Returns only
// on failure, with the errno (the process's descriptors are then as they
// were).
// `cwd`: the new image's working directory (a guest path), else this
// process's.
int exec_image(int program_fd, const std::vector<std::string>& argv, const ImageHandoff& handoff,
               const FdHandoff& fds, const std::string& cwd = "");

// fork(2) + signals reset to default + execveat in the child, which gets
// exactly the descriptors in `fds` (the parent's table with spawn's file
// actions already applied, wasix/exec.cc). Returns the child's pid, or
// -errno if the child could not be created or its program could not start
// (the exec error travels back over a pipe).
// `cwd`: the child's working directory (a guest path; spawn's chdir
// actions), else this process's.
pid_t spawn_image(int program_fd, const std::vector<std::string>& argv, const ImageHandoff& handoff,
                  const FdHandoff& fds, const std::vector<int>& default_signals, const std::string& cwd = "");

}  // namespace wasixc::kernel
