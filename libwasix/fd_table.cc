#include "fd_table.h"

#include <unistd.h>

#include <cerrno>

namespace wasixc {

void FdTable::install(uint32_t fd, FdEntry entry) {
  if (fd >= entries_.size()) entries_.resize(fd + 1);
  entries_[fd] = std::move(entry);
}

FdEntry* FdTable::get(uint32_t fd) {
  if (fd >= entries_.size() || !entries_[fd]) return nullptr;
  return &*entries_[fd];
}

Errno FdTable::close(uint32_t fd) {
  FdEntry* entry = get(fd);
  if (!entry) return Errno::BADF;
  // POSIX close(): the descriptor is freed even if close reports an error
  // (Linux never retries on EINTR), so drop the slot first.
  int host_fd = entry->host_fd;
  entries_[fd].reset();
  if (::close(host_fd) != 0 && errno != EINTR) return errno_from_host(errno);
  return Errno::SUCCESS;
}

}  // namespace wasixc
