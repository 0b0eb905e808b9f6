#include "process.h"

#include <fcntl.h>

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

namespace {
// In a vfork child: the write end of the pipe its parent waits on. It is
// O_CLOEXEC, so exec closes it, and exit does; a child forked from the
// vfork child must not hold it.
int g_vfork_release = -1;
}  // namespace

pid_t fork_process() {
  pid_t pid = fork();
  if (pid == 0) {
    if (g_vfork_release >= 0) {
      close(g_vfork_release);
      g_vfork_release = -1;
    }
    threads_after_fork_child();
    signals_after_fork_child();
    timers_after_fork_child();
  }
  return pid < 0 ? -errno : pid;
}

pid_t vfork_process() {
  int release[2];
  if (pipe2(release, O_CLOEXEC) != 0) return -errno;
  pid_t pid = fork_process();
  if (pid == 0) {
    close(release[0]);
    g_vfork_release = release[1];
    return 0;
  }
  close(release[1]);
  if (pid > 0) {
    // EOF when the child's exec or exit closes the write end. Signals
    // wait, as for a vfork parent: they are delivered on return.
    char byte;
    while (read(release[0], &byte, 1) < 0 && errno == EINTR) {
    }
  }
  close(release[0]);
  return pid;
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
