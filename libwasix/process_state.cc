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

bool init_process_state(int argc, char** argv, char** envp,
                        const wasixc_config& config) {
  ProcessState& ps = process_state();
  ps.args.assign(argv, argv + argc);
  for (char** e = envp; e && *e; ++e) ps.env.emplace_back(*e);
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
    ps.fds.install(3 + i, FdEntry{fd, std::string(dir.guest_path)});
  }
  return true;
}

}  // namespace wasixc
