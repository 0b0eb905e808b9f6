// What C-backend output needs beyond wasixc/abi.h: function-type ids for
// call_indirect checks and funcref/externref tables (the wasm_rt_* names
// declared by include/c_backend/wasm-rt.h).
#include <cstdarg>
#include <cstdlib>
#include <vector>

#include "runtime/runtime.h"
#include "wasm-rt.h"

namespace {

std::vector<std::vector<int>>& func_types() {
  static std::vector<std::vector<int>> types;
  return types;
}

template <typename Table, typename Elem>
void table_allocate(Table* table, uint32_t elements, uint32_t max_elements) {
  table->size = elements;
  table->max_size = max_elements;
  table->data = static_cast<Elem*>(calloc(elements ? elements : 1, sizeof(Elem)));
  if (!table->data)
    wasixc::fatal("out of memory for a table of %u elements", elements);
}

template <typename Table, typename Elem>
uint32_t table_grow(Table* table, uint32_t delta, Elem init) {
  uint32_t old_size = table->size;
  uint64_t new_size = uint64_t{old_size} + delta;
  if (new_size > table->max_size || new_size > wasixc::kMaxTableElements)
    return UINT32_MAX;
  if (delta == 0) return old_size;
  auto* data = static_cast<Elem*>(realloc(table->data, new_size * sizeof(Elem)));
  if (!data) return UINT32_MAX;
  for (uint64_t i = old_size; i < new_size; ++i) data[i] = init;
  table->data = data;
  table->size = static_cast<uint32_t>(new_size);
  return old_size;
}

}  // namespace

extern "C" {

// Equal signatures get equal ids (structural equality, as call_indirect
// requires across modules); 0 is never used, so a null funcref never
// matches.
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  std::vector<int> sig{static_cast<int>(params), static_cast<int>(results)};
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < params + results; ++i) sig.push_back(va_arg(ap, int));
  va_end(ap);
  auto& types = func_types();
  for (size_t i = 0; i < types.size(); ++i)
    if (types[i] == sig) return static_cast<uint32_t>(i + 1);
  types.push_back(sig);
  return static_cast<uint32_t>(types.size());
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* t, uint32_t n,
                                    uint32_t max) {
  table_allocate<wasm_rt_funcref_table_t, wasm_rt_funcref_t>(t, n, max);
}
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* t) { free(t->data); }
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* t, uint32_t delta,
                                    wasm_rt_funcref_t init) {
  return table_grow(t, delta, init);
}

void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* t, uint32_t n,
                                      uint32_t max) {
  table_allocate<wasm_rt_externref_table_t, wasm_rt_externref_t>(t, n, max);
}
void wasm_rt_free_externref_table(wasm_rt_externref_table_t* t) { free(t->data); }
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* t,
                                      uint32_t delta, wasm_rt_externref_t init) {
  return table_grow(t, delta, init);
}

}  // extern "C"
