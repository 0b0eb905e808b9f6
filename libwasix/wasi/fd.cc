// The fd family (preview1): read/write (plain and positioned), seek/tell,
// close, fdstat and filestat, flags and rights, advise/allocate/sync,
// renumber, and the preopened-directory queries wasi-libc runs at
// start-up. Each call works on the host descriptor behind the guest's
// (kernel/fd_table.h), so errors are the host's, as natively: ESPIPE
// seeking a pipe, EISDIR reading a directory, EAGAIN on an O_NONBLOCK
// pipe, EPIPE (and SIGPIPE) writing to a pipe nobody reads.
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "filestat.h"
#include "kernel/path_resolver.h"
#include "kernel/signals.h"
#include "guest_iovecs.h"
#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

// WASI rights bits (preview1 `rights`) the fd calls check.
constexpr u64 RIGHT_FD_DATASYNC = 1ull << 0;
constexpr u64 RIGHT_FD_READ = 1ull << 1;
constexpr u64 RIGHT_FD_SEEK = 1ull << 2;
constexpr u64 RIGHT_FD_FDSTAT_SET_FLAGS = 1ull << 3;
constexpr u64 RIGHT_FD_SYNC = 1ull << 4;
constexpr u64 RIGHT_FD_TELL = 1ull << 5;
constexpr u64 RIGHT_FD_WRITE = 1ull << 6;
constexpr u64 RIGHT_FD_ADVISE = 1ull << 7;
constexpr u64 RIGHT_FD_ALLOCATE = 1ull << 8;
constexpr u64 RIGHT_FD_FILESTAT_GET = 1ull << 21;
constexpr u64 RIGHT_FD_FILESTAT_SET_SIZE = 1ull << 22;
constexpr u64 RIGHT_FD_FILESTAT_SET_TIMES = 1ull << 23;

// Runs `use` on the entry for `fd`, in place under the table's lock, if it
// is open (EBADF) and `right` was not given up: a right the guest dropped
// with fd_fdstat_set_rights is refused with ENOTCAPABLE, as the preview1
// spec says. The host's own access mode is the host's to enforce (EBADF
// writing to a read-only descriptor, as natively; kernel/fd_table.h says
// why open's rights are not enforced).
template <typename Use>
Errno with_entry(u32 fd, u64 right, Use use) {
  Errno result = Errno::SUCCESS;
  if (!process_state().fds.read(fd, [&](const FdEntry& e) {
        if (e.rights_refused & right)
          result = Errno::NOTCAPABLE;
        else
          use(e);
      }))
    return Errno::BADF;
  return result;
}

// A copy of the entry, for the calls that need more than a field or two.
Errno entry_with(u32 fd, u64 right, FdEntry* out) {
  return with_entry(fd, right, [&](const FdEntry& e) { *out = e; });
}

// Only the host descriptor (reads and writes: no copy of the entry's
// strings on every call).
Errno host_fd_with(u32 fd, u64 right, int* host_fd) {
  return with_entry(fd, right, [&](const FdEntry& e) { *host_fd = e.host_fd; });
}

// readv/writev between a host fd and guest buffers; the byte count goes to
// the guest's *count_out. With `offset` (pread/pwrite: preadv/pwritev) the
// file offset is neither used nor moved.
Errno transfer(Ctx& ctx, u32 fd, u64 right, u32 iovs, u32 iovs_len, std::optional<u64> offset, u32 count_out,
               ssize_t (*io)(int, const iovec*, int, off_t)) {
  int host_fd = -1;
  if (Errno e = host_fd_with(fd, right, &host_fd); e != Errno::SUCCESS) return e;
  HostIovecs iov;
  if (Errno e = gather_iovecs(ctx, iovs, iovs_len, &iov); e != Errno::SUCCESS) return e;
  guest_memory(ctx).check(count_out, 4);
  // pread(2): EINVAL for an offset that is negative as an off_t.
  if (offset && *offset > static_cast<u64>(INT64_MAX)) return Errno::INVAL;
  off_t at = offset ? static_cast<off_t>(*offset) : -1;
  ssize_t n = kernel::restart_on_eintr(&ctx, [&] { return io(host_fd, iov.data(), static_cast<int>(iov.size()), at); });
  if (n < 0) return errno_from_host(errno);
  guest_memory(ctx).store<u32>(count_out, static_cast<u32>(n));
  return Errno::SUCCESS;
}

