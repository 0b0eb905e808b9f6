// The path family (preview1 path_*, wasix_32v1 path_open2): decode the
// guest's arguments, resolve every path with the sandbox's one resolver
// (kernel/path_resolver.h), then the *at() call on the resolved parent.
// Errors are Linux's for the same call, mapped to WASI errnos; writes into
// a read-only mapping are EROFS; virtual directories (above the mappings)
// hold no files and are read-only: changes there are EROFS too, opening
// one as a file ENOTCAPABLE.
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "filestat.h"
#include "kernel/path_resolver.h"
#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

using kernel::OpenedPath;
using kernel::PathBase;
using kernel::ResolvedPath;

constexpr u32 LOOKUP_SYMLINK_FOLLOW = 1;
// oflags
constexpr u32 OFLAGS_CREAT = 1, OFLAGS_DIRECTORY = 2, OFLAGS_EXCL = 4, OFLAGS_TRUNC = 8;
// fdflags
constexpr u32 FDFLAGS_APPEND = 1, FDFLAGS_DSYNC = 2, FDFLAGS_NONBLOCK = 4, FDFLAGS_RSYNC = 8, FDFLAGS_SYNC = 16;
// rights that decide the access mode (how wasi-libc's open() encodes
// O_RDONLY/O_WRONLY/O_RDWR: FD_READ and FD_WRITE).
constexpr u64 RIGHT_FD_READ = 1ull << 1, RIGHT_FD_WRITE = 1ull << 6;
// What wasi-libc adds to FD_WRITE for O_WRONLY and O_RDWR, and never asks
// for O_RDONLY: they still tell a write when the directory's inheriting
// rights left FD_WRITE out (a read-only directory, libwasix/wasi/fd.cc).
constexpr u64 RIGHTS_WRITE_COMPANIONS = (1ull << 0) | (1ull << 8) | (1ull << 22);  // datasync, allocate, set_size
// fstflags
constexpr u32 FST_ATIM = 1, FST_ATIM_NOW = 2, FST_MTIM = 4, FST_MTIM_NOW = 8;

Errno host(int e) { return e == 0 ? Errno::SUCCESS : errno_from_host(e); }

// The guest path (ptr, len) and the directory it is relative to.
struct PathArg {
  PathBase base;
  // The path, copied out of guest memory once (another guest thread may
  // change the original meanwhile) into `text`: no allocation per call.
  std::string_view path;
  // The directory's FD_WRITE that fd_fdstat_get hides because nothing can
  // be written in it (kernel::directory_is_read_only) and the guest did
  // not give it up: 0 or RIGHT_FD_WRITE.
  u64 hidden_write = 0;
  char text[PATH_MAX];
};

Errno decode(Ctx& ctx, u32 fd, u32 path, u32 path_len, PathArg* out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(path, path_len);
  // Linux copies the name in before it looks at the directory fd
  // (getname, then the fd): ENAMETOOLONG before EBADF.
  if (path_len >= PATH_MAX) return Errno::NAMETOOLONG;
  mem.copy_in(out->text, path, path_len);
  out->path = std::string_view(out->text, path_len);
  int e = 0;
  // Read in place: the entry's strings are not copied on every path call.
  if (!process_state().fds.read(fd, [&](const FdEntry& entry) {
        if (kernel::directory_is_read_only(entry)) out->hidden_write = entry.rights_inheriting & RIGHT_FD_WRITE;
        e = kernel::base_from_fd(entry, &out->base);
      }))
    return Errno::BADF;
  return host(e);
}

// The calls below act on the resolved parent + name only: no guest path.
Errno resolve(const PathArg& arg, bool follow, ResolvedPath* out) {
  return host(kernel::resolve_path(arg.base, arg.path, follow, out, kernel::GuestPath::kNotNeeded));
}

Errno resolve(Ctx& ctx, u32 fd, u32 path, u32 path_len, bool follow, ResolvedPath* out) {
  PathArg arg;
  if (Errno e = decode(ctx, fd, path, path_len, &arg); e != Errno::SUCCESS) return e;
  return resolve(arg, follow, out);
}

// For the calls that change a directory: a name missing inside a virtual
// directory resolves (out->missing_in_virtual) so that the call can refuse
// it as a read-only mount does (EROFS before looking the name up).
Errno resolve_to_change(const PathArg& arg, bool follow, ResolvedPath* out) {
  Errno e = resolve(arg, follow, out);
  return e == Errno::NOENT && out->missing_in_virtual ? Errno::SUCCESS : e;
}

Errno resolve_to_change(Ctx& ctx, u32 fd, u32 path, u32 path_len, bool follow, ResolvedPath* out) {
  PathArg arg;
  if (Errno e = decode(ctx, fd, path, path_len, &arg); e != Errno::SUCCESS) return e;
  return resolve_to_change(arg, follow, out);
}

