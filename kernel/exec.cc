#include "exec.h"

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "path_resolver.h"
#include "process.h"
#include "sandbox.h"
#include "signals.h"
#include "timers.h"

namespace wasixc::kernel {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& items) {
  std::vector<char*> out;
  for (const std::string& s : items) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

bool read_at(int fd, void* buf, size_t n, off_t at) { return pread(fd, buf, n, at) == static_cast<ssize_t>(n); }

// A "#!" script (only with --allow-host-exec) is read by its interpreter
// through /dev/fd/N, which a close-on-exec descriptor would no longer
// name (execveat(2), NOTES): that one descriptor stays open for it.
// Async-signal-safe (spawn's child calls it).
void keep_open_for_script(int program_fd) {
  char magic[2];
  if (pread(program_fd, magic, sizeof magic, 0) == 2 && magic[0] == '#' && magic[1] == '!')
    fcntl(program_fd, F_SETFD, 0);
}

}  // namespace

bool is_wasixc_executable(int fd) {
  bool found = false;
  Elf64_Ehdr eh;
  if (read_at(fd, &eh, sizeof eh, 0) && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
      eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_shstrndx < eh.e_shnum && eh.e_shnum < 4096) {
    std::vector<Elf64_Shdr> sections(eh.e_shnum);
    if (read_at(fd, sections.data(), sizeof(Elf64_Shdr) * eh.e_shnum, static_cast<off_t>(eh.e_shoff))) {
      const Elf64_Shdr& names = sections[eh.e_shstrndx];
      std::string strtab(names.sh_size, '\0');
      if (names.sh_size < (1u << 20) && read_at(fd, strtab.data(), names.sh_size, static_cast<off_t>(names.sh_offset)))
        for (const Elf64_Shdr& s : sections)
          if (s.sh_name < strtab.size() && strcmp(strtab.c_str() + s.sh_name, kExecutableMarkerSection) == 0)
            found = true;
    }
  }
  return found;
}


namespace {

// The host environment of a new image, built by the runtime only
// (image_handoff.h: what this image started with, the sandbox's memfd,
// the handoff record with the guest's environment), plus the guest's cwd
// (execve(2) keeps the working directory; a guest path the new runtime
// resolves again), the mappings in force and the fd table record. A
// guest's own WASIXC_DIRS, WASIXC_CWD or WASIXC_FD_TABLE is guest data and
// stays in the handoff record.
std::vector<std::string> image_env(int handoff_record, int sandbox_copy, int fd_record,
                                   const std::string& cwd = "") {
  std::vector<std::string> env = host_env_for_new_image(handoff_record, sandbox_copy);
  std::erase_if(env, [](const std::string& e) {
    return e.rfind("WASIXC_DIRS=", 0) == 0 || e.rfind("WASIXC_DIRS_ADD=", 0) == 0;
  });
  for (const std::string& e : mapping_env_entries()) env.push_back(e);
  env.push_back(std::string(kCwdVariable) + "=" + (cwd.empty() ? current_directory() : cwd));
  env.push_back(std::string(kFdTableEnv) + "=" + std::to_string(fd_record));
  return env;
}

// execveat(2) on the descriptor the resolver checked: no second lookup by
// name that a racing rename could redirect. Async-signal-safe (a spawned
// child calls it).
int exec_fd(int program_fd, char** argv, char** envp) {
  keep_open_for_script(program_fd);
  syscall(SYS_execveat, program_fd, "", argv, envp, AT_EMPTY_PATH);
  return errno;
}

}  // namespace

int exec_image(int program_fd, const std::vector<std::string>& argv, const ImageHandoff& handoff,
               const FdHandoff& fds, const std::string& cwd) {
  FdPlacement placement(fds);
  const int above = placement.first_untouched();
  // The program, both records and the sandbox's memfd must survive the
  // placement: copies above every number it writes.
  int program = fcntl(program_fd, F_DUPFD_CLOEXEC, above);
  if (program < 0) return errno;
  int fd_record = fd_handoff_memfd(encode_fd_handoff(fds), above);
  if (fd_record < 0) {
    close(program);
    return -fd_record;
  }
  int created = handoff_to_memfd(handoff, getpid());  // exec keeps the pid
  int handoff_record = created < 0 ? -1 : fcntl(created, F_DUPFD, above);
  if (created >= 0) close(created);
  int sandbox_copy = sandbox_fd() >= 0 ? fcntl(sandbox_fd(), F_DUPFD, above) : -1;
  auto close_all = [&] {
    for (int fd : {program, fd_record, handoff_record, sandbox_copy})
      if (fd >= 0) close(fd);
  };
  if (handoff_record < 0 || (sandbox_fd() >= 0 && sandbox_copy < 0)) {
    int e = created < 0 ? -created : errno;
    close_all();
    return e ? e : EMFILE;
  }
  std::vector<std::string> full_env = image_env(handoff_record, sandbox_copy, fd_record, cwd);
  std::vector<char*> args = c_strings(argv), envp = c_strings(full_env);
  int error = placement.place();
  if (error == 0 && fcntl(fd_record, F_SETFD, 0) != 0) error = errno;
  if (error == 0) {
    error = exec_fd(program, args.data(), envp.data());
    placement.undo();
  }
  close_all();
  return error;
}