// One buffer (what libc's read/write/pread/pwrite pass) goes through the
// plain call: the same result (readv(2): "like read, but with several
// buffers"), without the kernel copying in an iovec array (SQLite on a
// file database makes ~230,000 such calls in speedtest1 --size 50).
ssize_t read_at(int fd, const iovec* iov, int n, off_t at) {
  if (n == 1)
    return at < 0 ? ::read(fd, iov[0].iov_base, iov[0].iov_len) : ::pread(fd, iov[0].iov_base, iov[0].iov_len, at);
  return at < 0 ? ::readv(fd, iov, n) : ::preadv(fd, iov, n, at);
}
ssize_t write_at(int fd, const iovec* iov, int n, off_t at) {
  if (n == 1)
    return at < 0 ? ::write(fd, iov[0].iov_base, iov[0].iov_len) : ::pwrite(fd, iov[0].iov_base, iov[0].iov_len, at);
  return at < 0 ? ::writev(fd, iov, n) : ::pwritev(fd, iov, n, at);
}

// The WASI file type of an open host file: as filetype_of_mode, but a
// socket's own type (datagram or stream) is asked.
uint8_t filetype_of(int host_fd, const struct stat& st) {
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &len);
    return type == SOCK_DGRAM ? FILETYPE_SOCKET_DGRAM : FILETYPE_SOCKET_STREAM;
  }
  return filetype_of_mode(st.st_mode);
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
  return transfer(ctx, fd, RIGHT_FD_WRITE, iovs, iovs_len, std::nullopt, nwritten_out, write_at);
}

Errno fd_read(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out) {
  return transfer(ctx, fd, RIGHT_FD_READ, iovs, iovs_len, std::nullopt, nread_out, read_at);
}

// fd_pread/fd_pwrite need the seek right too (preview1), and a pipe gives
// ESPIPE as pread(2) does.
Errno fd_pread(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread_out) {
  return transfer(ctx, fd, RIGHT_FD_READ | RIGHT_FD_SEEK, iovs, iovs_len, offset, nread_out, read_at);
}

Errno fd_pwrite(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten_out) {
  return transfer(ctx, fd, RIGHT_FD_WRITE | RIGHT_FD_SEEK, iovs, iovs_len, offset, nwritten_out, write_at);
}

Errno fd_close(Ctx&, u32 fd) { return errno_from_host(process_state().fds.close(fd)); }

