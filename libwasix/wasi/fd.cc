// The fd family: read/write/seek/close/fdstat on host descriptors, and the
// preopened-directory queries wasi-libc runs at start-up.
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "kernel/signals.h"
#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

// WASI filetype values (wasix-abi.md §4.2).
enum : uint8_t {
  FILETYPE_UNKNOWN = 0, FILETYPE_BLOCK_DEVICE = 1, FILETYPE_CHARACTER_DEVICE = 2,
  FILETYPE_DIRECTORY = 3, FILETYPE_REGULAR_FILE = 4, FILETYPE_SOCKET_DGRAM = 5,
  FILETYPE_SOCKET_STREAM = 6, FILETYPE_SYMBOLIC_LINK = 7,
};

// WASI rights bits. wasi-libc's isatty() says "tty" for a character device
// without the seek and tell rights.
constexpr u64 RIGHT_FD_SEEK = 1ull << 2;
constexpr u64 RIGHT_FD_TELL = 1ull << 5;
constexpr u64 RIGHTS_ALL = (1ull << 29) - 1;

// Gathers a guest iovec array (struct { u32 buf; u32 len; }, 8 bytes) into
// host iovecs pointing at guest memory.
Errno gather(Ctx& ctx, u32 iovs, u32 iovs_len, std::vector<iovec>* out) {
  if (iovs_len > IOV_MAX) return Errno::INVAL;  // as Linux readv/writev
  GuestMemory mem = guest_memory(ctx);
  out->resize(iovs_len);
  for (u32 i = 0; i < iovs_len; ++i) {
    u32 buf = mem.load<u32>(iovs + 8ull * i);
    u32 len = mem.load<u32>(iovs + 8ull * i + 4);
    std::span<uint8_t> bytes = mem.bytes(buf, len);
    (*out)[i] = iovec{bytes.data(), bytes.size()};
  }
  return Errno::SUCCESS;
}

// readv/writev between a host fd and guest buffers; the byte count goes to
// the guest's *count_out.
Errno transfer(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 count_out,
               ssize_t (*io)(int, const iovec*, int)) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  std::vector<iovec> iov;
  if (Errno e = gather(ctx, iovs, iovs_len, &iov); e != Errno::SUCCESS) return e;
  // Interrupted: run the handlers, then restart the call, as read(2) and
  // write(2) do under signal(3)'s SA_RESTART.
  ssize_t n;
  while ((n = io(entry->host_fd, iov.data(), static_cast<int>(iov.size()))) < 0 && errno == EINTR)
    kernel::deliver_pending(&ctx);
  if (n < 0) return errno_from_host(errno);
  guest_memory(ctx).store<u32>(count_out, static_cast<u32>(n));
  return Errno::SUCCESS;
}

uint8_t filetype_of(int host_fd, const struct stat& st) {
  if (S_ISREG(st.st_mode)) return FILETYPE_REGULAR_FILE;
  if (S_ISDIR(st.st_mode)) return FILETYPE_DIRECTORY;
  if (S_ISCHR(st.st_mode)) return FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(st.st_mode)) return FILETYPE_BLOCK_DEVICE;
  if (S_ISLNK(st.st_mode)) return FILETYPE_SYMBOLIC_LINK;
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len);
    return type == SOCK_DGRAM ? FILETYPE_SOCKET_DGRAM : FILETYPE_SOCKET_STREAM;
  }
  return FILETYPE_UNKNOWN;  // FIFOs have no WASI filetype
}

uint16_t fdflags_of(int host_fd) {
  int fl = fcntl(host_fd, F_GETFL);
  if (fl < 0) return 0;
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= 1;
  if (fl & O_DSYNC) flags |= 2;
  if (fl & O_NONBLOCK) flags |= 4;
  if ((fl & O_SYNC) == O_SYNC) flags |= 16;
  return flags;
}

}  // namespace

Errno fd_write(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out) {
  return transfer(ctx, fd, iovs, iovs_len, nwritten_out, ::writev);
}

Errno fd_read(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out) {
  return transfer(ctx, fd, iovs, iovs_len, nread_out, ::readv);
}

Errno fd_close(Ctx&, u32 fd) { return errno_from_host(process_state().fds.close(fd)); }

Errno fd_seek(Ctx& ctx, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  int host_whence;
  switch (whence) {
    case 0: host_whence = SEEK_SET; break;
    case 1: host_whence = SEEK_CUR; break;
    case 2: host_whence = SEEK_END; break;
    default: return Errno::INVAL;
  }
  // lseek(2): ESPIPE on pipes, sockets and terminals, as on Linux.
  off_t pos = lseek(entry->host_fd, static_cast<off_t>(offset), host_whence);
  if (pos < 0) return errno_from_host(errno);
  guest_memory(ctx).store<u64>(newoffset_out, static_cast<u64>(pos));
  return Errno::SUCCESS;
}

Errno fd_tell(Ctx& ctx, u32 fd, u32 offset_out) {
  return fd_seek(ctx, fd, 0, /*SEEK_CUR*/ 1, offset_out);
}

Errno fd_fdstat_get(Ctx& ctx, u32 fd, u32 fdstat_out) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  struct stat st;
  if (fstat(entry->host_fd, &st) != 0) return errno_from_host(errno);
  u64 rights = RIGHTS_ALL;
  if (isatty(entry->host_fd) || lseek(entry->host_fd, 0, SEEK_CUR) < 0)
    rights &= ~(RIGHT_FD_SEEK | RIGHT_FD_TELL);
  // struct fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8,
  // rights_inheriting u64 @16 (24 bytes).
  GuestMemory mem = guest_memory(ctx);
  mem.check(fdstat_out, 24);
  mem.store<uint8_t>(fdstat_out, filetype_of(entry->host_fd, st));
  mem.store<uint8_t>(fdstat_out + 1, 0);
  mem.store<uint16_t>(fdstat_out + 2, fdflags_of(entry->host_fd));
  mem.store<u32>(fdstat_out + 4, 0);
  mem.store<u64>(fdstat_out + 8, rights);
  mem.store<u64>(fdstat_out + 16, RIGHTS_ALL);
  return Errno::SUCCESS;
}

Errno fd_prestat_get(Ctx& ctx, u32 fd, u32 prestat_out) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  // wasi-libc scans fds from 3 up and stops at the first EBADF.
  if (!entry || !entry->preopen_name) return Errno::BADF;
  // struct prestat: tag u8 @0 (0 = dir), name_len u32 @4.
  GuestMemory mem = guest_memory(ctx);
  mem.check(prestat_out, 8);
  mem.store<u32>(prestat_out, 0);
  mem.store<u32>(prestat_out + 4, static_cast<u32>(entry->preopen_name->size()));
  return Errno::SUCCESS;
}

Errno fd_prestat_dir_name(Ctx& ctx, u32 fd, u32 path, u32 path_len) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry || !entry->preopen_name) return Errno::BADF;
  const std::string& name = *entry->preopen_name;
  if (path_len < name.size()) return Errno::NAMETOOLONG;
  guest_memory(ctx).copy_out(path, name.data(), name.size());
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasi
