// exec and spawn (wasix_32v1 proc_exec3, proc_spawn2): decode the
// newline-joined argument and environment strings (wasix-abi.md §3.6),
// resolve the program with the sandbox's path resolver (a guest names no
// host file outside its mappings), then kernel/exec.h.
//
// Differences from Wasmer, chosen to behave like Linux: a supplied
// environment replaces the current one (execve), and a name not found is
// ENOENT (execvp). Only wasixc-built executables may start unless the
// program was compiled with --allow-host-exec (else ENOEXEC).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/exec.h"
#include "kernel/path_resolver.h"
#include "kernel/process.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {
namespace {

const wasixc_config* g_config = nullptr;

// Splits on '\n' and '\r', dropping empty entries (as wasix-libc expects).
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

struct Program {
  kernel::HostFd program;  // the resolved executable, opened for reading
  std::vector<std::string> argv, env;
};

// Decodes name/args/envs/PATH and resolves the program. Returns an errno.
Errno resolve(Ctx& ctx, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len,
              u32 search_path, u32 path, u32 path_len, Program* out) {
  GuestMemory mem = guest_memory(ctx);
  std::string guest_name = mem.string(name, name_len);
  if (guest_name.empty()) return Errno::NOENT;
  out->argv = split_lines(args ? mem.string(args, args_len) : std::string());
  if (out->argv.empty()) out->argv.push_back(guest_name);
  if (envs) {
    out->env = split_lines(mem.string(envs, envs_len));
    for (const std::string& e : out->env)
      if (e.find('=') == std::string::npos || e.rfind("WASIXC_SANDBOX_ROOT=", 0) == 0) return Errno::INVAL;
  } else {
    out->env = process_state().env;  // NULL envs: inherit
  }
  std::vector<std::string> candidates;
  if (search_path && guest_name.find('/') == std::string::npos) {
    std::string dirs = path ? mem.string(path, path_len) : "/usr/local/bin:/bin:/usr/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string dir = dirs.substr(start, end - start);
      candidates.push_back((dir.empty() ? "." : dir) + "/" + guest_name);
      start = end + 1;
    }
  } else {
    candidates.push_back(guest_name);
  }
  Errno error = Errno::NOENT;
  for (const std::string& c : candidates) {
    // Through the one resolver (kernel/path_resolver.h): symlinks and ".."
    // resolve in the guest's namespace and never leave the mappings; the
    // program then starts from this descriptor (execveat), so what was
    // checked is what runs.
    kernel::PathBase base;
    kernel::HostFd cwd_holder;
    kernel::cwd_base(&base, &cwd_holder);
    kernel::OpenedPath opened;
    int e = kernel::open_path(base, c, O_RDONLY, 0, /*follow=*/true, &opened);
    if (e != 0) {
      if (e == EACCES) error = Errno::ACCES;
      continue;
    }
    struct stat st;
    if (fstat(opened.fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
        faccessat(opened.fd.get(), "", X_OK, AT_EMPTY_PATH) != 0) {
      error = Errno::ACCES;  // execve(2): not a regular file, or no execute permission
      continue;
    }
    bool allowed = (g_config && g_config->allow_host_exec) || kernel::is_wasixc_executable(opened.fd.get());
    if (!allowed) {
      error = Errno::NOEXEC;  // not a wasixc program: refused by the sandbox
      continue;
    }
    out->program = std::move(opened.fd);
    return Errno::SUCCESS;
  }
  return error;
}

}  // namespace

void set_exec_config(const wasixc_config* config) { g_config = config; }

Errno proc_exec3(Ctx& ctx, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len,
                 u32 search_path, u32 path, u32 path_len) {
  Program p;
  if (Errno e = resolve(ctx, name, name_len, args, args_len, envs, envs_len, search_path, path, path_len, &p);
      e != Errno::SUCCESS)
    return e;
  return errno_from_host(kernel::exec_image(p.program.get(), p.argv, p.env));
}

