#include "toolchain.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "diagnostics.h"
#include "work_dir.h"

extern char** environ;

namespace wasixc::aot {
namespace {

bool is_executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string self_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  buf[n] = 0;
  std::string path(buf);
  return path.substr(0, path.find_last_of('/'));
}

}  // namespace

std::string find_clang() {
  if (const char* env = getenv("WASIXC_CLANG"); env && *env) return env;
  if (const char* path = getenv("PATH")) {
    std::string p(path);
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      std::string candidate = p.substr(start, end - start) + "/clang-19";
      if (end > start && is_executable(candidate)) return candidate;
      start = end + 1;
    }
  }
  if (is_executable("/usr/lib/llvm-19/bin/clang")) return "/usr/lib/llvm-19/bin/clang";
  fail("clang-19 not found (install Debian's clang-19 or set WASIXC_CLANG)");
}

std::string runtime_dir() {
  if (const char* env = getenv("WASIXC_RUNTIME_DIR"); env && *env) return env;
  // The compiler proper (wasixc-compiler) lives in the runtime directory;
  // other programs (the spec harness) in bin/ beside it.
  std::string dir = self_dir();
  if (access((dir + "/libwasixc_rt.a").c_str(), F_OK) == 0) return dir;
  return dir + "/../lib/wasixc";
}

std::string recorded_driver_path() {
  // The compiler proper sits in <prefix>/lib/wasixc, the driver in
  // <prefix>/bin (the build tree and an install alike).
  std::string driver = self_dir() + "/../../bin/wasixc";
  char resolved[PATH_MAX];
  if (realpath(driver.c_str(), resolved) == nullptr || access(resolved, X_OK) != 0) return "";
  return resolved;
}

int run_command(const std::vector<std::string>& argv, bool verbose, std::string* output) {
  if (verbose) {
    std::string line;
    for (const std::string& a : argv) line += (line.empty() ? "" : " ") + a;
    fprintf(stderr, "wasixc: running: %s\n", line.c_str());
  }
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int err = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipefd[1]);
  if (err != 0) {
    close(pipefd[0]);
    if (output) *output = std::string("cannot run ") + argv[0] + ": " + strerror(err);
    return -1;
  }
  set_running_child(pid);  // stopped by the cleanup handlers (work_dir.h)
  std::string captured;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) captured.append(buf, static_cast<size_t>(n));
  close(pipefd[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  set_running_child(0);
  if (verbose && !captured.empty()) fputs(captured.c_str(), stderr);
  if (output) *output = captured;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string make_temp_dir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/wasixc-XXXXXX";
  if (!mkdtemp(tmpl.data())) fail("cannot create a temporary directory: %s", strerror(errno));
  return tmpl;
}

void remove_tree(const std::string& path) {
  nftw(
      path.c_str(),
      [](const char* p, const struct stat*, int, struct FTW*) { return remove(p); },
      16, FTW_DEPTH | FTW_PHYS);
}

}  // namespace wasixc::aot
