// Instantiating an LLVM-backend module inside an executable from its
// wasixc_module_info (abi.h): allocate the instance, fill import slots
// (the only non-function import an executable may have is its memory),
// run the two generated init functions, then the entry point. A guest
// thread gets an instance of its own over the main instance's memory.
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "runtime/runtime.h"

// The ABI stamp every generated object references (abi.h).
extern "C" const uint32_t WASIXC_ABI_STAMP = WASIXC_ABI_VERSION;

namespace wasixc {

namespace {

// Tables the running init function allocates (note_new_table), so a
// thread's instance can free them when the thread ends.
thread_local std::vector<wasixc_table*>* t_new_tables = nullptr;

// Allocates an instance and fills its import slots; `memory` is the
// memory to import, nullptr to create the module's own `env.memory`.
void* new_instance(const wasixc_module_info& info, wasixc_memory* memory) {
  void* inst = aligned_alloc(64, (info.instance_size + 63) / 64 * 64);
  if (!inst) return nullptr;
  memset(inst, 0, info.instance_size);
  auto* bytes = static_cast<uint8_t*>(inst);
  for (uint32_t i = 0; i < info.import_count; ++i) {
    const wasixc_import_desc& imp = info.imports[i];
    if (imp.kind == WASIXC_EXTERN_MEMORY) {
      wasixc_memory* mem = memory;
      if (!mem) {
        // `env.memory` of wasix-libc programs: the runtime provides it.
        mem = static_cast<wasixc_memory*>(calloc(1, sizeof(wasixc_memory)));
        uint64_t max = imp.max > WASIXC_MAX_PAGES ? WASIXC_MAX_PAGES : imp.max;
        uint64_t at = imp.slot == WASIXC_CTX_OFFSET_MEMORY ? info.memory0_address : 0;
        wasixc_memory_allocate_at(mem, static_cast<uint32_t>(imp.min), static_cast<uint32_t>(max), imp.shared, at);
      }
      memcpy(bytes + imp.slot, &mem, sizeof mem);
    } else if (!(imp.kind == WASIXC_EXTERN_FUNC && imp.resolved)) {
      fatal("import %s.%s cannot be provided", imp.module, imp.name);
    }
  }
  return inst;
}

}  // namespace

wasixc_ctx* instantiate_for_executable(const wasixc_module_info& info) {
  void* inst = new_instance(info, nullptr);
  if (!inst) fatal("out of memory for an instance of %u bytes", info.instance_size);
  info.init(inst);
  info.run_segments_and_start(inst);
  return static_cast<wasixc_ctx*>(inst);
}

bool imports_shared_memory(const wasixc_module_info& info) {
  for (uint32_t i = 0; i < info.import_count; ++i) {
    const wasixc_import_desc& imp = info.imports[i];
    if (imp.kind == WASIXC_EXTERN_MEMORY && imp.slot == WASIXC_CTX_OFFSET_MEMORY && imp.shared) return true;
  }
  return false;
}

ThreadInstance instantiate_for_thread(const wasixc_module_info& info, wasixc_memory* memory) {
  ThreadInstance t;
  void* inst = new_instance(info, memory);
  if (!inst) return t;
  t.ctx = static_cast<wasixc_ctx*>(inst);
  t_new_tables = &t.tables;
  info.init(inst);
  t_new_tables = nullptr;
  // The module's start function runs again; wasm-ld's guards its data
  // segments with an atomic flag, so the shared memory is left alone.
  info.run_segments_and_start(inst);
  return t;
}

void free_thread_instance(ThreadInstance& t) {
  for (wasixc_table* table : t.tables) free(table->data);
  free(t.ctx);
  t = ThreadInstance{};
}

void note_new_table(wasixc_table* table) {
  if (t_new_tables) t_new_tables->push_back(table);
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