// Above the mappings: nothing there can be changed.
bool in_virtual(const ResolvedPath& r) { return r.is_virtual || r.missing_in_virtual; }

bool is_directory_at(const ResolvedPath& r) {
  struct stat st;
  return r.is_virtual || (fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode));
}

bool exists_at(const ResolvedPath& r) {
  struct stat st;
  return r.is_virtual || fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

Errno open_common(Ctx& ctx, u32 dirfd, u32 lookupflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                  u64 rights_inheriting, u32 fdflags, bool cloexec, u32 fd_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(fd_out, 4);
  PathArg arg;
  if (Errno e = decode(ctx, dirfd, path, path_len, &arg); e != Errno::SUCCESS) return e;
  bool read = rights_base & RIGHT_FD_READ, write = rights_base & RIGHT_FD_WRITE;
  if (!write && arg.hidden_write && (rights_base & RIGHTS_WRITE_COMPANIONS)) {
    write = true;  // O_WRONLY/O_RDWR below a read-only directory (wasi-libc capped FD_WRITE by its rights)
    rights_base |= RIGHT_FD_WRITE;
  }
  int flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & OFLAGS_CREAT) flags |= O_CREAT;
  if (oflags & OFLAGS_DIRECTORY) flags |= O_DIRECTORY;
  if (oflags & OFLAGS_EXCL) flags |= O_EXCL;
  if (oflags & OFLAGS_TRUNC) flags |= O_TRUNC;
  if (fdflags & FDFLAGS_APPEND) flags |= O_APPEND;
  if (fdflags & FDFLAGS_DSYNC) flags |= O_DSYNC;
  if (fdflags & FDFLAGS_NONBLOCK) flags |= O_NONBLOCK;
  if (fdflags & FDFLAGS_RSYNC) flags |= O_RSYNC;
  if (fdflags & FDFLAGS_SYNC) flags |= O_SYNC;
  // wasi-libc passes no mode: a new file gets 0666 & ~umask, as open(2)
  // with the mode a native fopen/creat uses.
  OpenedPath opened;
  FdEntry entry;
  int e = kernel::open_path(arg.base, arg.path, flags, 0666, lookupflags & LOOKUP_SYMLINK_FOLLOW, &opened);
  ResolvedPath r;
  if (e == kernel::kErrNotCapable &&  // a virtual directory to read (a write is EROFS)
      kernel::resolve_path(arg.base, arg.path, lookupflags & LOOKUP_SYMLINK_FOLLOW, &r) == 0 && r.is_virtual) {
    // opendir("/") above the mappings: a descriptor of the virtual
    // directory (FdEntry::virtual_dir), which fd_readdir lists.
    entry.virtual_dir = true;
    opened.guest_path = r.guest_path;
  } else if (e) {
    return host(e);
  }
  entry.host_fd = opened.fd.release();
  entry.cloexec = cloexec;
  entry.rights_base = rights_base & kernel::kAllRights;
  // wasi-libc passes the directory's inheriting rights on: give back the
  // FD_WRITE fd_fdstat_get hid (a read-only child hides it again).
  entry.rights_inheriting = (rights_inheriting | arg.hidden_write) & kernel::kAllRights;
  entry.mapping = opened.mapping;
  entry.guest_path = opened.guest_path;
  int64_t fd = process_state().fds.insert(entry);
  if (fd < 0) return host(static_cast<int>(-fd));
  mem.store<u32>(fd_out, static_cast<u32>(fd));
  return Errno::SUCCESS;
}

}  // namespace

Errno path_open(Ctx& ctx, u32 dirfd, u32 lookupflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                u64 rights_inheriting, u32 fdflags, u32 fd_out) {
  return open_common(ctx, dirfd, lookupflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags,
                     false, fd_out);
}

Errno path_open2(Ctx& ctx, u32 dirfd, u32 lookupflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                 u64 rights_inheriting, u32 fdflags, u32 fdflagsext, u32 fd_out) {
  return open_common(ctx, dirfd, lookupflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags,
                     fdflagsext & 1, fd_out);
}

Errno path_filestat_get(Ctx& ctx, u32 fd, u32 lookupflags, u32 path, u32 path_len, u32 filestat_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(filestat_out, 64);
  struct stat st;
  uint8_t filetype;
  if (Errno e = path_stat(ctx, fd, lookupflags, path, path_len, &st, &filetype); e != Errno::SUCCESS) return e;
  store_filestat(mem, filestat_out, st, filetype);
  return Errno::SUCCESS;
}

