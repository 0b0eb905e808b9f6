// Runtime services LLVM-backend code calls: canonical signature ids,
// tables, and memory.atomic.wait/notify (on the kernel's futex queue, the
// one WASIX futex_wait/futex_wake use too).
#include <pthread.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kernel/futex.h"
#include "kernel/signals.h"
#include "runtime/runtime.h"
#include "wasixc/abi.h"

namespace {

bool range_ok(uint32_t at, uint32_t n, uint32_t size) { return uint64_t{at} + n <= size; }

template <typename T>
uint32_t atomic_wait(wasixc_memory* mem, uint64_t addr, T expected, int64_t timeout_ns) {
  using wasixc::kernel::WaitResult;
  if (!mem->is_shared) return 3;  // the caller traps: wait needs a shared memory
  const uint8_t* word = mem->data + addr;
  WaitResult r = sizeof(T) == 4 ? wasixc::kernel::futex_wait32(word, static_cast<uint32_t>(expected), timeout_ns)
                                : wasixc::kernel::futex_wait64(word, expected, timeout_ns);
  return r == WaitResult::kWoken ? 0 : r == WaitResult::kNotEqual ? 1 : 2;  // "ok", "not-equal", "timed-out"
}

}  // namespace

extern "C" {

uint32_t wasixc_type_id(const char* signature) {
  static std::mutex lock;
  static std::unordered_map<std::string, uint32_t>* ids = new std::unordered_map<std::string, uint32_t>;
  std::lock_guard<std::mutex> guard(lock);
  auto [it, inserted] = ids->emplace(signature, static_cast<uint32_t>(ids->size() + 1));
  return it->second;
}

void wasixc_table_allocate(wasixc_table* table, uint32_t size, uint32_t max) {
  table->data = static_cast<void**>(calloc(size ? size : 1, sizeof(void*)));
  if (!table->data) wasixc::fatal("out of memory for a table of %u elements", size);
  table->size = size;
  table->max = max;
  wasixc::note_new_table(table);
}

uint32_t wasixc_table_grow(wasixc_table* table, uint32_t delta, void* init) {
  uint32_t old_size = table->size;
  uint64_t new_size = uint64_t{old_size} + delta;
  if (new_size > table->max || new_size > wasixc::kMaxTableElements) return UINT32_MAX;
  if (delta == 0) return old_size;
  auto* data = static_cast<void**>(realloc(table->data, new_size * sizeof(void*)));
  if (!data) return UINT32_MAX;
  for (uint64_t i = old_size; i < new_size; ++i) data[i] = init;
  table->data = data;
  table->size = static_cast<uint32_t>(new_size);
  return old_size;
}

uint32_t wasixc_table_fill(wasixc_table* table, uint32_t at, void* value, uint32_t n) {
  if (!range_ok(at, n, table->size)) return 1;
  for (uint32_t i = 0; i < n; ++i) table->data[at + i] = value;
  return 0;
}

uint32_t wasixc_table_copy(wasixc_table* dst, uint32_t d, wasixc_table* src, uint32_t s, uint32_t n) {
  if (!range_ok(d, n, dst->size) || !range_ok(s, n, src->size)) return 1;
  memmove(dst->data + d, src->data + s, n * sizeof(void*));
  return 0;
}

void wasixc_init_funcrefs(void* instance, const wasixc_funcref_init* table, uint32_t count, uint32_t ptrs,
                          uint32_t records, uint32_t type_ids) {
  auto* bytes = static_cast<uint8_t*>(instance);
  for (uint32_t i = 0; i < count; ++i) {
    if (!table[i].code) continue;
    auto* record = reinterpret_cast<wasixc_funcref*>(bytes + records + sizeof(wasixc_funcref) * i);
    record->code = table[i].code;
    record->instance = instance;
    memcpy(&record->type_id, bytes + type_ids + 4 * table[i].type_index, 4);
    memcpy(bytes + ptrs + 8 * i, &record, sizeof record);
  }
}

void wasixc_init_elem_items(void* instance, const int32_t* functions, uint32_t count, uint32_t items,
                            uint32_t ptrs) {
  auto* bytes = static_cast<uint8_t*>(instance);
  for (uint32_t j = 0; j < count; ++j) {
    void* ref = nullptr;
    if (functions[j] >= 0) memcpy(&ref, bytes + ptrs + 8 * static_cast<uint32_t>(functions[j]), sizeof ref);
    memcpy(bytes + items + 8 * j, &ref, sizeof ref);
  }
}

uint32_t wasixc_table_init(wasixc_table* table, uint32_t d, void* const* segment, uint32_t segment_len,
                           uint32_t s, uint32_t n) {
  if (!range_ok(d, n, table->size) || !range_ok(s, n, segment_len)) return 1;
  memcpy(table->data + d, segment + s, n * sizeof(void*));
  return 0;
}

uint32_t wasixc_atomic_wait32(wasixc_memory* mem, uint64_t addr, uint32_t expected, int64_t timeout_ns) {
  return atomic_wait<uint32_t>(mem, addr, expected, timeout_ns);
}

uint32_t wasixc_atomic_wait64(wasixc_memory* mem, uint64_t addr, uint64_t expected, int64_t timeout_ns) {
  return atomic_wait<uint64_t>(mem, addr, expected, timeout_ns);
}

uint32_t wasixc_atomic_notify(wasixc_memory* mem, uint64_t addr, uint32_t count) {
  return wasixc::kernel::futex_wake(mem->data + addr, count);
}

// A poll in generated code found the pending word set: deliver signals to
// a guest that may be computing without ever calling the host. Reached
// only through the assembly entry wasixc_safepoint
// (safepoint_x86_64.S), which keeps the registers preserve_most promises
// generated code; this is an ordinary C function.
void wasixc_safepoint_slow(wasixc_ctx* ctx);
void wasixc_safepoint_slow(wasixc_ctx* ctx) { wasixc::kernel::deliver_pending_in_guest_code(ctx); }

}  // extern "C"
