// How the kernel's signal path reaches the guest of this executable: the
// registered handler is an export called through its invoke thunk
// (wasixc_module_info exports, both backends).
#include <atomic>
#include <cstring>
#include <string>

#include "kernel/signals.h"
#include "runtime/runtime.h"

namespace wasixc {
namespace {

const wasixc_module* g_module = nullptr;
// The last handler registered with a name that resolved. Threads may
// register (wasix-libc blocks signals by registering a name that does not
// resolve) while another runs the handler: never reset to null.
std::atomic<const wasixc_export_desc*> g_handler{nullptr};
const wasixc_export_desc* g_disposition = nullptr;

const wasixc_export_desc* find_export(const std::string& name, const char* type) {
  const wasixc_module_info* info = g_module ? g_module->info : nullptr;
  if (!info) return nullptr;
  for (uint32_t i = 0; i < info->export_count; ++i) {
    const wasixc_export_desc& e = info->exports[i];
    if (e.kind == WASIXC_EXTERN_FUNC && name == std::string(e.name, e.name_length) && strcmp(e.type, type) == 0)
      return &e;
  }
  return nullptr;
}

// Invoke thunks take the instance: the ctx itself for the LLVM backend,
// the C writer's instance for the C backend.
void* instance_of(wasixc_ctx* ctx) { return g_module->instantiate ? ctx->instance : ctx; }

bool lookup(const std::string& name) {
  const wasixc_export_desc* handler = find_export(name, "i:");
  if (handler) g_handler.store(handler);
  return handler != nullptr;
}

void call(wasixc_ctx* ctx, int sig) {
  uint64_t args[1] = {static_cast<uint32_t>(sig)};
  if (const wasixc_export_desc* handler = g_handler.load()) handler->invoke(instance_of(ctx), args, nullptr);
}

int disposition(wasixc_ctx* ctx, int sig) {
  if (!g_disposition) return -1;
  uint64_t args[1] = {static_cast<uint32_t>(sig)}, result[1] = {0};
  g_disposition->invoke(instance_of(ctx), args, result);
  return static_cast<int>(static_cast<uint32_t>(result[0]));
}

// The executable's own generated code, when compiled interruptible
// (aot/llvm/interruptible.cc); C-backend code waits for host calls.
bool interruptible_at(uintptr_t pc) {
  const wasixc_module_info* info = g_module->info;
  return info && info->interruptible && pc >= reinterpret_cast<uintptr_t>(__start_wasixc_guest_text) &&
         pc < reinterpret_cast<uintptr_t>(__stop_wasixc_guest_text);
}

uint32_t* stack_pointer(wasixc_ctx* ctx) {
  const wasixc_module_info* info = g_module->info;
  if (!info || info->stack_pointer_offset == UINT32_MAX) return nullptr;
  return reinterpret_cast<uint32_t*>(static_cast<char*>(instance_of(ctx)) + info->stack_pointer_offset);
}

}  // namespace

void prepare_signals(const wasixc_module& module) {
  g_module = &module;
  g_disposition = find_export("__wasixc_signal_disposition", "i:i");
  kernel::set_guest_signal_hooks({lookup, call, disposition, interruptible_at, stack_pointer});
}

}  // namespace wasixc
