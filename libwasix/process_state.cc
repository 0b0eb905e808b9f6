#include "process_state.h"

#include <fcntl.h>
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
  process_state().fds.for_each([&](uint32_t, const FdEntry& e) {
    if (!e.preopen_name) return;
    std::string root = *e.preopen_name;
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    if (!root.empty() && root[0] != '/') root = "/" + root;
    bool inside = normal == root || root == "/" || normal.compare(0, root.size() + 1, root + "/") == 0;
    if (inside && root.size() >= best_len) {
      best = e.host_path + (root == "/" ? normal : normal.substr(root.size()));
      best_len = root.size();
    }
  });
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
  for (int fd = 0; fd <= 2; ++fd)
    if (fcntl(fd, F_GETFD) >= 0) ps.fds.install(fd, FdEntry{fd, std::nullopt});

  for (uint32_t i = 0; i < config.dir_count; ++i) {
    const wasixc_dir_mapping& dir = config.dirs[i];
    int fd = open(dir.host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "wasixc: error: cannot open directory '%s' (mapped to '%s'): %s\n",
              dir.host_path, dir.guest_path, strerror(errno));
      return false;
    }
    ps.fds.install(3 + i, FdEntry{fd, std::string(dir.guest_path), dir.host_path});
  }
  return true;
}

}  // namespace wasixc
