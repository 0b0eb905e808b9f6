#include "sandbox.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "signals.h"

namespace wasixc::kernel {
namespace {

pid_t g_root = 0;

// Parent pid and process group of `pid` from /proc/<pid>/stat.
bool proc_stat(pid_t pid, pid_t* ppid, pid_t* pgid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  FILE* f = fopen(path, "re");
  if (!f) return false;
  char buf[512];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  // The command name may hold spaces and parentheses: parse after the last ')'.
  char* close = strrchr(buf, ')');
  if (!close) return false;
  char state;
  int pp = 0, pg = 0;
  if (sscanf(close + 1, " %c %d %d", &state, &pp, &pg) != 3) return false;
  if (state == 'Z' || state == 'X') return false;  // gone, or a zombie awaiting its parent
  *ppid = pp;
  *pgid = pg;
  return true;
}

}  // namespace

void init_sandbox(const char* inherited_root) {
  if (g_root != 0) return;
  long root = inherited_root ? strtol(inherited_root, nullptr, 10) : 0;
  // Only an ancestor (or ourselves) can be our root.
  g_root = getpid();
  if (root > 1) {
    g_root = static_cast<pid_t>(root);
    if (!sandbox_member(getpid())) g_root = getpid();
  }
}

std::string sandbox_env_entry() { return std::string(kSandboxEnv) + "=" + std::to_string(g_root); }

bool sandbox_member(pid_t pid) {
  for (int depth = 0; pid > 1 && depth < 4096; ++depth) {
    if (pid == g_root) return true;
    pid_t ppid, pgid;
    if (!proc_stat(pid, &ppid, &pgid)) return false;
    pid = ppid;
  }
  return false;
}

std::vector<pid_t> sandbox_members(pid_t pgid) {
  std::vector<pid_t> members;
  DIR* dir = opendir("/proc");
  if (!dir) return members;
  while (dirent* e = readdir(dir)) {
    char* end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end || pid <= 0) continue;
    pid_t ppid, group;
    if (!proc_stat(static_cast<pid_t>(pid), &ppid, &group)) continue;
    if ((pgid == -1 || group == pgid) && sandbox_member(static_cast<pid_t>(pid)))
      members.push_back(static_cast<pid_t>(pid));
  }
  closedir(dir);
  return members;
}

int send_signal(pid_t pid, int sig) {
  if (!valid_signal(sig)) return EINVAL;
  auto deliver = [&](pid_t target) { return kill(target, sig) == 0 ? 0 : errno; };
  if (pid > 0) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return ESRCH;
    if (!sandbox_member(pid)) return EPERM;  // exists, but not ours to signal
    return deliver(pid);
  }
  std::vector<pid_t> targets = sandbox_members(pid == 0 ? getpgrp() : pid == -1 ? -1 : -pid);
  int sent = 0, error = ESRCH;
  for (pid_t t : targets) {
    if (pid == -1 && t == getpid()) continue;  // kill(-1) spares the caller
    if (deliver(t) == 0) ++sent;
  }
  return sent ? 0 : error;
}

}  // namespace wasixc::kernel
