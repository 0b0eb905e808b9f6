// Instantiating an LLVM-backend module inside an executable from its
// wasixc_module_info (abi.h): allocate the instance, fill import slots
// (the only non-function import an executable may have is its memory),
// run the two generated init functions, then the entry point.
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "runtime/runtime.h"

// The ABI stamp every generated object references (abi.h).
extern "C" const uint32_t WASIXC_ABI_STAMP = WASIXC_ABI_VERSION;

namespace wasixc {

wasixc_ctx* instantiate_for_executable(const wasixc_module_info& info) {
  void* inst = aligned_alloc(64, info.instance_size);
  if (!inst) fatal("out of memory for an instance of %u bytes", info.instance_size);
  memset(inst, 0, info.instance_size);
  auto* bytes = static_cast<uint8_t*>(inst);
  for (uint32_t i = 0; i < info.import_count; ++i) {
    const wasixc_import_desc& imp = info.imports[i];
    if (imp.kind == WASIXC_EXTERN_MEMORY) {
      // `env.memory` of wasix-libc programs: the runtime provides it.
      auto* mem = static_cast<wasixc_memory*>(calloc(1, sizeof(wasixc_memory)));
      uint64_t max = imp.max > WASIXC_MAX_PAGES ? WASIXC_MAX_PAGES : imp.max;
      wasixc_memory_allocate(mem, static_cast<uint32_t>(imp.min), static_cast<uint32_t>(max), imp.shared);
      memcpy(bytes + imp.slot, &mem, sizeof mem);
    } else if (!(imp.kind == WASIXC_EXTERN_FUNC && imp.resolved)) {
      fatal("import %s.%s cannot be provided", imp.module, imp.name);
    }
  }
  info.init(inst);
  info.run_segments_and_start(inst);
  return static_cast<wasixc_ctx*>(inst);
}

void run_entry_point(const wasixc_module_info& info, wasixc_ctx* ctx) {
  for (const char* name : {"_start", "_initialize"})
    for (uint32_t i = 0; i < info.export_count; ++i) {
      const wasixc_export_desc& e = info.exports[i];
      if (e.kind == WASIXC_EXTERN_FUNC && strcmp(e.name, name) == 0) {
        e.invoke(ctx, nullptr, nullptr);
        return;
      }
    }
}

}  // namespace wasixc