// fd_op (56 bytes): cmd u8 @0 (0 close, 1 dup2, 2 open, 3 chdir, 4 fchdir),
// fd u32 @4, src_fd u32 @8. signal_disposition (2 bytes): sig @0, disp @1.
Errno proc_spawn2(Ctx& ctx, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len,
                  u32 fd_ops, u32 n_fd_ops, u32 sig_disp, u32 n_sig_disp, u32 search_path, u32 path,
                  u32 path_len, u32 pid_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(pid_out, 4);
  std::vector<kernel::FdAction> actions;
  for (u32 i = 0; i < n_fd_ops; ++i) {
    uint64_t op = fd_ops + 56ull * i;
    uint8_t cmd = mem.load<uint8_t>(op);
    int fd = static_cast<int>(mem.load<u32>(op + 4));
    if (cmd == 0) {
      std::optional<FdEntry> e = process_state().fds.get(static_cast<u32>(fd));
      actions.push_back({kernel::FdAction::kClose, e ? e->host_fd : fd, 0});
    } else if (cmd == 1) {
      std::optional<FdEntry> src = process_state().fds.get(mem.load<u32>(op + 8));
      if (!src) return Errno::BADF;
      actions.push_back({kernel::FdAction::kDup2, fd, src->host_fd});
    } else {
      return Errno::NOTSUP;  // open/chdir/fchdir: not yet (see the syscall table)
    }
  }
  std::vector<int> defaults;
  for (u32 i = 0; i < n_sig_disp; ++i)
    if (mem.load<uint8_t>(sig_disp + 2ull * i + 1) == 0) defaults.push_back(mem.load<uint8_t>(sig_disp + 2ull * i));
  Program p;
  if (Errno e = resolve(ctx, name, name_len, args, args_len, envs, envs_len, search_path, path, path_len, &p);
      e != Errno::SUCCESS)
    return e;
  pid_t pid = kernel::spawn_image(p.program.get(), p.argv, p.env, actions, defaults);
  if (pid < 0) return errno_from_host(-pid);
  mem.store<u32>(pid_out, static_cast<u32>(pid));
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix

namespace wasixc::wasix {

// The superseded entry points (no result: a failure ends the process with
// 127, as a shell does for a command it cannot run).
void proc_exec(Ctx& ctx, u32 name, u32 name_len, u32 args, u32 args_len) {
  proc_exec2(ctx, name, name_len, args, args_len, 0, 0);
}

void proc_exec2(Ctx& ctx, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len) {
  // Like execvp for a bare name, as the old call did.
  std::string n = guest_memory(ctx).string(name, name_len);
  proc_exec3(ctx, name, name_len, args, args_len, envs, envs_len, n.find('/') == std::string::npos, 0, 0);
  kernel::exit_process(127);
}

// proc_spawn (v1): stdio modes 0 piped, 1 inherit, 2 null, 3 log;
// process_handles (28 bytes): pid u32 @0, then three option<fd> (none).
Errno proc_spawn(Ctx& ctx, u32 name, u32 name_len, u32 chroot, u32 args, u32 args_len, u32 /*preopens*/,
                 u32 /*preopens_len*/, u32 stdin_mode, u32 stdout_mode, u32 stderr_mode, u32 workdir,
                 u32 workdir_len, u32 handles_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(handles_out, 28);
  if (chroot || (workdir && workdir_len)) return Errno::NOTSUP;
  std::vector<kernel::FdAction> actions;
  u32 modes[3] = {stdin_mode, stdout_mode, stderr_mode};
  for (int fd = 0; fd < 3; ++fd) {
    if (modes[fd] == 0) return Errno::NOTSUP;  // piped: no guest pipes yet
    if (modes[fd] == 2) actions.push_back({kernel::FdAction::kDevNull, fd, 0});
  }
  Program p;
  if (Errno e = resolve(ctx, name, name_len, args, args_len, 0, 0, 1, 0, 0, &p); e != Errno::SUCCESS) return e;
  pid_t pid = kernel::spawn_image(p.program.get(), p.argv, p.env, actions, {});
  if (pid < 0) return errno_from_host(-pid);
  uint8_t handles[28] = {};
  memcpy(handles, &pid, 4);
  mem.copy_out(handles_out, handles, sizeof handles);
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
