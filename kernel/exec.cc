#include "exec.h"

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dir_mappings.h"
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

// The environment of a new image: the guest's, the sandbox token, the
// mapping override, the cwd and the fd table record. The sandbox's
// mappings and cwd are the runtime's, never the guest's: a guest putting
// WASIXC_DIRS=/::/ in its envp must not map the host's root for the new
// image. Only this process's own settings travel.
std::vector<std::string> image_env(const std::vector<std::string>& env, int record) {
  std::vector<std::string> full_env;
  for (const std::string& e : env)
    if (e.rfind("WASIXC_DIRS=", 0) != 0 && e.rfind("WASIXC_DIRS_ADD=", 0) != 0 && e.rfind("WASIXC_CWD=", 0) != 0 &&
        e.rfind("WASIXC_FD_TABLE=", 0) != 0)
      full_env.push_back(e);
  full_env.push_back(sandbox_env_entry());
  for (const std::string& e : mapping_env_entries()) full_env.push_back(e);
  // execve(2) keeps the working directory.
  full_env.push_back(std::string(kCwdVariable) + "=" + current_directory());
  full_env.push_back(std::string(kFdTableEnv) + "=" + std::to_string(record));
  return full_env;
}

// execveat(2) on the descriptor the resolver checked: no second lookup by
// name that a racing rename could redirect. Async-signal-safe (a spawned
// child calls it).
int exec_fd(int program_fd, char** argv, char** envp) {
  // A "#!" script (only with --allow-host-exec) is read by its interpreter
  // through /dev/fd/N, which a close-on-exec descriptor would no longer
  // name (execveat(2), NOTES): that one descriptor stays open for it.
  char magic[2];
  if (pread(program_fd, magic, sizeof magic, 0) == 2 && magic[0] == '#' && magic[1] == '!')
    fcntl(program_fd, F_SETFD, 0);
  syscall(SYS_execveat, program_fd, "", argv, envp, AT_EMPTY_PATH);
  return errno;
}

}  // namespace

int exec_image(int program_fd, const std::vector<std::string>& argv, const std::vector<std::string>& env,
               const FdHandoff& fds) {
  FdPlacement placement(fds);
  // The program's descriptor must survive the placement too.
  int program = fcntl(program_fd, F_DUPFD_CLOEXEC, placement.first_untouched());
  if (program < 0) return errno;
  int record = fd_handoff_memfd(encode_fd_handoff(fds), placement.first_untouched());
  if (record < 0) {
    close(program);
    return -record;
  }
  std::vector<std::string> full_env = image_env(env, record);
  std::vector<char*> args = c_strings(argv), envp = c_strings(full_env);
  int error = placement.place();
  if (error == 0 && fcntl(record, F_SETFD, 0) != 0) error = errno;
  if (error == 0) {
    error = exec_fd(program, args.data(), envp.data());
    placement.undo();
  }
  close(record);
  close(program);
  return error;
}

pid_t spawn_image(int program_fd, const std::vector<std::string>& argv,
                  const std::vector<std::string>& env, const FdHandoff& fds,
                  const std::vector<int>& default_signals) {
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
  std::vector<std::string> full_env = image_env(env, record);
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
    return -e;
  }
  if (pid == 0) {
    close(report[0]);
    int error = placement.place();
    if (error == 0 && fcntl(record, F_SETFD, 0) != 0) error = errno;
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
