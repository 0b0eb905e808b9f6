#include "process_state.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>

#include "kernel/devices.h"
#include "kernel/path_resolver.h"
#include "kernel/fd_handoff.h"
#include "kernel/net_policy.h"

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

// The handed-over entries sit at host number == guest number; each is
// re-made at a high close-on-exec host number (the runtime's rule,
// kernel/fd_table.h) and the low one closed, except host 0-2, which stay
// for the runtime's own messages as at a first start.
bool adopt_fd_handoff(const kernel::FdHandoff& handoff) {
  ProcessState& ps = process_state();
  for (const kernel::DirMapping& given : handoff.mappings) {
    kernel::DirMapping mapping = given;
    mapping.root_fd = open(mapping.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (mapping.root_fd < 0) {
      fprintf(stderr, "wasixc: error: cannot open directory '%s' (mapped to '%s'): %s\n",
              mapping.host_path.c_str(), mapping.guest_path.c_str(), strerror(errno));
      return false;
    }
    kernel::dir_mappings().push_back(std::move(mapping));
  }
  for (const auto& [fd, given] : handoff.fds) {
    int inherited = static_cast<int>(fd);
    FdEntry entry = given;
    if (entry.virtual_dir) {  // nothing was placed for it (kernel/fd_handoff.h)
      entry.host_fd = -1;
      ps.fds.install(fd, std::move(entry));
      continue;
    }
    entry.host_fd = fcntl(inherited, F_DUPFD_CLOEXEC, 3);
    if (entry.host_fd < 0) continue;  // not there after all: the guest sees EBADF
    if (inherited > 2) close(inherited);
    ps.fds.install(fd, std::move(entry));
  }
  return true;
}

// The guest path at which the mappings show the host's current directory
// (the mapping with the deepest host root that holds it wins), or "" when
// no mapping holds it. Paths are compared after realpath(3), so symlinked
// mapping roots and cwds match.
std::string guest_path_of_host_cwd() {
  char* cwd = realpath(".", nullptr);
  if (!cwd) return "";
  std::string host_cwd = cwd;
  free(cwd);
  std::string best_guest;
  size_t best_root = 0;
  for (const kernel::DirMapping& m : kernel::dir_mappings()) {
    char* root_c = realpath(m.host_path.c_str(), nullptr);
    if (!root_c) continue;
    std::string root = root_c;
    free(root_c);
    if (root != "/" && host_cwd != root && host_cwd.compare(0, root.size() + 1, root + "/") != 0) continue;
    if (!best_guest.empty() && root.size() <= best_root) continue;
    std::string rest = host_cwd.substr(root == "/" ? 0 : root.size());
    best_guest = m.guest_path == "/" ? (rest.empty() ? "/" : rest) : m.guest_path + rest;
    best_root = root.size();
  }
  return best_guest;
}

}  // namespace

