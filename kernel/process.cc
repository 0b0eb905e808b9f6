#include "process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "signals.h"
#include "threads.h"
#include "timers.h"

namespace wasixc::kernel {

void exit_process(uint32_t code) { _exit(static_cast<int>(code & 0xff)); }

pid_t process_id() { return getpid(); }

std::optional<pid_t> parent_of(pid_t pid) {
  if (pid == getpid()) return getppid();
  // One of our children? waitid with WNOWAIT|WNOHANG asks without reaping.
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT) == 0)
    return getpid();
  return std::nullopt;
}

pid_t fork_process() {
  pid_t pid = fork();
  if (pid == 0) {
    threads_after_fork_child();
    signals_after_fork_child();
    timers_after_fork_child();
  }
  return pid < 0 ? -errno : pid;
}

JoinResult join_child(std::optional<pid_t> pid, bool nonblocking, bool report_stopped,
                      void (*on_interrupt)(void*), void* arg) {
  JoinResult r;
  int status = 0;
  int flags = (nonblocking ? WNOHANG : 0) | (report_stopped ? WUNTRACED : 0);
  pid_t got;
  while ((got = waitpid(pid ? *pid : -1, &status, flags)) < 0 && errno == EINTR)
    if (on_interrupt) on_interrupt(arg);
  if (got < 0) {
    r.error = errno;  // ECHILD: no such child (POSIX waitpid)
    return r;
  }
  r.pid = got;
  if (got == 0) return r;  // WNOHANG: nothing yet
  if (WIFEXITED(status)) {
    r.kind = JoinResult::kExited;
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.kind = JoinResult::kSignaled;
    r.signal = WTERMSIG(status);
  } else if (WIFSTOPPED(status)) {
    r.kind = JoinResult::kStopped;
    r.signal = WSTOPSIG(status);
  }
  return r;
}

}  // namespace wasixc::kernel