namespace {

// lstat(2) of a resolved path (a virtual directory has a made-up stat).
int stat_resolved(const PathArg& arg, bool follow, ResolvedPath* r, struct stat* st) {
  if (int e = kernel::resolve_path(arg.base, arg.path, follow, r, kernel::GuestPath::kNotNeeded)) return e;
  if (r->is_virtual) {
    *st = virtual_directory_stat();
    return 0;
  }
  return fstatat(r->parent.get(), r->name.c_str(), st, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno;
}

}  // namespace

Errno path_stat(Ctx& ctx, u32 fd, u32 lookupflags, u32 path, u32 path_len, struct stat* out, uint8_t* filetype) {
  PathArg arg;
  if (Errno e = decode(ctx, fd, path, path_len, &arg); e != Errno::SUCCESS) return e;
  // stat(2) follows a final symlink; anything else it names is what
  // lstat sees. So lstat first (no probe for a link on the way), and only
  // a link found there is resolved again, following it: one host call for
  // the usual stat of a file (SQLite stats its journal on every lock).
  ResolvedPath r;
  if (int e = stat_resolved(arg, false, &r, out)) return host(e);
  if ((lookupflags & LOOKUP_SYMLINK_FOLLOW) && S_ISLNK(out->st_mode)) {
    ResolvedPath followed;
    if (int e = stat_resolved(arg, true, &followed, out)) return host(e);
    r.must_be_dir = followed.must_be_dir;
  }
  if (r.must_be_dir && !S_ISDIR(out->st_mode)) return Errno::NOTDIR;
  *filetype = filetype_of_mode(out->st_mode);
  return Errno::SUCCESS;
}

Errno path_filestat_set_times(Ctx& ctx, u32 fd, u32 lookupflags, u32 path, u32 path_len, u64 atim, u64 mtim,
                              u32 fst_flags) {
  if (((fst_flags & FST_ATIM) && (fst_flags & FST_ATIM_NOW)) ||
      ((fst_flags & FST_MTIM) && (fst_flags & FST_MTIM_NOW)))
    return Errno::INVAL;  // the spec: a time and "now" at once is an error
  ResolvedPath r;
  if (Errno e = resolve(ctx, fd, path, path_len, lookupflags & LOOKUP_SYMLINK_FOLLOW, &r); e != Errno::SUCCESS)
    return e;
  if (r.is_virtual || kernel::mapping_is_read_only(r.mapping)) return Errno::ROFS;
  auto time_of = [](u32 flags, u32 set, u32 now, u64 ns) {
    if (flags & now) return timespec{0, UTIME_NOW};
    if (flags & set) return timespec{static_cast<time_t>(ns / 1000000000ull), static_cast<long>(ns % 1000000000ull)};
    return timespec{0, UTIME_OMIT};
  };
  timespec times[2] = {time_of(fst_flags, FST_ATIM, FST_ATIM_NOW, atim), time_of(fst_flags, FST_MTIM, FST_MTIM_NOW, mtim)};
  if (utimensat(r.parent.get(), r.name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_create_directory(Ctx& ctx, u32 fd, u32 path, u32 path_len) {
  ResolvedPath r;
  if (Errno e = resolve_to_change(ctx, fd, path, path_len, false, &r); e != Errno::SUCCESS) return e;
  if (r.is_virtual || r.mount_point) return Errno::EXIST;
  // mkdir(2) on a read-only mount: EEXIST for an existing name, else EROFS.
  if (r.missing_in_virtual) return Errno::ROFS;
  if (kernel::mapping_is_read_only(r.mapping)) return exists_at(r) ? Errno::EXIST : Errno::ROFS;
  // 0777 & ~umask, as mkdir(2) from a native program.
  if (mkdirat(r.parent.get(), r.name.c_str(), 0777) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_remove_directory(Ctx& ctx, u32 fd, u32 path, u32 path_len) {
  PathArg arg;
  if (Errno e = decode(ctx, fd, path, path_len, &arg); e != Errno::SUCCESS) return e;
  // rmdir(2) looks at the last component as written (Linux do_rmdir):
  // "." is EINVAL, ".." ENOTEMPTY, "/" EBUSY.
  std::string_view last = arg.path;
  while (last.size() > 1 && last.back() == '/') last.remove_suffix(1);
  if (size_t slash = last.rfind('/'); slash != std::string_view::npos) last.remove_prefix(slash + 1);
  if (last == ".") return Errno::INVAL;
  if (last == "..") return Errno::NOTEMPTY;
  ResolvedPath r;
  if (Errno e = resolve_to_change(arg, false, &r); e != Errno::SUCCESS) return e;
  if (r.mount_point) return Errno::BUSY;  // rmdir(2) of a mount point
  if (in_virtual(r) || kernel::mapping_is_read_only(r.mapping)) return Errno::ROFS;
  if (unlinkat(r.parent.get(), r.name.c_str(), AT_REMOVEDIR) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_unlink_file(Ctx& ctx, u32 fd, u32 path, u32 path_len) {
  ResolvedPath r;
  if (Errno e = resolve_to_change(ctx, fd, path, path_len, false, &r); e != Errno::SUCCESS) return e;
  if (r.mount_point) return Errno::ISDIR;
  if (in_virtual(r) || kernel::mapping_is_read_only(r.mapping)) return Errno::ROFS;
  // unlink("name/"): EISDIR for a directory, ENOTDIR for anything else.
  if (r.must_be_dir) return is_directory_at(r) ? Errno::ISDIR : (exists_at(r) ? Errno::NOTDIR : Errno::NOENT);
  if (unlinkat(r.parent.get(), r.name.c_str(), 0) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_rename(Ctx& ctx, u32 fd, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path, u32 new_path_len) {
  ResolvedPath from, to;
  if (Errno e = resolve_to_change(ctx, fd, old_path, old_path_len, false, &from); e != Errno::SUCCESS) return e;
  if (Errno e = resolve_to_change(ctx, new_fd, new_path, new_path_len, false, &to); e != Errno::SUCCESS) return e;
  if (from.mount_point || to.mount_point) return Errno::BUSY;
  // rename(2) across mount points is EXDEV; a mapping is one, and so is
  // the read-only namespace above them (-1) (this also keeps a file of a
  // read-only mapping from being moved out of it).
  if (from.mapping != to.mapping) return Errno::XDEV;
  if (in_virtual(from) || in_virtual(to) || kernel::mapping_is_read_only(from.mapping)) return Errno::ROFS;
  if ((from.must_be_dir || to.must_be_dir) && exists_at(from) && !is_directory_at(from)) return Errno::NOTDIR;
  if (renameat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str()) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_link(Ctx& ctx, u32 old_fd, u32 old_flags, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path,
                u32 new_path_len) {
  ResolvedPath from, to;
  if (Errno e = resolve(ctx, old_fd, old_path, old_path_len, old_flags & LOOKUP_SYMLINK_FOLLOW, &from);
      e != Errno::SUCCESS)
    return e;
  if (Errno e = resolve_to_change(ctx, new_fd, new_path, new_path_len, false, &to); e != Errno::SUCCESS) return e;
  if (from.is_virtual || from.mount_point) return Errno::PERM;  // link(2) of a directory
  if (to.is_virtual || to.mount_point) return Errno::EXIST;
  // link(2) makes the new name first: on a read-only mount EROFS, before
  // EXDEV.
  if (to.missing_in_virtual || kernel::mapping_is_read_only(to.mapping)) return Errno::ROFS;
  // link(2) across mount points is EXDEV: a hard link never carries a
  // file into another mapping (out of a read-only one, say).
  if (from.mapping != to.mapping) return Errno::XDEV;
  // Flags 0: the host never follows; a followed link was expanded above.
  if (linkat(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str(), 0) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_symlink(Ctx& ctx, u32 old_path, u32 old_path_len, u32 fd, u32 new_path, u32 new_path_len) {
  // The link's content is stored as given; it only ever resolves in the
  // guest's namespace (an absolute target names a guest path).
  std::string target = guest_memory(ctx).string(old_path, old_path_len);
  if (target.empty()) return Errno::NOENT;  // symlink(2) with an empty target
  if (target.size() >= PATH_MAX) return Errno::NAMETOOLONG;
  if (target.find('\0') != std::string::npos) return Errno::INVAL;
  ResolvedPath r;
  if (Errno e = resolve_to_change(ctx, fd, new_path, new_path_len, false, &r); e != Errno::SUCCESS) return e;
  if (r.is_virtual || r.mount_point) return Errno::EXIST;
  if (r.missing_in_virtual || kernel::mapping_is_read_only(r.mapping)) return Errno::ROFS;
  if (symlinkat(target.c_str(), r.parent.get(), r.name.c_str()) != 0) return host(errno);
  return Errno::SUCCESS;
}

Errno path_readlink(Ctx& ctx, u32 fd, u32 path, u32 path_len, u32 buf, u32 buf_len, u32 bufused_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(buf, buf_len);
  mem.check(bufused_out, 4);
  ResolvedPath r;
  if (Errno e = resolve(ctx, fd, path, path_len, false, &r); e != Errno::SUCCESS) return e;
  if (r.is_virtual) return Errno::INVAL;
  char target[PATH_MAX];
  ssize_t n = readlinkat(r.parent.get(), r.name.c_str(), target, sizeof target);
  if (n < 0) return host(errno);
  // readlink(2): the content cut to the buffer, no NUL added.
  u32 used = static_cast<u32>(std::min<size_t>(static_cast<size_t>(n), buf_len));
  mem.copy_out(buf, target, used);
  mem.store<u32>(bufused_out, used);
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasi
