#include "process_state.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wasixc {

ProcessState& process_state() {
  static ProcessState state;
  return state;
}

namespace {
// fork(2) in one guest thread while another changes the fd table: the
// child must not inherit the table's lock held.
[[maybe_unused]] const bool g_fd_table_atfork = [] {
  pthread_atfork([] { process_state().fds.lock_for_fork(); },
                 [] { process_state().fds.unlock_after_fork(); },
                 [] { process_state().fds.unlock_after_fork(); });
  return true;
}();
}  // namespace

namespace {

// `--env K=V` from the compiler overrides an inherited K, like env(1).
void apply_env(std::vector<std::string>* env, const std::string& entry) {
  std::string key = entry.substr(0, entry.find('='));
  for (std::string& e : *env)
    if (e.compare(0, key.size() + 1, key + "=") == 0) {
      e = entry;
      return;
    }
  env->push_back(entry);
}

}  // namespace

std::optional<std::string> host_path_for(const std::string& guest_path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= guest_path.size()) {
    size_t end = guest_path.find('/', start);
    if (end == std::string::npos) end = guest_path.size();
    std::string part = guest_path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string normal;
  for (const std::string& p : parts) normal += "/" + p;
  if (normal.empty()) normal = "/";
  std::optional<std::string> best;
  size_t best_len = 0;
  for (const kernel::DirMapping& m : kernel::dir_mappings()) {
    const std::string& root = m.guest_path;
    bool inside = normal == root || root == "/" || normal.compare(0, root.size() + 1, root + "/") == 0;
    if (inside && root.size() >= best_len) {
      best = m.host_path + (root == "/" ? normal : normal.substr(root.size()));
      best_len = root.size();
    }
  }
  return best;
}

bool init_process_state(int argc, char** argv, char** envp,
                        const wasixc_config& config) {
  ProcessState& ps = process_state();
  ps.args.assign(argv, argv + argc);
  for (char** e = envp; e && *e; ++e) {
    // The runtime's own variable (kernel/sandbox.h) is not the guest's.
    if (strncmp(*e, "WASIXC_SANDBOX_ROOT=", 20) == 0) continue;
    ps.env.emplace_back(*e);
  }
  for (uint32_t i = 0; i < config.env_count; ++i) apply_env(&ps.env, config.env[i]);

  // stdio passes through; a descriptor closed at launch stays closed for
  // the guest (EBADF), as it would natively.
  // The guest's descriptors are host descriptors of their own, O_CLOEXEC
  // on the host (kernel/fd_table.h); 0-2 stay open for the runtime's own
  // messages.
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) < 0) continue;
    int host_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (host_fd < 0) continue;
    FdEntry entry;
    entry.host_fd = host_fd;
    ps.fds.install(fd, entry);
  }

  for (uint32_t i = 0; i < config.dir_count; ++i) {
    const wasixc_dir_mapping& dir = config.dirs[i];
    int fd = open(dir.host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "wasixc: error: cannot open directory '%s' (mapped to '%s'): %s\n",
              dir.host_path, dir.guest_path, strerror(errno));
      return false;
    }
    kernel::DirMapping mapping;
    mapping.guest_name = dir.guest_path;
    mapping.guest_path = kernel::normalise_guest_path(dir.guest_path);
    mapping.host_path = dir.host_path;
    mapping.root_fd = fd;
    kernel::dir_mappings().push_back(mapping);
    FdEntry entry;
    entry.host_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    entry.mapping = static_cast<int>(i);
    entry.guest_path = mapping.guest_path;
    entry.preopen_name = mapping.guest_name;
    if (entry.host_fd < 0 || ps.fds.install(3 + i, entry) != 0) {
      fprintf(stderr, "wasixc: error: too many directories mapped\n");
      return false;
    }
  }
  return true;
}

}  // namespace wasixc