bool init_process_state(int argc, char** argv, char** envp, const wasixc_config& config,
                        const kernel::ImageHandoff* handoff) {
  ProcessState& ps = process_state();
  ps.args.assign(argv, argv + argc);
  const char* dirs_override = nullptr;
  const char* dirs_add = nullptr;
  const char* start_cwd = nullptr;
  const char* net_override = nullptr;
  std::optional<std::vector<std::string>> given;
  if (handoff) given = handoff->get_list(kernel::ImageHandoff::kGuestEnv);
  if (given) ps.env = std::move(*given);  // exactly what the guest that started us gave
  for (char** e = envp; e && *e; ++e) {
    // The runtime's own variables (kernel/image_handoff.h, kernel/sandbox.h,
    // kernel/dir_mappings.h) are not the guest's. They are read from the
    // host environment, which a guest never writes (image_handoff.h).
    if (kernel::is_runtime_variable(*e)) continue;
    if (strncmp(*e, "WASIXC_DIRS=", 12) == 0) {
      dirs_override = *e + 12;
      kernel::mapping_env_entries().emplace_back(*e);
      continue;
    }
    if (strncmp(*e, "WASIXC_NET=", 11) == 0) {
      net_override = *e + 11;  // kernel/net_policy.h; kept in the host env for exec'd images
      continue;
    }
    if (strncmp(*e, "WASIXC_CWD=", 11) == 0) {
      start_cwd = *e + 11;
      continue;
    }
    if (strncmp(*e, "WASIXC_DIRS_ADD=", 16) == 0) {
      dirs_add = *e + 16;
      kernel::mapping_env_entries().emplace_back(*e);
      continue;
    }
    if (!given) ps.env.emplace_back(*e);
  }
  for (uint32_t i = 0; i < config.env_count; ++i) apply_env(&ps.env, config.env[i]);

  // The network policy: baked by `wasixc --net`, WASIXC_NET at run time.
  kernel::NetPolicy net = static_cast<kernel::NetPolicy>(config.net_policy > 2 ? 2 : config.net_policy);
  if (net_override && !kernel::parse_net_policy(net_override, &net)) {
    fprintf(stderr, "wasixc: error: WASIXC_NET: unknown setting '%s' (all, loopback or off)\n", net_override);
    return false;
  }
  kernel::set_net_policy(net);

  // The cwd an exec'ing image had (kernel/exec.cc); a guest path, resolved
  // like any other (a failure leaves "/"), once the mappings are known.
  // Launched by a user, the guest starts where the user is, as a native
  // program does: the guest path of the host cwd when a mapping holds it.
  auto enter_start_cwd = [&] {
    std::string from_host;
    if (!start_cwd) {
      from_host = guest_path_of_host_cwd();
      if (!from_host.empty()) start_cwd = from_host.c_str();
    }
    if (start_cwd && *start_cwd == '/') {
      kernel::PathBase root;
      root.guest_path = "/";
      kernel::change_directory(root, start_cwd);
    }
    return true;
  };

  // Started by exec or spawn from a wasixc program: exactly the table it
  // handed over (kernel/fd_handoff.h), not our own stdio and --dir list.
  if (std::optional<kernel::FdHandoff> handoff = kernel::receive_fd_handoff(envp))
    return adopt_fd_handoff(*handoff) && enter_start_cwd();  // /dev as the parent had it

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

  // The mappings: baked by `wasixc --dir`, replaced by WASIXC_DIRS,
  // extended by WASIXC_DIRS_ADD (kernel/dir_mappings.h).
  std::vector<kernel::MappingSpec> specs;
  std::string error;
  if (dirs_override) {
    if (!kernel::parse_mapping_list(dirs_override, &specs, &error)) {
      fprintf(stderr, "wasixc: error: WASIXC_DIRS: %s\n", error.c_str());
      return false;
    }
  } else {
    for (uint32_t i = 0; i < config.dir_count; ++i) {
      kernel::MappingSpec spec;
      spec.host = config.dirs[i].host_path;
      std::string guest = config.dirs[i].guest_path;  // GUEST[:ro]
      if (!kernel::parse_mapping_spec(spec.host + "::" + guest, &spec)) return false;
      specs.push_back(spec);
    }
  }
  if (dirs_add && !kernel::parse_mapping_list(dirs_add, &specs, &error)) {
    fprintf(stderr, "wasixc: error: WASIXC_DIRS_ADD: %s\n", error.c_str());
    return false;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    const kernel::MappingSpec& spec = specs[i];
    int fd = open(spec.host.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      fprintf(stderr, "wasixc: error: cannot open directory '%s' (mapped to '%s'): %s\n",
              spec.host.c_str(), spec.guest.c_str(), strerror(errno));
      return false;
    }
    kernel::DirMapping mapping;
    mapping.guest_name = spec.guest;
    mapping.guest_path = kernel::normalise_guest_path(spec.guest);
    mapping.host_path = spec.host;
    mapping.root_fd = fd;
    mapping.read_only = spec.read_only;
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
  // The built-in /dev (kernel/devices.h), after the user's mappings (a
  // user /dev replaces it) and preopened after them like one: wasi-libc
  // finds an absolute path's directory only among the preopens.
  kernel::add_builtin_devices();
  if (kernel::dir_mappings().size() > specs.size()) {
    size_t i = specs.size();
    FdEntry entry;
    entry.host_fd = fcntl(kernel::dir_mappings()[i].root_fd, F_DUPFD_CLOEXEC, 3);
    entry.mapping = static_cast<int>(i);
    entry.guest_path = kernel::dir_mappings()[i].guest_path;
    entry.preopen_name = kernel::dir_mappings()[i].guest_name;
    if (entry.host_fd < 0 || ps.fds.install(3 + i, entry) != 0) {
      fprintf(stderr, "wasixc: error: too many directories mapped\n");
      return false;
    }
  }
  // The guest's "/" when no mapping is there but some mapping is below it:
  // a virtual directory, preopened last. wasi-libc resolves an absolute
  // path against the preopen with the longest matching name and fails with
  // ENOTCAPABLE, without asking the runtime, when none matches, so without
  // it lstat("/tmp") fails for a guest given /tmp/work, where a native
  // program sees a directory. SQLite lstat()s every ancestor of a database
  // path (unixFullPathname) and could not open /tmp/work/test.db.
  bool root_mapped = false;
  for (const kernel::DirMapping& m : kernel::dir_mappings()) root_mapped |= m.guest_path == "/";
  if (!specs.empty() && !root_mapped) {
    FdEntry root;
    root.virtual_dir = true;
    root.guest_path = "/";
    root.preopen_name = "/";
    if (ps.fds.install(3 + kernel::dir_mappings().size(), root) != 0) {
      fprintf(stderr, "wasixc: error: too many directories mapped\n");
      return false;
    }
  }
  return enter_start_cwd();
}

}  // namespace wasixc
