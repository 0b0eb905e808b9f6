// The current directory (wasix_32v1 getcwd, chdir). The cwd is a guest
// path held by the path resolver (kernel/path_resolver.h) with its
// directory open, as Linux holds it; relative names of exec/spawn start
// there. Debian's wasi-libc keeps a cwd of its own and never calls these;
// wasix-libc does.
#include <cerrno>

#include "kernel/path_resolver.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {

// getcwd(buf, *len): wasix-abi.md §2.1. The path's length (no NUL) goes
// to *len; a buffer shorter than the path is ERANGE; the rest of the
// buffer is zero-filled (libc relies on it for the terminating NUL). As
// Wasmer: a buffer of exactly the path's length succeeds, since
// wasix-libc's getcwd(NULL, 0) allocates the length it was told and asks
// again; a NULL buffer is EINVAL (never a write at guest address 0).
Errno getcwd(Ctx& ctx, u32 buf, u32 len_inout) {
  GuestMemory mem = guest_memory(ctx);
  u32 len = mem.load<u32>(len_inout);
  std::string cwd = kernel::current_directory();
  mem.store<u32>(len_inout, static_cast<u32>(cwd.size()));
  if (cwd.size() > len) return Errno::RANGE;
  if (buf == 0) return Errno::INVAL;
  mem.check(buf, len);
  mem.copy_out(buf, cwd.data(), cwd.size());
  std::string zeros(len - cwd.size(), '\0');
  mem.copy_out(buf + cwd.size(), zeros.data(), zeros.size());
  return Errno::SUCCESS;
}

Errno chdir(Ctx& ctx, u32 path, u32 path_len) {
  std::string name = guest_memory(ctx).string(path, path_len);
  kernel::PathBase base;
  kernel::HostFd holder;
  kernel::cwd_base(&base, &holder);
  int e = kernel::change_directory(base, name);
  return e == 0 ? Errno::SUCCESS : errno_from_host(e);
}

}  // namespace wasixc::wasix
