// proc_exit and sched_yield. The meaning of process exit lives in kernel/.
#include <sched.h>

#include <cstdio>

#include "kernel/process.h"
#include "kernel/vfork_env.h"
#include "wasi.h"

namespace wasixc::wasi {

Errno sched_yield(Ctx&) {
  ::sched_yield();
  return Errno::SUCCESS;
}

// Inside proc_fork_env's child only proc_exit2 (and exec) may end it; a
// preview1 proc_exit there is an error (wasix-abi.md §3.3): the child and
// the process end with 129, as Wasmer does, and a line says why.
void proc_exit(Ctx&, u32 code) {
  if (kernel::fork_env_child()) {
    fprintf(stderr, "wasixc: proc_exit inside a proc_fork_env (vfork) child; only proc_exit2 or exec may end "
                    "it: exiting with 129\n");
    kernel::fork_env_exit(129);
    code = 129;
  }
  kernel::exit_process(code);
}

}  // namespace wasixc::wasi
