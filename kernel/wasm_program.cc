#include "wasm_program.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "dir_mappings.h"
#include "exec.h"
#include "image_handoff.h"

namespace wasixc::kernel {
namespace {

std::string variable(const std::vector<std::string>& env, const char* name) {
  size_t n = strlen(name);
  for (const std::string& e : env)
    if (e.size() > n && e.compare(0, n, name) == 0 && e[n] == '=') return e.substr(n + 1);
  return "";
}

bool is_executable_file(const std::string& path) {
  struct stat st;
  return !path.empty() && path[0] == '/' && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         access(path.c_str(), X_OK) == 0;
}

// The driver, in the order wasm_program.h gives; "" if none.
std::string find_driver(const std::vector<std::string>& env, const char* recorded) {
  if (std::string chosen = variable(env, "WASIXC_COMPILER"); !chosen.empty())
    return is_executable_file(chosen) ? chosen : "";  // the user's choice, and only it
  if (recorded && is_executable_file(recorded)) return recorded;
  std::string path = variable(env, "PATH");
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (!dir.empty() && dir[0] == '/' && is_executable_file(dir + "/wasixc")) return dir + "/wasixc";
    start = end + 1;
  }
  return "";
}

// The cache directory the driver will use (aot/compile_cache.cc's rule),
// from the same launching environment.
std::string cache_directory_of(const std::vector<std::string>& env) {
  if (std::string d = variable(env, "WASIXC_CACHE_DIR"); !d.empty()) return d;
  if (std::string x = variable(env, "XDG_CACHE_HOME"); !x.empty() && x[0] == '/') return x + "/wasixc";
  if (std::string h = variable(env, "HOME"); !h.empty()) return h + "/.cache/wasixc";
  return "";
}

// Whether a guest could write at `path` through one of its writable
// mappings: `path` (or its nearest existing ancestor) lies at or below a
// writable mapping's root. Walks up with ".." comparing (device, inode),
// so bind mounts and symlinked spellings are caught too. Such a guest
// could plant a native program as a cache entry and have it run.
bool guest_can_write_at(const std::string& path) {
  std::vector<std::pair<dev_t, ino_t>> roots;
  for (const DirMapping& m : dir_mappings()) {
    struct stat st;
    if (!m.read_only && m.root_fd >= 0 && fstat(m.root_fd, &st) == 0) roots.emplace_back(st.st_dev, st.st_ino);
  }
  if (roots.empty()) return false;
  std::string p = path;
  int fd;
  while ((fd = open(p.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
    if (p == "/" || p == ".") return false;
    size_t slash = p.find_last_of('/');
    p = slash == std::string::npos ? "." : slash == 0 ? "/" : p.substr(0, slash);
  }
  bool inside = false;
  for (int depth = 0; depth < 4096 && !inside; ++depth) {
    struct stat st, up_st;
    if (fstat(fd, &st) != 0) break;
    for (const auto& [dev, ino] : roots) inside |= dev == st.st_dev && ino == st.st_ino;
    int up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (up < 0 || fstat(up, &up_st) != 0 || (up_st.st_dev == st.st_dev && up_st.st_ino == st.st_ino)) {
      if (up >= 0) close(up);
      break;  // the host's root
    }
    close(fd);
    fd = up;
  }
  close(fd);
  return inside;
}

// A guest-chosen name, printable (it goes to a terminal).
std::string printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 200)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

void say(int fd, const std::string& line) {
  if (fd < 0) return;
  std::string text = line + "\n";
  (void)!write(fd, text.data(), text.size());
}

}  // namespace

bool is_wasm_module(int fd) {
  char magic[4];
  return pread(fd, magic, sizeof magic, 0) == 4 && memcmp(magic, "\0asm", 4) == 0;
}

int compile_wasm_program(int module_fd, const std::string& guest_name, const char* recorded_driver,
                         bool allow_host_exec, int stderr_fd, int* exe_fd) {
  const std::vector<std::string> env = launching_environment();
  const std::string name = printable(guest_name);
  std::string driver = find_driver(env, recorded_driver);
  if (driver.empty()) {
    std::string chosen = variable(env, "WASIXC_COMPILER");
    say(stderr_fd, "wasixc: cannot run " + name + ": it is a WebAssembly module and " +
                       (chosen.empty() ? "no wasixc compiler was found to compile it (set "
                                         "WASIXC_COMPILER=/path/to/wasixc or put wasixc on PATH)"
                                       : "WASIXC_COMPILER=" + printable(chosen) +
                                             " is not an executable file (an absolute path to wasixc)"));
    return ENOEXEC;
  }
  const std::string cache = cache_directory_of(env);
  if (cache.empty() || guest_can_write_at(cache)) {
    say(stderr_fd, "wasixc: cannot run " + name + ": it is a WebAssembly module and " +
                       (cache.empty() ? std::string("no compile cache directory is set (HOME, XDG_CACHE_HOME or "
                                                    "WASIXC_CACHE_DIR)")
                                      : "the compile cache " + printable(cache) +
                                            " lies in a directory mapped writable for the guest, which could "
                                            "plant programs there (set WASIXC_CACHE_DIR elsewhere or map it "
                                            "read-only)"));
    return ENOEXEC;
  }
  // Everything the child needs is made before fork (a threaded process's
  // child may only make async-signal-safe calls); the descriptors sit
  // above 3 so that the child's dup2s cannot clobber one another.
  std::vector<std::string> argv_s = {driver, "cache", "--compile-fd", "3"};
  if (allow_host_exec) argv_s.push_back("--allow-host-exec");
  std::vector<char*> argv, envp;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = env;
  for (std::string& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  int module = fcntl(module_fd, F_DUPFD_CLOEXEC, 10);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  int err = stderr_fd >= 0 ? fcntl(stderr_fd, F_DUPFD_CLOEXEC, 10) : -1;
  int out[2] = {-1, -1};
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) == 0) {
    for (int i = 0; i < 2; ++i) {
      out[i] = fcntl(ends[i], F_DUPFD_CLOEXEC, 10);
      close(ends[i]);
    }
  }
  auto close_all = [&] {
    for (int fd : {module, null, err, out[0], out[1]})
      if (fd >= 0) close(fd);
  };
  if (module < 0 || null < 0 || out[0] < 0 || out[1] < 0) {
    int e = errno ? errno : EMFILE;
    close_all();
    return e;
  }
  int null_high = fcntl(null, F_DUPFD_CLOEXEC, 10);
  close(null);
  null = null_high;
  if (null < 0) {
    int e = errno;
    close_all();
    return e;
  }
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close_all();
    return e;
  }
  if (pid == 0) {
    // stdin /dev/null, stdout the pipe, stderr the guest's stderr, the
    // module at 3; nothing else (the sandbox's memfd stays out: the
    // compiler is no sandbox member a guest could signal).
    dup2(null, 0);
    dup2(out[1], 1);
    dup2(err >= 0 ? err : null, 2);
    dup2(module, 3);
    if (syscall(SYS_close_range, 4u, ~0u, 0u) != 0)  // Linux < 5.9
      for (int fd = 4; fd < 65536; ++fd) close(fd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    const char msg[] = "wasixc: cannot start the wasixc compiler\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  close(out[1]);
  out[1] = -1;
  std::string printed;
  char buf[4096];
  for (;;) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (printed.size() < 8192) printed.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  close_all();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    say(stderr_fd, "wasixc: cannot run " + name + ": the WebAssembly module could not be compiled (" + driver + ")");
    return ENOEXEC;
  }
  while (!printed.empty() && printed.back() == '\n') printed.pop_back();
  int exe = printed.empty() || printed[0] != '/' ? -1 : open(printed.c_str(), O_RDONLY | O_CLOEXEC);
  // The entry must be the cache's, in the directory checked above.
  std::string entry_dir = printed.substr(0, printed.find_last_of('/'));
  if (exe >= 0 && guest_can_write_at(entry_dir)) {
    close(exe);
    exe = -1;
  }
  if (exe < 0 || !is_wasixc_executable(exe)) {
    if (exe >= 0) close(exe);
    say(stderr_fd, "wasixc: cannot run " + name + ": " + driver + " gave no compiled executable");
    return ENOEXEC;
  }
  *exe_fd = exe;
  return 0;
}

}  // namespace wasixc::kernel