Errno fd_seek(Ctx& ctx, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  // preview1: fd_tell needs only the tell right; a seek that moves, seek.
  int host_fd;
  u64 right = whence == 1 && offset == 0 ? RIGHT_FD_TELL : RIGHT_FD_SEEK;
  if (Errno e = host_fd_with(fd, right, &host_fd); e != Errno::SUCCESS) return e;
  guest_memory(ctx).check(newoffset_out, 8);
  int host_whence;
  switch (whence) {
    case 0: host_whence = SEEK_SET; break;
    case 1: host_whence = SEEK_CUR; break;
    case 2: host_whence = SEEK_END; break;
    default: return Errno::INVAL;
  }
  // lseek(2): ESPIPE on pipes, sockets and terminals, as on Linux.
  off_t pos = lseek(host_fd, static_cast<off_t>(offset), host_whence);
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
  uint8_t out[24] = {};
  // A read-only directory (kernel::directory_is_read_only) reports no
  // FD_WRITE: wasi-libc's access(W_OK) then fails (EACCES); opening below
  // it for writing still works (libwasix/wasi/path.cc, hidden_write).
  u64 inheriting = entry->rights_inheriting;
  if (kernel::directory_is_read_only(*entry)) inheriting &= ~RIGHT_FD_WRITE;
  if (entry->virtual_dir) {  // no host descriptor: a directory, no flags
    u64 base = entry->rights_base & ~RIGHT_FD_WRITE;
    out[0] = FILETYPE_DIRECTORY;
    memcpy(out + 8, &base, 8);
    memcpy(out + 16, &inheriting, 8);
    guest_memory(ctx).copy_out(fdstat_out, out, sizeof out);
    return Errno::SUCCESS;
  }
  struct stat st;
  if (fstat(entry->host_fd, &st) != 0) return errno_from_host(errno);
  // The entry's rights, less what the host descriptor cannot do: no seek
  // or tell on pipes, sockets and terminals (wasi-libc's isatty() is "a
  // character device without them"), no write on a read-only descriptor
  // and no read on a write-only one (wasi-libc's F_GETFL derives O_RDONLY/
  // O_WRONLY/O_RDWR from these).
  u64 rights = entry->rights_base;
  if (isatty(entry->host_fd) || lseek(entry->host_fd, 0, SEEK_CUR) < 0)
    rights &= ~(RIGHT_FD_SEEK | RIGHT_FD_TELL);
  int mode = fcntl(entry->host_fd, F_GETFL);
  if (mode >= 0 && (mode & O_ACCMODE) == O_RDONLY && !S_ISDIR(st.st_mode)) rights &= ~RIGHT_FD_WRITE;
  if (mode >= 0 && (mode & O_ACCMODE) == O_WRONLY) rights &= ~RIGHT_FD_READ;
  // struct fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8,
  // rights_inheriting u64 @16 (24 bytes).
  out[0] = filetype_of(entry->host_fd, st);
  uint16_t flags = fdflags_of(entry->host_fd);
  memcpy(out + 2, &flags, 2);
  memcpy(out + 8, &rights, 8);
  memcpy(out + 16, &inheriting, 8);
  guest_memory(ctx).copy_out(fdstat_out, out, sizeof out);
  return Errno::SUCCESS;
}

Errno fd_prestat_get(Ctx& ctx, u32 fd, u32 prestat_out) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  GuestMemory mem = guest_memory(ctx);
  mem.check(prestat_out, 8);
  if (!entry->preopen_name) {
    // wasi-libc scans fds from 3 up and stops at the first EBADF, and any
    // other error is fatal at its start-up. After exec or spawn (whose
    // file actions may put a pipe at 3) a plain descriptor can sit below a
    // preopen: it answers with a tag that is no directory, which the scan
    // skips, so the preopens above it are still found.
    bool preopen_above = false;
    process_state().fds.for_each([&](uint32_t other, const FdEntry& e) {
      preopen_above |= other > fd && e.preopen_name.has_value();
    });
    if (!preopen_above) return Errno::BADF;
    mem.store<u32>(prestat_out, 1);  // not __WASI_PREOPENTYPE_DIR
    mem.store<u32>(prestat_out + 4, 0);
    return Errno::SUCCESS;
  }
  // struct prestat: tag u8 @0 (0 = dir), name_len u32 @4.
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

// fcntl(2) F_SETFL: Linux changes O_APPEND and O_NONBLOCK (of the five WASI
// fdflags) and silently ignores O_DSYNC, O_RSYNC and O_SYNC (F_SETFL
// "ignores the file access mode and file creation flags"; the sync flags
// cannot be changed either). wasi-libc's fcntl(F_SETFL) passes them
// through and a program expects what Linux does, so wasixc ignores them
// too rather than failing (preview1 does not say; Wasmtime refuses them).
// Bits outside the five: EINVAL. The open file description is shared, so
// every dup and a forked child see the change, as natively.
Errno fd_fdstat_set_flags(Ctx&, u32 fd, u32 flags) {
  if (flags & ~0x1fu) return Errno::INVAL;
  int host_fd;
  if (Errno e = host_fd_with(fd, RIGHT_FD_FDSTAT_SET_FLAGS, &host_fd); e != Errno::SUCCESS) return e;
  int fl = fcntl(host_fd, F_GETFL);
  if (fl < 0) return errno_from_host(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & 1) fl |= O_APPEND;
  if (flags & 4) fl |= O_NONBLOCK;
  if (fcntl(host_fd, F_SETFL, fl) != 0) return errno_from_host(errno);
  return Errno::SUCCESS;
}

