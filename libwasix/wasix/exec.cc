// exec and spawn (wasix_32v1 proc_exec3, proc_spawn2): decode the
// newline-joined argument and environment strings (wasix-abi.md §3.6),
// resolve the program with the sandbox's path resolver (a guest names no
// host file outside its mappings), then kernel/exec.h.
//
// Differences from Wasmer, chosen to behave like Linux: a supplied
// environment replaces the current one (execve), and a name not found is
// ENOENT (execvp). The environment is guest data: it reaches the new
// image's guest through the image handoff (kernel/image_handoff.h), never
// the new image's host environment, so LD_PRELOAD, GCONV_PATH,
// GLIBC_TUNABLES or WASIXC_* given by a guest steer nothing on the host.
// Only wasixc-built executables may start unless the program was compiled
// with --allow-host-exec (else ENOEXEC); a WebAssembly module is compiled
// on demand and its executable starts (kernel/wasm_program.h).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>

#include "kernel/dir_mappings.h"
#include "kernel/exec.h"
#include "kernel/path_resolver.h"
#include "kernel/process.h"
#include "kernel/vfork_env.h"
#include "kernel/wasm_program.h"
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

  // What the new image's runtime receives (its guest's environment).
  kernel::ImageHandoff handoff() const {
    kernel::ImageHandoff h;
    h.put_list(kernel::ImageHandoff::kGuestEnv, env);
    return h;
  }
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
    // execve(2) takes C strings: an entry cannot hold a NUL.
    for (const std::string& e : out->env)
      if (e.find('=') == std::string::npos || e.find('\0') != std::string::npos) return Errno::INVAL;
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
    if (kernel::is_wasm_module(opened.fd.get())) {
      // A WebAssembly program: compiled through the cache, its executable
      // runs in its place (kernel/wasm_program.h). A compile failure ends
      // the search, as execvp stops at an ENOEXEC.
      int exe = -1;
      std::optional<FdEntry> err = process_state().fds.get(2);
      int e = kernel::compile_wasm_program(opened.fd.get(), c, g_config ? g_config->compiler : nullptr,
                                           g_config && g_config->allow_host_exec, err ? err->host_fd : -1, &exe);
      if (e != 0) return errno_from_host(e);
      out->program = kernel::HostFd(exe);
      return Errno::SUCCESS;
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
  // execve(2): the new image keeps every descriptor without close-on-exec.
  kernel::FdHandoff fds = kernel::fd_handoff_of(process_state().fds.snapshot(), kernel::dir_mappings());
  if (kernel::fork_env_child()) {
    // proc_fork_env's child execs: in its own process; the call returns 0
    // in the parent once the program runs (wasix-abi.md §3.3).
    int e = kernel::fork_env_exec(p.program.get(), p.argv, p.handoff(), fds, kernel::current_directory());
    if (e == 0) leave_fork_env_child();
    return errno_from_host(e);
  }
  return errno_from_host(kernel::exec_image(p.program.get(), p.argv, p.handoff(), fds));
}

namespace {

// The child's fd table while spawn's file actions are applied: a copy of
// the parent's (host descriptors stay the parent's; nothing is duplicated
// until the child is placed, kernel/fd_handoff.h).
using FdCopy = std::map<uint32_t, FdEntry>;

FdCopy copy_of_table() {
  FdCopy copy;
  for (auto& [fd, entry] : process_state().fds.snapshot()) copy[fd] = entry;
  return copy;
}

// The child's working directory while the actions run: chdir/fchdir
// actions change it, open actions resolve from it, and the child starts
// there (posix_spawn_file_actions_addchdir_np / addfchdir_np).
struct ChildCwd {
  kernel::PathBase base;
  kernel::HostFd holder;  // keeps base.host_fd open
};

kernel::FdHandoff handoff_of(const FdCopy& copy) {
  std::vector<std::pair<uint32_t, FdEntry>> entries(copy.begin(), copy.end());
  return kernel::fd_handoff_of(entries, kernel::dir_mappings());
}

// open action: the guest's path, flags and rights, as path_open2 takes
// them (wasix-abi.md §3.6: path @12, path_len @16, lookupflags @20, oflags
// u16 @24, rights_base @32, rights_inheriting @40, fdflags u16 @48,
// fdflagsext u16 @50), opened in the parent through the path resolver
// (relative to the child's cwd, which earlier chdir actions may change).
Errno open_for_child(const GuestMemory& mem, uint64_t op, const ChildCwd& cwd, FdEntry* out,
                     std::vector<kernel::HostFd>* opened) {
  std::string path = mem.string(mem.load<u32>(op + 12), mem.load<u32>(op + 16));
  u32 lookup = mem.load<u32>(op + 20);
  uint16_t oflags = mem.load<uint16_t>(op + 24);
  u64 rights_base = mem.load<u64>(op + 32), rights_inheriting = mem.load<u64>(op + 40);
  uint16_t fdflags = mem.load<uint16_t>(op + 48), fdflagsext = mem.load<uint16_t>(op + 50);
  bool read = rights_base & (1ull << 1), write = rights_base & (1ull << 6);  // FD_READ, FD_WRITE
  int flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & 1) flags |= O_CREAT;
  if (oflags & 2) flags |= O_DIRECTORY;
  if (oflags & 4) flags |= O_EXCL;
  if (oflags & 8) flags |= O_TRUNC;
  if (fdflags & 1) flags |= O_APPEND;
  if (fdflags & 2) flags |= O_DSYNC;
  if (fdflags & 4) flags |= O_NONBLOCK;
  if (fdflags & 16) flags |= O_SYNC;
  kernel::OpenedPath file;
  if (int e = kernel::open_path(cwd.base, path, flags, 0666, lookup & 1, &file)) return errno_from_host(e);
  out->host_fd = file.fd.get();
  out->cloexec = fdflagsext & 1;
  out->rights_base = rights_base & kernel::kAllRights;
  out->rights_inheriting = rights_inheriting & kernel::kAllRights;
  out->mapping = file.mapping;
  out->guest_path = file.guest_path;
  opened->push_back(std::move(file.fd));  // the parent's copy goes once the child has its own
  return Errno::SUCCESS;
}

// posix_spawn_file_actions, in order, on the copy. close: a descriptor
// not open is no error (glibc ignores EBADF there, as the old action did);
// dup2: EBADF for a source not open; the copy is inherited with
// close-on-exec clear, also when fd == src (POSIX
// posix_spawn_file_actions_adddup2: "If fildes and newfildes are equal
// ... the FD_CLOEXEC flag ... shall be cleared"); open: at exactly `fd`,
// replacing what was there, its error (ENOENT, EACCES, ...) the spawn's.
// chdir/fchdir: the child's cwd (later opens resolve from it).
// chdir: the path resolved from the child's cwd, a directory (ENOTDIR,
// ENOENT as chdir(2)); fchdir: a directory descriptor of the copy (EBADF,
// ENOTDIR as fchdir(2)).
Errno child_chdir(const GuestMemory& mem, uint64_t op, const FdCopy& copy, ChildCwd* cwd) {
  if (mem.load<uint8_t>(op) == 4) {
    auto it = copy.find(mem.load<u32>(op + 4));
    if (it == copy.end()) return Errno::BADF;
    kernel::PathBase base;
    if (int e = kernel::base_from_fd(it->second, &base)) return errno_from_host(e);
    int held = fcntl(base.host_fd, F_DUPFD_CLOEXEC, 3);
    if (held < 0) return errno_from_host(errno);
    cwd->holder = kernel::HostFd(held);
    base.host_fd = held;
    cwd->base = base;
    return Errno::SUCCESS;
  }
  std::string path = mem.string(mem.load<u32>(op + 12), mem.load<u32>(op + 16));
  kernel::ResolvedPath r;
  if (int e = kernel::resolve_path(cwd->base, path, true, &r)) return errno_from_host(e);
  if (r.is_virtual) {  // a directory above the mappings
    cwd->holder = kernel::HostFd();
    cwd->base = kernel::PathBase{-1, r.guest_path, -1};
    return Errno::SUCCESS;
  }
  kernel::OpenedPath dir;
  if (int e = kernel::open_path(cwd->base, path, O_RDONLY | O_DIRECTORY, 0, true, &dir)) return errno_from_host(e);
  cwd->base = kernel::PathBase{dir.mapping, dir.guest_path, dir.fd.get()};
  cwd->holder = std::move(dir.fd);
  return Errno::SUCCESS;
}

Errno apply_fd_action(const GuestMemory& mem, uint64_t op, FdCopy* copy, ChildCwd* cwd,
                      std::vector<kernel::HostFd>* opened) {
  uint8_t cmd = mem.load<uint8_t>(op);
  u32 fd = mem.load<u32>(op + 4);
  switch (cmd) {
    case 0:
      copy->erase(fd);
      return Errno::SUCCESS;
    case 1: {
      u32 src = mem.load<u32>(op + 8);
      auto it = copy->find(src);
      if (it == copy->end()) return Errno::BADF;
      if (fd >= FdTable::limit()) return Errno::BADF;
      FdEntry entry = it->second;
      entry.cloexec = false;
      (*copy)[fd] = entry;
      return Errno::SUCCESS;
    }
    case 2: {
      if (fd >= FdTable::limit()) return Errno::BADF;
      FdEntry entry;
      if (Errno e = open_for_child(mem, op, *cwd, &entry, opened); e != Errno::SUCCESS) return e;
      (*copy)[fd] = entry;
      return Errno::SUCCESS;
    }
    case 3:
    case 4:
      return child_chdir(mem, op, *copy, cwd);
    default:
      return Errno::INVAL;
  }
}

}  // namespace

