// main() of every produced executable. argv passes through to the guest
// untouched, and so does the environment of an executable a user launched
// (one a runtime started gets its guest's environment through the image
// handoff); the guest runs on a thread of its own
// whose stack has a guard region below it (guest_stack.cc). When `_start`
// returns the process exits with status 0; proc_exit ends it from inside;
// if the main guest thread calls thread_exit, the last guest thread to end
// exits with 0 (kernel/threads.h).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "kernel/image_handoff.h"
#include "kernel/process.h"
#include "kernel/sandbox.h"
#include "kernel/threads.h"
#include "process_state.h"
#include "wasix/wasix.h"
#include "runtime/runtime.h"

// The marker by which exec and spawn recognise executables built by
// wasixc (kernel/exec.h).
__attribute__((used, section("wasixc_marker"))) static const char kExecutableMarker[] =
    "built by wasixc";

namespace wasixc {
namespace {

void run_llvm_entry(void* ctx) { run_entry_point(*wasixc_guest_module.info, static_cast<wasixc_ctx*>(ctx)); }

void run_c_entry(void* ctx) {
  wasixc_guest_module.instantiate(static_cast<wasixc_ctx*>(ctx));
  if (wasixc_guest_module.run_entry) wasixc_guest_module.run_entry(static_cast<wasixc_ctx*>(ctx));
}

void* guest_main(void*) {
  const wasixc_module& module = wasixc_guest_module;
  wasixc_ctx* ctx;
  if (!module.instantiate) {  // LLVM backend: the instance starts with the ctx
    ctx = instantiate_for_executable(*module.info);
  } else {
    static wasixc_ctx c_ctx;  // C backend: the instance is the C writer's struct
    ctx = &c_ctx;
  }
  kernel::register_main_thread(ctx);
  prepare_signals(module);
  enable_guest_threads(module);
  // Exit here, not in main(): after fork(2) only this thread exists.
  // _start returning ends the process, whatever threads still run.
  if (run_guest_thread_body(module.instantiate ? run_c_entry : run_llvm_entry, ctx)) kernel::exit_process(0);
  // thread_exit on the main thread (pthread_exit from main): the others
  // go on, and the last one to end exits with 0.
  if (kernel::unregister_current_thread()) kernel::exit_process(0);
  return nullptr;
}

}  // namespace
}  // namespace wasixc

int main(int argc, char** argv, char** envp) {
  using namespace wasixc;
  const wasixc_module& module = wasixc_guest_module;
  kernel::enter_sandbox(envp);  // joins the starting runtime's sandbox, or roots a new one
  std::optional<kernel::ImageHandoff> handoff = kernel::receive_image_handoff(envp);
  kernel::remember_host_environment(envp);
  if (!init_process_state(argc, argv, envp, *module.config, handoff ? &*handoff : nullptr)) return 1;
  install_trap_handlers();
  wasix::set_exec_config(module.config);

  run_on_guest_stack(guest_main, nullptr);
  // Only when the main guest thread ended with thread_exit while others
  // run: the last of them ends the process.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  for (;;) pause();
}
