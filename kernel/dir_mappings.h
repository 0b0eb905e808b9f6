// The sandbox's directory mappings: which host directories the guest sees,
// and where in its own namespace. From `wasixc --dir HOST[::GUEST]` (baked
// into the executable) or their run-time override. A guest names nothing
// on the host outside them (path resolution: kernel/path_resolver.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wasixc::kernel {

struct DirMapping {
  std::string guest_path;   // normalised absolute guest path: "/", "/data"
  std::string guest_name;   // as given (the preopen name the guest sees: ".", "data", "/data")
  std::string host_path;    // for messages
  int root_fd = -1;         // the runtime's own O_DIRECTORY descriptor (never a guest fd)
  bool read_only = false;   // writes refused with EROFS
  bool builtin_devices = false;  // the runtime's minimal /dev (kernel/devices.h)
};

// The process's mappings, in the order given (preopens at fd 3, 4, ...).
// Filled at start-up and never changed after (the resolver keeps views of
// their strings). Constant-initialised (no guard to test) and inline:
// every path call asks several times.
inline constinit std::vector<DirMapping> g_dir_mappings;
inline std::vector<DirMapping>& dir_mappings() { return g_dir_mappings; }

// One mapping as the user writes it: "HOST[::GUEST][:ro]" (GUEST defaults
// to HOST; ":ro" makes it read-only). The same syntax for `wasixc --dir`
// (baked into the executable: the guest field keeps its ":ro") and for
// the run-time variables below.
struct MappingSpec {
  std::string host;
  std::string guest;
  bool read_only = false;
};
bool parse_mapping_spec(std::string_view spec, MappingSpec* out);

// The run-time override, read from the executable's environment at start:
// WASIXC_DIRS="SPEC,SPEC,..." replaces the baked mappings (empty: none),
// WASIXC_DIRS_ADD="SPEC,..." appends to them. Returns false (with a
// message in *error) on a malformed list.
constexpr const char* kDirsVariable = "WASIXC_DIRS";
constexpr const char* kDirsAddVariable = "WASIXC_DIRS_ADD";
bool parse_mapping_list(std::string_view list, std::vector<MappingSpec>* out, std::string* error);

// The "WASIXC_DIRS...=" entries this process started with, handed on to
// exec'd and spawned images (the override stays in force for them; the
// guest never sees these variables).
std::vector<std::string>& mapping_env_entries();

// "/" + the guest name without ".", "..", empty components or a trailing
// slash: "." -> "/", "data/" -> "/data", "/a/./b" -> "/a/b".
std::string normalise_guest_path(const std::string& path);

}  // namespace wasixc::kernel
