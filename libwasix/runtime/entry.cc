// main() of every produced executable. argv and the environment pass
// through to the guest untouched; the guest runs on a thread of its own
// whose stack has a guard region below it (guest_stack.cc). When `_start`
// returns the process exits with status 0; proc_exit ends it from inside.
#include <cstdlib>
#include <cstring>

#include "kernel/process.h"
#include "kernel/sandbox.h"
#include "process_state.h"
#include "wasix/wasix.h"
#include "runtime/runtime.h"

// The marker by which exec and spawn recognise executables built by
// wasixc (kernel/exec.h).
__attribute__((used, section("wasixc_marker"))) static const char kExecutableMarker[] =
    "built by wasixc";

namespace wasixc {
namespace {

void* guest_main(void*) {
  const wasixc_module& module = wasixc_guest_module;
  if (!module.instantiate) {  // LLVM backend: the instance starts with the ctx
    wasixc_ctx* ctx = instantiate_for_executable(*module.info);
    prepare_signals(module, ctx);
    run_entry_point(*module.info, ctx);
    // Exit here, not in main(): after fork(2) only this thread exists.
    kernel::exit_process(0);
  }
  static wasixc_ctx ctx;  // C backend: the instance is the C writer's struct
  memset(&ctx, 0, sizeof ctx);
  prepare_signals(module, &ctx);
  module.instantiate(&ctx);
  if (module.run_entry) module.run_entry(&ctx);
  kernel::exit_process(0);
}

}  // namespace
}  // namespace wasixc

int main(int argc, char** argv, char** envp) {
  using namespace wasixc;
  const wasixc_module& module = wasixc_guest_module;
  if (!init_process_state(argc, argv, envp, *module.config)) return 1;
  install_trap_handlers();
  kernel::init_sandbox(getenv(kernel::kSandboxEnv));
  wasix::set_exec_config(module.config);

  run_on_guest_stack(guest_main, nullptr);
  kernel::exit_process(0);
}