// preview1: rights may only be dropped; asking for one the descriptor does
// not hold is ENOTCAPABLE.
Errno fd_fdstat_set_rights(Ctx&, u32 fd, u64 rights_base, u64 rights_inheriting) {
  Errno result = Errno::BADF;
  process_state().fds.update(fd, [&](FdEntry& e) {
    if ((rights_base & ~e.rights_base) || (rights_inheriting & ~e.rights_inheriting)) {
      result = Errno::NOTCAPABLE;
      return;
    }
    e.rights_refused |= e.rights_base & ~rights_base;
    e.rights_base = rights_base;
    e.rights_inheriting = rights_inheriting;
    result = Errno::SUCCESS;
  });
  return result;
}

Errno fd_stat(u32 fd, struct stat* st, uint8_t* filetype) {
  int host_fd = -1;
  bool virtual_dir = false;
  if (Errno e = with_entry(fd, RIGHT_FD_FILESTAT_GET,
                           [&](const FdEntry& entry) {
                             host_fd = entry.host_fd;
                             virtual_dir = entry.virtual_dir;
                           });
      e != Errno::SUCCESS)
    return e;
  if (virtual_dir) {
    *st = virtual_directory_stat();
    *filetype = FILETYPE_DIRECTORY;
    return Errno::SUCCESS;
  }
  if (fstat(host_fd, st) != 0) return errno_from_host(errno);
  *filetype = filetype_of(host_fd, *st);
  return Errno::SUCCESS;
}

Errno fd_filestat_get(Ctx& ctx, u32 fd, u32 filestat_out) {
  struct stat st;
  uint8_t filetype;
  if (Errno e = fd_stat(fd, &st, &filetype); e != Errno::SUCCESS) return e;
  store_filestat(guest_memory(ctx), filestat_out, st, filetype);
  return Errno::SUCCESS;
}

// ftruncate(2): EINVAL for a pipe or a size negative as an off_t, EFBIG
// past the file size limit, as the host says.
Errno fd_filestat_set_size(Ctx& ctx, u32 fd, u64 size) {
  int host_fd;
  if (Errno e = host_fd_with(fd, RIGHT_FD_FILESTAT_SET_SIZE, &host_fd); e != Errno::SUCCESS) return e;
  if (size > static_cast<u64>(INT64_MAX)) return Errno::INVAL;
  if (kernel::restart_on_eintr(&ctx, [&] { return ftruncate(host_fd, static_cast<off_t>(size)); }) != 0)
    return errno_from_host(errno);
  return Errno::SUCCESS;
}

// fstflags: 1 ATIM, 2 ATIM_NOW, 4 MTIM, 8 MTIM_NOW. A time and "now" for
// the same field is EINVAL (preview1); an absent field is left alone
// (futimens(2) UTIME_OMIT).
Errno fd_filestat_set_times(Ctx&, u32 fd, u64 atim, u64 mtim, u32 fst_flags) {
  if ((fst_flags & ~0xfu) || (fst_flags & 3) == 3 || (fst_flags & 12) == 12) return Errno::INVAL;
  FdEntry entry;
  if (Errno e = entry_with(fd, RIGHT_FD_FILESTAT_SET_TIMES, &entry); e != Errno::SUCCESS) return e;
  // futimens(2) works on a read-only descriptor: a read-only mapping's
  // files keep their times (kernel/path_resolver.h).
  if (kernel::mapping_is_read_only(entry.mapping)) return Errno::ROFS;
  auto spec = [](bool set, bool now, u64 ns) {
    if (now) return timespec{0, UTIME_NOW};
    if (!set) return timespec{0, UTIME_OMIT};
    return timespec{static_cast<time_t>(ns / 1000000000ull), static_cast<long>(ns % 1000000000ull)};
  };
  timespec times[2] = {spec(fst_flags & 1, fst_flags & 2, atim), spec(fst_flags & 4, fst_flags & 8, mtim)};
  if (futimens(entry.host_fd, times) != 0) return errno_from_host(errno);
  return Errno::SUCCESS;
}