pid_t spawn_image(int program_fd, const std::vector<std::string>& argv, const ImageHandoff& handoff,
                  const FdHandoff& fds, const std::vector<int>& default_signals, const std::string& cwd) {
  // Everything the child needs is made before fork: a child of a threaded
  // process may only make async-signal-safe calls. The program, the record
  // and the error pipe sit above every number the placement writes.
  FdPlacement placement(fds);
  const int above = placement.first_untouched();
  int program = fcntl(program_fd, F_DUPFD_CLOEXEC, above);
  if (program < 0) return -errno;
  int record = fd_handoff_memfd(encode_fd_handoff(fds), above);
  if (record < 0) {
    close(program);
    return record;
  }
  // The guest's environment record (for_pid is patched in the child) and
  // a copy of the sandbox's memfd, both above the placement too.
  int created = handoff_to_memfd(handoff, 0);
  int handoff_record = created < 0 ? -1 : fcntl(created, F_DUPFD_CLOEXEC, above);
  if (created >= 0) close(created);
  int sandbox_copy = sandbox_fd() >= 0 ? fcntl(sandbox_fd(), F_DUPFD, above) : -1;
  auto close_copies = [&] {
    for (int fd : {handoff_record, sandbox_copy})
      if (fd >= 0) close(fd);
  };
  if (handoff_record < 0 || (sandbox_fd() >= 0 && sandbox_copy < 0)) {
    int e = created < 0 ? -created : errno;
    close_copies();
    close(record);
    close(program);
    return -(e ? e : EMFILE);
  }
  std::vector<std::string> full_env = image_env(handoff_record, sandbox_copy, record, cwd);
  std::vector<char*> args = c_strings(argv), envp = c_strings(full_env);
  int report[2] = {-1, -1};  // the child writes its exec errno here; EOF means success
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) == 0) {
    for (int i = 0; i < 2; ++i) {
      report[i] = fcntl(ends[i], F_DUPFD_CLOEXEC, above);
      close(ends[i]);
    }
  }
  pid_t pid = report[0] < 0 || report[1] < 0 ? -1 : fork();
  if (pid < 0) {
    int e = report[0] < 0 || report[1] < 0 ? EMFILE : errno;
    for (int end : report)
      if (end >= 0) close(end);
    close(record);
    close(program);
    close_copies();
    return -e;
  }
  if (pid == 0) {
    close(report[0]);
    int error = placement.place();
    if (error == 0 && fcntl(record, F_SETFD, 0) != 0) error = errno;
    uint32_t self = static_cast<uint32_t>(getpid());
    if (error == 0 && (pwrite(handoff_record, &self, sizeof self, ImageHandoff::kForPidOffset) != sizeof self ||
                       fcntl(handoff_record, F_SETFD, 0) != 0))
      error = errno ? errno : EIO;
    // POSIX_SPAWN_SETSIGDEF; handled signals reset at exec anyway.
    for (int sig : default_signals) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (error == 0) error = exec_fd(program, args.data(), envp.data());
    (void)!write(report[1], &error, sizeof error);
    _exit(127);
  }
  close(program);
  close(record);
  close_copies();
  close(report[1]);
  int error = 0;
  ssize_t n;
  while ((n = read(report[0], &error, sizeof error)) < 0 && errno == EINTR) {
  }
  close(report[0]);
  if (n == sizeof error && error != 0) {
    waitpid(pid, nullptr, 0);  // reap the failed child: the caller gets the error instead
    return -error;
  }
  return pid;
}

}  // namespace wasixc::kernel
