// The guest's fd table across exec and spawn (Linux execve(2): "file
// descriptors open in the calling process image remain open in the new
// process image, except for those whose close-on-exec flag is set"; the
// numbers and the open file descriptions, offsets included, are kept).
//
// The sending side picks the inheritable entries (no guest-level
// close-on-exec), and just before execve (in the exec'ing process, or in
// a spawned child after fork) places each entry's host descriptor at host
// number == guest number with FD_CLOEXEC clear (FdPlacement), so that a
// host program started with --allow-host-exec sees the guest's fds too.
// The metadata (numbers, rights, the mapping each descriptor was opened
// through, guest paths, preopen names, and the mapping table itself)
// travels as an encoded record; the new image adopts exactly these entries
// instead of its own stdio and baked --dir preopens (process_state.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dir_mappings.h"
#include "fd_table.h"

namespace wasixc::kernel {

struct FdHandoff {
  // (guest fd, entry); entry.host_fd is the sender's descriptor to place
  // at host number == guest fd.
  std::vector<std::pair<uint32_t, FdEntry>> fds;
  std::vector<DirMapping> mappings;  // root_fd not carried: the receiver opens its own
};

// The entries of `table` a new image inherits: those without close-on-exec.
FdHandoff fd_handoff_of(const std::vector<std::pair<uint32_t, FdEntry>>& table,
                        const std::vector<DirMapping>& mappings);

// The record: magic "WXFDS1", the mappings, then the entries (without host
// numbers: an entry's host number in the new image is its guest number).
std::string encode_fd_handoff(const FdHandoff& handoff);
// nullopt unless `bytes` is a well-formed record (bounded counts, mapping
// indexes in range, fd numbers unique).
std::optional<FdHandoff> decode_fd_handoff(const std::string& bytes);

// Moves descriptors so host number == guest number for every handed-over
// entry. Built (allocating) before fork; place() and undo() make only
// async-signal-safe calls (fcntl, dup2, close), as a child forked from a
// threaded process must.
class FdPlacement {
 public:
  explicit FdPlacement(const FdHandoff& handoff);

  // Descriptors that must survive the placement (the record, a spawn's
  // error pipe) belong at or above this number.
  int first_untouched() const { return above_; }

  // 0 or an errno (EMFILE...). Host stdio (0-2) not handed over is made
  // close-on-exec, as the guest closed it.
  int place();
  // execve failed: every descriptor of the process is back where it was.
  void undo();

 private:
  std::vector<int> sources_, targets_, temps_, saved_, saved_flags_;
  std::vector<bool> placed_;
  std::vector<int> stdio_flags_;  // F_GETFD of host 0-2 before place(), -1: closed
  int above_ = 3;
};

// Transport (until the image handoff record carries it): a sealed memfd
// whose number is in WASIXC_FD_TABLE in the new image's environment.
constexpr const char* kFdTableEnv = "WASIXC_FD_TABLE";
// The record in a sealed, close-on-exec memfd at a number >= min_fd; the fd
// or -errno.
int fd_handoff_memfd(const std::string& record, int min_fd);

// A new close-on-exec memfd (memfd_create `flags` added) holding `bytes`
// (written with pwrite: receivers pread from 0); the fd or -errno. Both
// handoff records travel in one.
int memfd_holding(const char* name, unsigned flags, const std::string& bytes);
// Reads (and closes) the record named by WASIXC_FD_TABLE in envp, if it is
// one: a sealed memfd holding a well-formed record.
std::optional<FdHandoff> receive_fd_handoff(char** envp);

}  // namespace wasixc::kernel
