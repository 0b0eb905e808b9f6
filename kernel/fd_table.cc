#include "fd_table.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

namespace wasixc::kernel {

uint32_t FdTable::limit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20))
    return 1u << 20;  // Linux's own ceiling (fs.nr_open default)
  return static_cast<uint32_t>(rl.rlim_cur);
}

std::optional<FdEntry> FdTable::get(uint32_t fd) const {
  std::lock_guard<std::mutex> guard(lock_);
  if (fd >= entries_.size() || !entries_[fd]) return std::nullopt;
  return *entries_[fd];
}

int64_t FdTable::insert(FdEntry entry, uint32_t min_fd) {
  const uint32_t max = limit();
  std::lock_guard<std::mutex> guard(lock_);
  uint32_t fd = min_fd;
  while (fd < entries_.size() && entries_[fd]) ++fd;
  if (fd >= max) {
    if (entry.host_fd >= 0) ::close(entry.host_fd);
    return min_fd >= max ? -EINVAL : -EMFILE;  // F_DUPFD: EINVAL for a min past the limit
  }
  if (fd >= entries_.size()) entries_.resize(fd + 1);
  entries_[fd] = std::move(entry);
  return fd;
}

int FdTable::install(uint32_t fd, FdEntry entry) {
  if (fd >= limit()) {
    if (entry.host_fd >= 0) ::close(entry.host_fd);
    return EBADF;  // dup2(2): newfd out of range
  }
  int old = -1;
  {
    std::lock_guard<std::mutex> guard(lock_);
    if (fd >= entries_.size()) entries_.resize(fd + 1);
    if (entries_[fd]) old = entries_[fd]->host_fd;
    entries_[fd] = std::move(entry);
  }
  // dup2(2): "the close is performed silently", after the swap, so the
  // number is never observed free.
  if (old >= 0) ::close(old);
  return 0;
}

int64_t FdTable::duplicate(uint32_t fd, uint32_t min_fd, bool cloexec) {
  std::optional<FdEntry> entry = get(fd);
  if (!entry) return -EBADF;
  if (min_fd >= limit()) return -EINVAL;  // fcntl(2): F_DUPFD's arg past RLIMIT_NOFILE
  // The runtime's own copy is close-on-exec on the host whatever the guest
  // asked (fd_table.h); the guest's flag is the entry's.
  if (!entry->virtual_dir) {  // a virtual directory has no host object to copy
    int host_fd = fcntl(entry->host_fd, F_DUPFD_CLOEXEC, 3);
    if (host_fd < 0) return -errno;
    entry->host_fd = host_fd;
  }
  entry->cloexec = cloexec;
  entry->preopen_name.reset();  // a copy of a preopened directory is a plain directory fd
  return insert(std::move(*entry), min_fd);
}

int FdTable::duplicate_onto(uint32_t from, uint32_t to) {
  std::optional<FdEntry> entry = get(from);
  if (!entry) return EBADF;
  // dup2(2): "If oldfd is a valid file descriptor, and newfd has the same
  // value as oldfd, then dup2() does nothing" (not even clearing CLOEXEC).
  if (from == to) return 0;
  if (to >= limit()) return EBADF;
  if (!entry->virtual_dir) {
    int host_fd = fcntl(entry->host_fd, F_DUPFD_CLOEXEC, 3);
    if (host_fd < 0) return errno;
    entry->host_fd = host_fd;
  }
  entry->cloexec = false;
  entry->preopen_name.reset();
  return install(to, std::move(*entry));
}

int FdTable::close(uint32_t fd) {
  std::optional<FdEntry> entry = take(fd);
  if (!entry) return EBADF;
  // close(2): the descriptor is freed even if close reports an error
  // (Linux never retries on EINTR).
  if (entry->virtual_dir) return 0;
  if (::close(entry->host_fd) != 0 && errno != EINTR) return errno;
  return 0;
}

std::optional<FdEntry> FdTable::take(uint32_t fd) {
  std::lock_guard<std::mutex> guard(lock_);
  if (fd >= entries_.size() || !entries_[fd]) return std::nullopt;
  std::optional<FdEntry> entry = std::move(entries_[fd]);
  entries_[fd].reset();
  return entry;
}

std::vector<std::pair<uint32_t, FdEntry>> FdTable::snapshot() const {
  std::lock_guard<std::mutex> guard(lock_);
  std::vector<std::pair<uint32_t, FdEntry>> out;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i]) out.emplace_back(static_cast<uint32_t>(i), *entries_[i]);
  return out;
}

}  // namespace wasixc::kernel