// fd_op (56 bytes): cmd u8 @0 (0 close, 1 dup2, 2 open, 3 chdir, 4 fchdir),
// fd u32 @4, src_fd u32 @8. signal_disposition (2 bytes): sig @0, disp @1.
// An action that fails is the spawn's error, as posix_spawn reports it.
Errno proc_spawn2(Ctx& ctx, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len,
                  u32 fd_ops, u32 n_fd_ops, u32 sig_disp, u32 n_sig_disp, u32 search_path, u32 path,
                  u32 path_len, u32 pid_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(pid_out, 4);
  mem.check(fd_ops, 56ull * n_fd_ops);
  FdCopy copy = copy_of_table();
  std::vector<kernel::HostFd> opened;  // files opened by open actions, closed when we return
  ChildCwd cwd;
  kernel::cwd_base(&cwd.base, &cwd.holder);
  for (u32 i = 0; i < n_fd_ops; ++i)
    if (Errno e = apply_fd_action(mem, fd_ops + 56ull * i, &copy, &cwd, &opened); e != Errno::SUCCESS) return e;
  std::vector<int> defaults;
  for (u32 i = 0; i < n_sig_disp; ++i)
    if (mem.load<uint8_t>(sig_disp + 2ull * i + 1) == 0) defaults.push_back(mem.load<uint8_t>(sig_disp + 2ull * i));
  Program p;
  if (Errno e = resolve(ctx, name, name_len, args, args_len, envs, envs_len, search_path, path, path_len, &p);
      e != Errno::SUCCESS)
    return e;
  pid_t pid = kernel::spawn_image(p.program.get(), p.argv, p.handoff(), handoff_of(copy), defaults,
                                  std::string(cwd.base.guest()));
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
  bool in_fork_env = kernel::fork_env_child() != 0;
  if (proc_exec3(ctx, name, name_len, args, args_len, envs, envs_len, n.find('/') == std::string::npos, 0, 0) ==
          Errno::SUCCESS &&
      in_fork_env)
    return;  // proc_fork_env's child runs the program
  if (in_fork_env) {  // that child fails as a shell's would: 127
    kernel::fork_env_exit(127);
    leave_fork_env_child();
    return;
  }
  kernel::exit_process(127);
}

// proc_spawn (v1): stdio modes 0 piped, 1 inherit, 2 null, 3 log (as
// inherit); process_handles (28 bytes): pid u32 @0, then option<fd> for
// stdin @4, stdout @12, stderr @20 (tag u8, fd u32 @+4): the parent's end
// of each piped stream, a new descriptor in its table.
Errno proc_spawn(Ctx& ctx, u32 name, u32 name_len, u32 chroot, u32 args, u32 args_len, u32 /*preopens*/,
                 u32 /*preopens_len*/, u32 stdin_mode, u32 stdout_mode, u32 stderr_mode, u32 workdir,
                 u32 workdir_len, u32 handles_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(handles_out, 28);
  if (chroot || (workdir && workdir_len)) return Errno::NOTSUP;
  const u32 modes[3] = {stdin_mode, stdout_mode, stderr_mode};
  for (u32 m : modes)
    if (m > 3) return Errno::INVAL;
  Program p;
  if (Errno e = resolve(ctx, name, name_len, args, args_len, 0, 0, 1, 0, 0, &p); e != Errno::SUCCESS) return e;
  FdCopy copy = copy_of_table();
  std::vector<int> child_only;  // host descriptors only the child keeps
  int parent_end[3] = {-1, -1, -1};
  auto cleanup = [&] {
    for (int fd : child_only) close(fd);
  };
  for (u32 fd = 0; fd < 3; ++fd) {
    int host = -1;
    if (modes[fd] == 0) {
      int ends[2];
      if (pipe2(ends, O_CLOEXEC) != 0) {
        int e = errno;
        cleanup();
        for (int end : parent_end)
          if (end >= 0) close(end);
        return errno_from_host(e);
      }
      host = fd == 0 ? ends[0] : ends[1];  // the child reads stdin, writes stdout/stderr
      parent_end[fd] = fd == 0 ? ends[1] : ends[0];
    } else if (modes[fd] == 2) {
      host = open("/dev/null", O_RDWR | O_CLOEXEC);
      if (host < 0) {
        int e = errno;
        cleanup();
        return errno_from_host(e);
      }
    }
    if (host >= 0) {
      child_only.push_back(host);
      FdEntry entry;
      entry.host_fd = host;
      copy[fd] = entry;
    }
  }
  pid_t pid = kernel::spawn_image(p.program.get(), p.argv, p.handoff(), handoff_of(copy), {});
  cleanup();
  if (pid < 0) {
    for (int end : parent_end)
      if (end >= 0) close(end);
    return errno_from_host(-pid);
  }
  uint8_t handles[28] = {};
  memcpy(handles, &pid, 4);
  for (u32 fd = 0; fd < 3; ++fd) {
    if (parent_end[fd] < 0) continue;
    FdEntry entry;
    entry.host_fd = parent_end[fd];
    int64_t guest = process_state().fds.insert(std::move(entry));
    if (guest < 0) continue;  // EMFILE: the stream stays unreachable, the child runs
    handles[4 + 8 * fd] = 1;
    uint32_t g = static_cast<uint32_t>(guest);
    memcpy(handles + 8 + 8 * fd, &g, 4);
  }
  mem.copy_out(handles_out, handles, sizeof handles);
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
