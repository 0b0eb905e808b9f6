// Runtime services LLVM-backend code calls: canonical signature ids,
// tables, and the wait queue behind memory.atomic.wait/notify.
#include <pthread.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kernel/signals.h"
#include "runtime/runtime.h"
#include "wasixc/abi.h"

namespace {

bool range_ok(uint32_t at, uint32_t n, uint32_t size) { return uint64_t{at} + n <= size; }

// One waiter of memory.atomic.wait, parked on its own condition variable.
struct Waiter {
  const void* address;
  bool woken = false;
  std::condition_variable cv;
};

// Waiters by address. One lock for all: waits are rare and short.
struct WaitQueue {
  std::mutex lock;
  std::list<Waiter*> waiters;
};

WaitQueue& wait_queue() {
  static WaitQueue* q = new WaitQueue;  // never destroyed: threads may wait at exit
  return *q;
}

template <typename T>
uint32_t wait_on(wasixc_memory* mem, uint64_t addr, T expected, int64_t timeout_ns) {
  if (!mem->is_shared) return 3;  // the caller traps: wait needs a shared memory
  auto* word = reinterpret_cast<std::atomic<T>*>(mem->data + addr);
  WaitQueue& q = wait_queue();
  std::unique_lock<std::mutex> guard(q.lock);
  // Compared under the queue lock, so a notify after our check wakes us.
  if (word->load() != expected) return 1;  // "not-equal"
  Waiter self{word};
  q.waiters.push_back(&self);
  if (timeout_ns < 0) {
    self.cv.wait(guard, [&] { return self.woken; });
  } else {
    self.cv.wait_for(guard, std::chrono::nanoseconds(timeout_ns), [&] { return self.woken; });
  }
  if (!self.woken) q.waiters.remove(&self);
  return self.woken ? 0 : 2;  // "ok" or "timed-out"
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
  return wait_on<uint32_t>(mem, addr, expected, timeout_ns);
}

uint32_t wasixc_atomic_wait64(wasixc_memory* mem, uint64_t addr, uint64_t expected, int64_t timeout_ns) {
  return wait_on<uint64_t>(mem, addr, expected, timeout_ns);
}

uint32_t wasixc_atomic_notify(wasixc_memory* mem, uint64_t addr, uint32_t count) {
  const void* word = mem->data + addr;
  WaitQueue& q = wait_queue();
  std::lock_guard<std::mutex> guard(q.lock);
  uint32_t woken = 0;
  for (auto it = q.waiters.begin(); it != q.waiters.end() && woken < count;) {
    if ((*it)->address == word) {
      (*it)->woken = true;
      (*it)->cv.notify_one();
      it = q.waiters.erase(it);
      ++woken;
    } else {
      ++it;
    }
  }
  return woken;
}

// A poll in generated code found the pending word set: deliver signals to
// a guest that may be computing without ever calling the host.
void wasixc_safepoint(wasixc_ctx* ctx) { wasixc::kernel::deliver_pending(ctx); }

}  // extern "C"
