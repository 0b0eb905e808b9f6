#include "process.h"

#include <unistd.h>

namespace wasixc::kernel {

void exit_process(uint32_t code) { _exit(static_cast<int>(code & 0xff)); }

}  // namespace wasixc::kernel
