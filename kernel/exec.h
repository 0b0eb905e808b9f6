// Starting programs: exec (replace this process's image) and spawn (a new
// child process running a program). By default only executables built by
// wasixc may be started (recognised by the marker section every produced
// executable carries); the sandbox root travels to the new image in the
// environment, so exec'd and spawned programs stay in the same sandbox.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace wasixc::kernel {

// Whether the file open at `fd` (readable) is an ELF executable with
// wasixc's marker section.
bool is_wasixc_executable(int fd);

// A file action applied in a spawned child before its program starts, in
// order (posix_spawn_file_actions): close `fd`, or dup2(src, fd).
struct FdAction {
  enum Kind { kClose, kDup2, kDevNull } kind;  // kDevNull: /dev/null onto fd
  int fd;
  int src;
};

// execveat(2) of the program open at `program_fd` (resolved by
// kernel/path_resolver.h). Returns only on failure, with the errno.
int exec_image(int program_fd, const std::vector<std::string>& argv, const std::vector<std::string>& env);

// fork(2) + file actions + signals reset to default + execve in the child.
// Returns the child's pid, or -errno if the child could not be created or
// its program could not start (the exec error travels back over a pipe).
pid_t spawn_image(int program_fd, const std::vector<std::string>& argv,
                  const std::vector<std::string>& env, const std::vector<FdAction>& actions,
                  const std::vector<int>& default_signals);

}  // namespace wasixc::kernel
