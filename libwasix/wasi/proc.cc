// proc_exit and sched_yield. The meaning of process exit lives in kernel/.
#include <sched.h>

#include "kernel/process.h"
#include "wasi.h"

namespace wasixc::wasi {

Errno sched_yield(Ctx&) {
  ::sched_yield();
  return Errno::SUCCESS;
}

void proc_exit(Ctx&, u32 code) { kernel::exit_process(code); }

}  // namespace wasixc::wasi