// posix_fadvise(2); advice 0 NORMAL, 1 SEQUENTIAL, 2 RANDOM, 3 WILLNEED,
// 4 DONTNEED, 5 NOREUSE. ESPIPE on a pipe, as natively. (It returns the
// error instead of setting errno.)
Errno fd_advise(Ctx&, u32 fd, u64 offset, u64 len, u32 advice) {
  static const int kAdvice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  int host_fd;
  if (Errno e = host_fd_with(fd, RIGHT_FD_ADVISE, &host_fd); e != Errno::SUCCESS) return e;
  if (advice > 5 || offset > static_cast<u64>(INT64_MAX) || len > static_cast<u64>(INT64_MAX))
    return Errno::INVAL;
  return errno_from_host(
      posix_fadvise(host_fd, static_cast<off_t>(offset), static_cast<off_t>(len), kAdvice[advice]));
}

// posix_fallocate(3): the file grows to cover [offset, offset + len);
// EINVAL for len 0, EFBIG past the limits, ESPIPE on a pipe.
Errno fd_allocate(Ctx&, u32 fd, u64 offset, u64 len) {
  int host_fd;
  if (Errno e = host_fd_with(fd, RIGHT_FD_ALLOCATE, &host_fd); e != Errno::SUCCESS) return e;
  if (offset > static_cast<u64>(INT64_MAX) || len > static_cast<u64>(INT64_MAX)) return Errno::INVAL;
  if (offset + len > static_cast<u64>(INT64_MAX)) return Errno::FBIG;
  return errno_from_host(posix_fallocate(host_fd, static_cast<off_t>(offset), static_cast<off_t>(len)));
}

Errno fd_sync(Ctx& ctx, u32 fd) {
  int host_fd;
  if (Errno e = host_fd_with(fd, RIGHT_FD_SYNC, &host_fd); e != Errno::SUCCESS) return e;
  if (kernel::restart_on_eintr(&ctx, [&] { return fsync(host_fd); }) != 0) return errno_from_host(errno);
  return Errno::SUCCESS;
}

Errno fd_datasync(Ctx& ctx, u32 fd) {
  int host_fd;
  if (Errno e = host_fd_with(fd, RIGHT_FD_DATASYNC, &host_fd); e != Errno::SUCCESS) return e;
  if (kernel::restart_on_eintr(&ctx, [&] { return fdatasync(host_fd); }) != 0) return errno_from_host(errno);
  return Errno::SUCCESS;
}

// fd_renumber is dup2(2) for wasix-libc (its dup2/dup3 and posix_spawn use
// it, wasix-abi.md §5.1): `from` stays open, `to` is closed first and
// becomes a copy sharing the open file description with close-on-exec
// cleared; from == to does nothing. Unlike preview1's wording, `to` need
// not be open and `from` is not closed (Wasmer's behaviour, on which
// wasix-libc relies). Over a preopened directory it replaces the preopen,
// as dup2 over a directory descriptor does natively; the sandbox holds,
// since `to` then names `from`'s file through `from`'s mapping.
Errno fd_renumber(Ctx&, u32 from, u32 to) {
  return errno_from_host(process_state().fds.duplicate_onto(from, to));
}

}  // namespace wasixc::wasi
