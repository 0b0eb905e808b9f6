#include "sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "signals.h"

namespace wasixc::kernel {
namespace {

constexpr const char* kMemfdName = "wasixc-sandbox";
int g_fd = -1;       // this process's fd of the sandbox's memfd
dev_t g_dev = 0;     // ...and that file's identity
ino_t g_ino = 0;

// Whether `fd` is open on a sandbox memfd (not just any file: the number
// may be stale, inherited through a host program).
bool is_sandbox_memfd(int fd) {
  char link[64], target[128];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 0) return false;
  target[n] = 0;
  return strncmp(target, "/memfd:wasixc-sandbox ", 22) == 0;
}

int pidfd_open(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int pidfd_send_signal(int pidfd, int sig) { return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0)); }

// One target, pinned for the duration of a check-then-signal: its pidfd
// and its /proc directory.
struct Pinned {
  int pidfd = -1;
  int dir = -1;
  ~Pinned() {
    if (pidfd >= 0) close(pidfd);
    if (dir >= 0) close(dir);
  }
};

// 0, or ESRCH (no such process).
int pin(pid_t pid, Pinned* p) {
  p->pidfd = pidfd_open(pid);
  if (p->pidfd < 0) return ESRCH;
  char path[32];
  snprintf(path, sizeof path, "/proc/%d", static_cast<int>(pid));
  p->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  // The directory was opened after the pidfd: it is the same process
  // unless that one was reaped meanwhile (its pid freed for reuse), which
  // the pidfd tells. EPERM here still means "alive".
  if (pidfd_send_signal(p->pidfd, 0) != 0 && errno == ESRCH) return ESRCH;
  return p->dir >= 0 ? 0 : ESRCH;
}

// Reads a whole /proc file of the pinned process (bounded).
bool read_proc_file(int dir, const char* name, std::string* out, size_t limit) {
  int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  char buf[4096];
  ssize_t n;
  while (out->size() < limit && ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)))
    if (n > 0) out->append(buf, static_cast<size_t>(n));
  close(fd);
  return true;
}

// Process group and state from the pinned process's stat.
bool read_stat(int dir, pid_t* pgid, char* state) {
  std::string stat;
  if (!read_proc_file(dir, "stat", &stat, 4096)) return false;
  // The command name may hold spaces and parentheses: parse after the last ')'.
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return false;
  int ppid = 0, pg = 0;
  if (sscanf(stat.c_str() + close + 1, " %c %d %d", state, &ppid, &pg) != 3) return false;
  *pgid = pg;
  return true;
}

// Whether fd `target_fd` of `pid` is our sandbox fd's very open file
// description (kcmp(2) KCMP_FILE): shared by fork, dup and execve, but not
// by reopening /proc/<pid>/fd/N, so a guest that can see /proc cannot
// hand its membership to another process that way. Where the kernel lacks
// kcmp, the same device and inode.
bool same_open_file(pid_t pid, int dir, int target_fd) {
  long r = syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, g_fd, target_fd);
  if (r >= 0 || errno != ENOSYS) return r == 0;
  char path[32];
  snprintf(path, sizeof path, "fd/%d", target_fd);
  struct stat st;
  return fstatat(dir, path, &st, 0) == 0 && st.st_dev == g_dev && st.st_ino == g_ino;
}

// Whether the pinned process holds the sandbox's memfd. Members usually
// hold it at our number (forks and execs keep numbers); otherwise every
// fd is looked at (bounded).
bool holds_sandbox_fd(pid_t pid, int dir) {
  if (g_fd < 0) return false;
  if (same_open_file(pid, dir, g_fd)) return true;
  int fds = openat(dir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fds < 0) return false;
  DIR* list = fdopendir(fds);
  if (!list) {
    close(fds);
    return false;
  }
  bool found = false;
  int seen = 0;
  while (dirent* e = readdir(list)) {
    char* end;
    long fd = strtol(e->d_name, &end, 10);
    if (*end || e->d_name[0] == '.' || fd == g_fd || ++seen > 65536) continue;
    if (same_open_file(pid, dir, static_cast<int>(fd))) {
      found = true;
      break;
    }
  }
  closedir(list);
  return found;
}

bool is_member(pid_t pid, const Pinned& p) {
  if (pid == getpid()) return true;
  if (holds_sandbox_fd(pid, p.dir)) return true;
  // A zombie has closed its fds; one of our own children is
  // still ours (its pid cannot be reused until we reap it).
  siginfo_t info{};
  return waitid(P_PIDFD, static_cast<id_t>(p.pidfd), &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

// Signals `pid` if it is a member (and in group `pgid`, unless -1):
// 0 sent, ESRCH no such process (or not in the group), EPERM not a member.
int signal_if_member(pid_t pid, int sig, pid_t pgid) {
  Pinned p;
  if (int e = pin(pid, &p)) return e;
  if (pgid != -1) {
    pid_t group;
    char state;
    if (!read_stat(p.dir, &group, &state) || group != pgid) return ESRCH;
  }
  if (!is_member(pid, p)) return EPERM;
  if (pidfd_send_signal(p.pidfd, sig) != 0) return errno;
  return 0;
}

}  // namespace

void enter_sandbox(char** envp) {
  size_t prefix = strlen(kSandboxEnv);
  for (char** e = envp; e && *e && g_fd < 0; ++e) {
    if (strncmp(*e, kSandboxEnv, prefix) != 0 || (*e)[prefix] != '=') continue;
    char* end;
    long fd = strtol(*e + prefix + 1, &end, 10);
    if (!*end && fd >= 3 && fd < (1 << 20) && is_sandbox_memfd(static_cast<int>(fd))) g_fd = static_cast<int>(fd);
  }
  if (g_fd < 0) {
    // A new sandbox, this process its root. Kept across execve (not
    // close-on-exec), and high, out of the way of the numbers spawn file
    // actions usually name.
    int fd = memfd_create(kMemfdName, 0);
    if (fd < 0) {
      fprintf(stderr, "wasixc: error: memfd_create: %s\n", strerror(errno));
      _exit(1);
    }
    g_fd = fcntl(fd, F_DUPFD, 900);
    if (g_fd < 0) {
      g_fd = fd;  // RLIMIT_NOFILE below 900
    } else {
      close(fd);
    }
  }
  struct stat st;
  if (fstat(g_fd, &st) != 0) {
    fprintf(stderr, "wasixc: error: sandbox fd %d: %s\n", g_fd, strerror(errno));
    _exit(1);
  }
  g_dev = st.st_dev;
  g_ino = st.st_ino;
}

std::string sandbox_env_entry() { return std::string(kSandboxEnv) + "=" + std::to_string(g_fd); }

int sandbox_fd() { return g_fd; }

int send_signal(pid_t pid, int sig) {
  if (!valid_signal(sig)) return EINVAL;
  if (pid > 0) return signal_if_member(pid, sig, -1);
  if (pid == INT32_MIN) return ESRCH;  // -pid overflows; no such group
  pid_t group = pid == 0 ? getpgrp() : pid == -1 ? -1 : -pid;
  DIR* dir = opendir("/proc");
  if (!dir) return ESRCH;
  int sent = 0;
  while (dirent* e = readdir(dir)) {
    char* end;
    long member = strtol(e->d_name, &end, 10);
    if (*end || member <= 0) continue;
    // kill(-1) spares the caller and init (kill(2))
    if (pid == -1 && (member == getpid() || member == 1)) continue;
    if (signal_if_member(static_cast<pid_t>(member), sig, group) == 0) ++sent;
  }
  closedir(dir);
  return sent ? 0 : ESRCH;
}

}  // namespace wasixc::kernel
