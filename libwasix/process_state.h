// What one guest process owns inside libwasix: its argv, environment and
// file-descriptor table. One per host process; threads share it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/dir_mappings.h"
#include "kernel/fd_table.h"
#include "kernel/image_handoff.h"
#include "guest_memory.h"
#include "wasixc/abi.h"

namespace wasixc {

using kernel::FdEntry;
using kernel::FdTable;

struct ProcessState {
  std::vector<std::string> args;
  std::vector<std::string> env;  // "K=V"
  FdTable fds;
};

// The process this executable runs (set up by runtime/entry.cc).
ProcessState& process_state();

inline GuestMemory guest_memory(const wasixc_ctx& ctx) {
  return GuestMemory(ctx.memory);
}

// Builds argv/environ/fds from the host argv and environ plus the
// configuration baked in by the compiler. `handoff` is set when a runtime
// started this image (exec/spawn): the guest's environment is then the
// one in the handoff record, not the host's. Returns false (after printing
// a diagnostic) if a preopened directory cannot be opened.
bool init_process_state(int argc, char** argv, char** envp, const wasixc_config& config,
                        const kernel::ImageHandoff* handoff);

}  // namespace wasixc
