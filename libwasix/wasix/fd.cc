// The wasix_32v1 fd family (wasix-abi.md §2.1): dup, F_DUPFD, pipes,
// eventfd and the close-on-exec flag. Descriptors are numbered by the
// guest's table (kernel/fd_table.h): the lowest free number, as Linux.
// Out-pointers are checked before anything is created, so a bad pointer
// (EFAULT) leaves no descriptor behind.
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {
namespace {

// Puts a new host descriptor into the table (lowest free number) and
// writes its number to the guest's *fd_out.
Errno insert_new(Ctx& ctx, int host_fd, u32 fd_out) {
  FdEntry entry;
  entry.host_fd = host_fd;
  int64_t fd = process_state().fds.insert(std::move(entry));
  if (fd < 0) return errno_from_host(static_cast<int>(-fd));
  guest_memory(ctx).store<u32>(fd_out, static_cast<u32>(fd));
  return Errno::SUCCESS;
}

}  // namespace

// dup(2): the lowest free number, close-on-exec clear.
Errno fd_dup(Ctx& ctx, u32 fd, u32 fd_out) {
  guest_memory(ctx).check(fd_out, 4);
  int64_t r = process_state().fds.duplicate(fd, 0, false);
  if (r < 0) return errno_from_host(static_cast<int>(-r));
  guest_memory(ctx).store<u32>(fd_out, static_cast<u32>(r));
  return Errno::SUCCESS;
}

// fcntl(F_DUPFD / F_DUPFD_CLOEXEC), not dup2 (wasix-abi.md §5.1): the
// lowest free number >= min_fd; EINVAL for a min_fd past RLIMIT_NOFILE.
Errno fd_dup2(Ctx& ctx, u32 fd, u32 min_fd, u32 cloexec, u32 fd_out) {
  guest_memory(ctx).check(fd_out, 4);
  int64_t r = process_state().fds.duplicate(fd, min_fd, cloexec != 0);
  if (r < 0) return errno_from_host(static_cast<int>(-r));
  guest_memory(ctx).store<u32>(fd_out, static_cast<u32>(r));
  return Errno::SUCCESS;
}

// pipe(2): fd0 the read end, fd1 the write end, a real Linux pipe (blocking
// unless O_NONBLOCK is set with fd_fdstat_set_flags; EPIPE and SIGPIPE
// writing with no reader left). Wasmer's ends are bidirectional; Linux's,
// and so wasixc's, are not (EBADF writing to fd0).
Errno fd_pipe(Ctx& ctx, u32 fd0_out, u32 fd1_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(fd0_out, 4);
  mem.check(fd1_out, 4);
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) return errno_from_host(errno);
  FdTable& table = process_state().fds;
  FdEntry read_end, write_end;
  read_end.host_fd = ends[0];
  write_end.host_fd = ends[1];
  int64_t fd0 = table.insert(std::move(read_end));
  if (fd0 < 0) {
    ::close(ends[1]);
    return errno_from_host(static_cast<int>(-fd0));
  }
  int64_t fd1 = table.insert(std::move(write_end));
  if (fd1 < 0) {
    table.close(static_cast<u32>(fd0));  // pipe(2) creates both or neither
    return errno_from_host(static_cast<int>(-fd1));
  }
  mem.store<u32>(fd0_out, static_cast<u32>(fd0));
  mem.store<u32>(fd1_out, static_cast<u32>(fd1));
  return Errno::SUCCESS;
}

// eventfd(2). wasix-libc passes musl's EFD_* bits cut to u16 (§2.1):
// 1 SEMAPHORE, 4 NONBLOCK (its O_NONBLOCK); EFD_CLOEXEC (1 << 30) does not
// survive the cut, so the descriptor starts without close-on-exec. Other
// bits, or an initial value that is no unsigned int: EINVAL, as Linux.
Errno fd_event(Ctx& ctx, u64 initial, u32 flags, u32 fd_out) {
  constexpr u32 kSemaphore = 1, kNonblock = 4;
  guest_memory(ctx).check(fd_out, 4);
  if ((flags & ~(kSemaphore | kNonblock)) || initial > UINT_MAX) return Errno::INVAL;
  int host_flags = EFD_CLOEXEC;
  if (flags & kSemaphore) host_flags |= EFD_SEMAPHORE;
  if (flags & kNonblock) host_flags |= EFD_NONBLOCK;
  int host_fd = eventfd(static_cast<unsigned>(initial), host_flags);
  if (host_fd < 0) return errno_from_host(errno);
  return insert_new(ctx, host_fd, fd_out);
}

// F_GETFD: fdflagsext bit 0 = CLOEXEC.
Errno fd_fdflags_get(Ctx& ctx, u32 fd, u32 flags_out) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  guest_memory(ctx).store<uint16_t>(flags_out, entry->cloexec ? 1 : 0);
  return Errno::SUCCESS;
}

// F_SETFD: only CLOEXEC means anything (Linux ignores other bits). The flag
// is the guest's: the host descriptor stays close-on-exec, and exec/spawn
// hand over exactly the entries without it (kernel/fd_handoff.h).
Errno fd_fdflags_set(Ctx&, u32 fd, u32 flags) {
  bool open = process_state().fds.update(fd, [&](FdEntry& e) { e.cloexec = flags & 1; });
  return open ? Errno::SUCCESS : Errno::BADF;
}

}  // namespace wasixc::wasix
