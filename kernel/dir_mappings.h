// The sandbox's directory mappings: which host directories the guest sees,
// and where in its own namespace. From `wasixc --dir HOST[::GUEST]` (baked
// into the executable) or their run-time override. A guest names nothing
// on the host outside them (path resolution: kernel/path_resolver.h).
#pragma once

#include <string>
#include <vector>

namespace wasixc::kernel {

struct DirMapping {
  std::string guest_path;   // normalised absolute guest path: "/", "/data"
  std::string guest_name;   // as given (the preopen name the guest sees: ".", "data", "/data")
  std::string host_path;    // for messages
  int root_fd = -1;         // the runtime's own O_DIRECTORY descriptor (never a guest fd)
  bool read_only = false;   // writes refused with EROFS
};

// The process's mappings, in the order given (preopens at fd 3, 4, ...).
std::vector<DirMapping>& dir_mappings();

// "/" + the guest name without ".", "..", empty components or a trailing
// slash: "." -> "/", "data/" -> "/data", "/a/./b" -> "/a/b".
std::string normalise_guest_path(const std::string& path);

}  // namespace wasixc::kernel
