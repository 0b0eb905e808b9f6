// The guest's file-descriptor table: guest fd number -> host fd plus what
// WASI needs to know about it (preopened directory name, rights).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasi_errno.h"

namespace wasixc {

struct FdEntry {
  int host_fd = -1;
  // Set for directories preopened with `wasixc --dir HOST::GUEST`: the
  // guest-visible path that fd_prestat_dir_name reports.
  std::optional<std::string> preopen_name;
  std::string host_path;  // preopened directories: where they are on the host
};

class FdTable {
 public:
  // Places `entry` at exactly `fd` (used at start-up for stdio/preopens).
  void install(uint32_t fd, FdEntry entry);
  // The entry for `fd`, or nullptr if `fd` is not open (EBADF).
  FdEntry* get(uint32_t fd);
  // Closes the host fd and frees the slot.
  Errno close(uint32_t fd);

  // Every open entry (fd number, entry), in fd order.
  template <typename F>
  void for_each(F f) const {
    for (size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i]) f(static_cast<uint32_t>(i), *entries_[i]);
  }

 private:
  std::vector<std::optional<FdEntry>> entries_;
};

}  // namespace wasixc
