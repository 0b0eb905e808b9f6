// The guest's file-descriptor table: guest fd number -> host descriptor
// plus what WASI/WASIX keep per descriptor (close-on-exec, rights, the
// directory mapping a descriptor was opened through).
//
// Guest numbers are the guest's own: the runtime's host descriptors
// (mapping roots, libuv, pipes of its own) never take a number the guest
// would get, and every host descriptor behind a guest fd is O_CLOEXEC on
// the host: what survives exec/spawn is decided here (`cloexec`) and
// handed to the new image explicitly.
//
// Numbers follow Linux: open/dup/pipe take the lowest free number
// (POSIX.1-2017 open(): "the lowest numbered unused file descriptor"),
// F_DUPFD the lowest >= min. One table per process, shared by its guest
// threads (every member locks); fork(2) copies it with the memory, and
// the copied host descriptors share their open file descriptions (offsets,
// status flags) with the parent's, exactly as native fork does.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wasixc::kernel {

// WASI rights (wasix-abi.md; preview1 `rights`): all 29 defined bits.
constexpr uint64_t kAllRights = (uint64_t{1} << 29) - 1;

struct EpollRegistrations;  // kernel/epoll.h

struct FdEntry {
  int host_fd = -1;
  // FD_CLOEXEC as the guest sees it (fdflagsext CLOEXEC, path_open2):
  // such a descriptor is not handed to an exec'd image.
  bool cloexec = false;
  // WASI rights; fd_fdstat_set_rights may only drop bits.
  uint64_t rights_base = kAllRights;
  uint64_t rights_inheriting = kAllRights;
  // The rights the guest gave up with fd_fdstat_set_rights: calls needing
  // them are refused with ENOTCAPABLE. (Rights merely not asked for at
  // open are not enforced: wasi-libc derives them from the access mode,
  // whose violations the host reports as natively, e.g. EBADF; and it
  // leaves out rights Linux grants, such as fdatasync on a read-only fd.)
  uint64_t rights_refused = 0;
  // The directory mapping (kernel/dir_mappings.h) this descriptor was
  // opened through, -1 for stdio, pipes, sockets and the like.
  int mapping = -1;
  // Directories: the guest path this descriptor names, normalised
  // ("/data/sub"). Paths relative to it resolve from there, `..` included.
  std::string guest_path;
  // Preopened directories: the name fd_prestat_dir_name reports.
  std::optional<std::string> preopen_name;
  // A directory above the mappings (the guest's "/" when no mapping is
  // there): no host object, host_fd is -1, so every host call on it fails
  // with EBADF; paths relative to it resolve in the guest's namespace
  // (kernel/path_resolver.h), its stat and listing are made up.
  bool virtual_dir = false;
  // Unix-domain sockets: the guest paths bound and connected to
  // (kernel/sockets.h: the host knows them only as /proc/self/fd/N/...).
  std::string socket_local_path;
  std::string socket_peer_path;
  // epoll instances: the guest's event data per registered guest fd,
  // shared by every dup of the instance (kernel/epoll.h).
  std::shared_ptr<EpollRegistrations> epoll;
};

class FdTable {
 public:
  FdTable() = default;
  FdTable(const FdTable&) = delete;
  FdTable& operator=(const FdTable&) = delete;

  // A copy of the entry for `fd`, or nullopt if `fd` is not open (EBADF).
  // (A copy: another guest thread may close `fd` meanwhile, as natively.)
  std::optional<FdEntry> get(uint32_t fd) const;

  // Places `entry` at the lowest free number >= min_fd and returns it, or
  // -EMFILE past the limit (RLIMIT_NOFILE, as Linux). The table owns
  // entry.host_fd from now on (also on failure: it is closed).
  int64_t insert(FdEntry entry, uint32_t min_fd = 0);

  // Places `entry` at exactly `fd`, closing what was there (dup2/renumber
  // semantics: the old descriptor's host fd is closed after the swap).
  // -EBADF if fd is past the limit.
  int install(uint32_t fd, FdEntry entry);

  // dup(2) and fcntl(F_DUPFD / F_DUPFD_CLOEXEC): a new descriptor sharing
  // `fd`'s open file description (offset, status flags) at the lowest free
  // number >= min_fd, with close-on-exec = `cloexec` (POSIX: "the
  // FD_CLOEXEC flag associated with the new file descriptor shall be
  // cleared" for dup and F_DUPFD). Returns it, or -EBADF, -EMFILE, -EINVAL.
  int64_t duplicate(uint32_t fd, uint32_t min_fd, bool cloexec);

  // dup2(2) (WASIX fd_renumber, wasix-abi.md §5.1): `to` becomes a copy of
  // `from` sharing its open file description, with close-on-exec cleared;
  // what `to` named is closed silently; `from` stays open. from == to:
  // nothing changes if `from` is open (EBADF otherwise). Returns 0 or an
  // errno.
  int duplicate_onto(uint32_t from, uint32_t to);

  // Reads an open entry in place, under the lock (no copy: for the calls
  // that need a field or two); false if `fd` is not open.
  template <typename F>
  bool read(uint32_t fd, F f) const {
    std::lock_guard<std::mutex> guard(lock_);
    if (fd >= entries_.size() || !entries_[fd]) return false;
    f(*entries_[fd]);
    return true;
  }
  // Changes an open entry in place; false if `fd` is not open.
  template <typename F>
  bool update(uint32_t fd, F f) {
    std::lock_guard<std::mutex> guard(lock_);
    if (fd >= entries_.size() || !entries_[fd]) return false;
    f(*entries_[fd]);
    return true;
  }

  // Frees the slot and closes the host fd. Returns 0 or an errno (EBADF;
  // the descriptor is freed even when close(2) reports an error, as on
  // Linux).
  int close(uint32_t fd);

  // Removes the entry without closing its host fd (the caller takes it).
  std::optional<FdEntry> take(uint32_t fd);

  // Every open entry (fd number, entry), in fd order, on a snapshot.
  template <typename F>
  void for_each(F f) const {
    for (auto& [fd, entry] : snapshot()) f(fd, entry);
  }
  std::vector<std::pair<uint32_t, FdEntry>> snapshot() const;

  // The highest number a descriptor may have + 1 (RLIMIT_NOFILE's soft
  // limit, read at each call as Linux does).
  static uint32_t limit();

  // Held across fork(2) (pthread_atfork, process_state.cc) so a child
  // never inherits the table locked by another thread.
  void lock_for_fork() { lock_.lock(); }
  void unlock_after_fork() { lock_.unlock(); }

 private:
  mutable std::mutex lock_;
  std::vector<std::optional<FdEntry>> entries_;
};

}  // namespace wasixc::kernel
