// The process personality: how a guest process begins and ends on the host.
// (Issue 4 grows this into the pid/child table, signals and timers.)
#pragma once

#include <cstdint>

namespace wasixc::kernel {

// Ends the whole process with the guest's exit code, as exit_group(2) does:
// the host sees `code & 0xff` (POSIX _exit). Nothing is buffered host-side,
// so nothing needs flushing: guest output reached write(2) already.
[[noreturn]] void exit_process(uint32_t code);

}  // namespace wasixc::kernel
