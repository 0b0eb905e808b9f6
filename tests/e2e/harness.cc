#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>

#include <gtest/gtest.h>

extern char** environ;

namespace e2e {

std::string wasixc_path() { return WASIXC_BIN; }
std::string guest_wasm(const std::string& name) { return std::string(E2E_DIR) + "/" + name + ".wasm"; }
std::string guest_native(const std::string& name) { return std::string(E2E_DIR) + "/" + name + ".native"; }
std::string module_wasm(const std::string& name) { return std::string(E2E_DIR) + "/modules/" + name + ".wasm"; }
std::string work_dir() {
  std::string dir = std::string(E2E_DIR) + "/work";
  mkdir(dir.c_str(), 0755);
  return dir;
}

static double now_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// The argv and environment (this process's, with options.env_add and
// without options.env_remove) execve gets.
struct ExecArgs {
  std::string argv0;
  std::vector<std::string> env;
  std::vector<char*> argv, envp;

  ExecArgs(const std::string& path, const std::vector<std::string>& args, const RunOptions& options) {
    for (char** e = environ; *e; ++e) {
      std::string entry(*e);
      std::string key = entry.substr(0, entry.find('='));
      bool drop = false;
      for (const std::string& k : options.env_remove) drop |= (k == key);
      for (const std::string& a : options.env_add) drop |= (a.substr(0, a.find('=')) == key);
      if (!drop) env.push_back(entry);
    }
    for (const std::string& a : options.env_add) env.push_back(a);
    argv0 = options.argv0.empty() ? path : options.argv0;
    argv.push_back(argv0.data());
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
};

// Waits for `pid` and records how it ended.
static void wait_for(pid_t pid, RunResult* r) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    r->signaled = true;
    r->term_signal = WTERMSIG(status);
  } else {
    r->exit_code = WEXITSTATUS(status);
  }
}

RunResult run(const std::string& path, const std::vector<std::string>& args,
              const RunOptions& options) {
  RunResult r;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    ADD_FAILURE() << "pipe: " << strerror(errno);
    return r;
  }
  ExecArgs exec(path, args, options);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    execve(path.c_str(), exec.argv.data(), exec.envp.data());
    fprintf(stderr, "exec %s: %s\n", path.c_str(), strerror(errno));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  signal(SIGPIPE, SIG_IGN);
  size_t written = 0;
  if (options.stdin_data.empty()) {
    close(in[1]);
    in[1] = -1;
  }
  double deadline = now_seconds() + options.timeout_seconds;
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    if (out_open) fds[n++] = {out[0], POLLIN, 0};
    if (err_open) fds[n++] = {err[0], POLLIN, 0};
    if (in[1] >= 0) fds[n++] = {in[1], POLLOUT, 0};
    int ready = poll(fds, n, 200);
    if (now_seconds() > deadline) {
      kill(pid, SIGKILL);
      r.timed_out = true;
      break;
    }
    if (ready <= 0) continue;
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in[1]) {
        ssize_t w = write(in[1], options.stdin_data.data() + written,
                          options.stdin_data.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == options.stdin_data.size()) {
          close(in[1]);
          in[1] = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      std::string& dst = fds[i].fd == out[0] ? r.out : r.err;
      if (got > 0) {
        dst.append(buf, static_cast<size_t>(got));
      } else {
        (fds[i].fd == out[0] ? out_open : err_open) = false;
      }
    }
  }
  if (in[1] >= 0) close(in[1]);
  close(out[0]);
  close(err[0]);
  wait_for(pid, &r);
  return r;
}

RunResult run_on_pty(const std::string& path, const std::vector<std::string>& args,
                     const RunOptions& options) {
  RunResult r;
  ExecArgs exec(path, args, options);
  winsize ws = {};
  ws.ws_row = 30;
  ws.ws_col = 100;
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
  if (pid == 0) {
    execve(path.c_str(), exec.argv.data(), exec.envp.data());
    _exit(127);
  }
  if (pid < 0) {
    ADD_FAILURE() << "forkpty: " << strerror(errno);
    return r;
  }
  double deadline = now_seconds() + options.timeout_seconds;
  char buf[512];
  for (;;) {
    if (now_seconds() > deadline) {
      kill(pid, SIGKILL);
      r.timed_out = true;
      break;
    }
    pollfd p = {master, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO: the child side is closed
    r.out.append(buf, static_cast<size_t>(n));
  }
  close(master);
  wait_for(pid, &r);
  return r;
}

RunResult run_wasixc(const std::vector<std::string>& args) { return run(wasixc_path(), args); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

static long mtime(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<long>(st.st_mtime) : -1;
}

std::string compile(const std::string& wasm, const std::vector<std::string>& flags) {
  std::string key = wasm;
  for (const std::string& f : flags) key += " " + f;
  std::string base = wasm.substr(wasm.find_last_of('/') + 1);
  char hash[32];
  snprintf(hash, sizeof hash, "%zx", std::hash<std::string>{}(key));
  std::string exe = work_dir() + "/" + base + "-" + hash + ".exe";
  // Reuse an executable newer than its inputs and than the compiler (the
  // driver and the compiler proper it runs: either can be rebuilt alone).
  long built = mtime(exe);
  std::string driver = wasixc_path();
  std::string compiler = driver.substr(0, driver.find_last_of('/')) + "/../lib/wasixc/wasixc-compiler";
  if (built >= 0 && built >= mtime(wasm) && built >= mtime(driver) && built >= mtime(compiler) &&
      built >= mtime(RUNTIME_ARCHIVE))
    return exe;
  // Build under a private name, then rename: parallel tests may race.
  std::string tmp = exe + ".tmp" + std::to_string(getpid());
  std::vector<std::string> args = {wasm, "-o", tmp};
  args.insert(args.end(), flags.begin(), flags.end());
  RunResult r = run_wasixc(args);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "wasixc " << key << " failed (" << r.exit_code << "):\n" << r.err;
    return "";
  }
  rename(tmp.c_str(), exe.c_str());
  return exe;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    result.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return result;
}

}  // namespace e2e
