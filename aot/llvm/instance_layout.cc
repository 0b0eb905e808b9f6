// Where everything of an instance lives. The first 32 bytes are the
// wasixc_ctx every thread's instance starts with (abi.h); memory 0's
// wasixc_memory* is the ctx's `memory` field, so syscalls find it.
#include "aot/diagnostics.h"
#include "aot/llvm/codegen.h"
#include "wasixc/abi.h"

namespace wasixc::aot::llvmgen {
namespace {

class Allocator {
 public:
  explicit Allocator(uint32_t start) : next_(start) {}
  uint32_t take(uint32_t bytes, uint32_t align = 8) {
    next_ = (next_ + align - 1) / align * align;
    uint32_t at = next_;
    next_ += bytes;
    return at;
  }
  uint32_t end() const { return (next_ + 63) / 64 * 64; }

 private:
  uint32_t next_;
};

}  // namespace

char type_letter(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return 'i';
    case wabt::Type::I64: return 'I';
    case wabt::Type::F32: return 'f';
    case wabt::Type::F64: return 'F';
    case wabt::Type::V128: return 'v';
    case wabt::Type::FuncRef: return 'r';
    case wabt::Type::ExternRef: return 'e';
    default: return '?';
  }
}

std::string signature_string(const wabt::FuncSignature& sig) {
  std::string s;
  for (wabt::Type t : sig.param_types) s += type_letter(t);
  s += ':';
  for (wabt::Type t : sig.result_types) s += type_letter(t);
  return s;
}

InstanceLayout compute_layout(const wabt::Module& m) {
  InstanceLayout l;
  Allocator a(sizeof(wasixc_ctx));
  l.mem_base = a.take(8);
  for (size_t i = 0; i < m.memories.size(); ++i) {
    // Memory 0's pointer is the ctx's `memory` field.
    l.memory_ptr.push_back(i == 0 ? WASIXC_CTX_OFFSET_MEMORY : a.take(8));
    l.memory_store.push_back(i < m.num_memory_imports ? 0 : a.take(sizeof(wasixc_memory)));
  }
  for (size_t i = 0; i < m.tables.size(); ++i) {
    l.table_ptr.push_back(a.take(8));
    l.table_store.push_back(i < m.num_table_imports ? 0 : a.take(sizeof(wasixc_table)));
  }
  for (size_t i = 0; i < m.globals.size(); ++i) {
    l.global_ptr.push_back(a.take(8));
    // A v128 global's cell is 16 bytes (abi.h).
    uint32_t cell = m.globals[i]->type == wabt::Type::V128 ? 16 : 8;
    l.global_cell.push_back(i < m.num_global_imports ? 0 : a.take(cell, cell));
  }
  // Function pointers and records are arrays (stride 8 and 24): the
  // runtime initialises them from a table (wasixc_init_funcrefs).
  uint32_t n = static_cast<uint32_t>(m.funcs.size());
  uint32_t ptrs = a.take(8 * n), records = a.take(sizeof(wasixc_funcref) * n);
  for (uint32_t i = 0; i < n; ++i) {
    l.func_ptr.push_back(ptrs + 8 * i);
    l.func_record.push_back(records + sizeof(wasixc_funcref) * i);
  }
  uint32_t types = a.take(4 * static_cast<uint32_t>(m.types.size()), 4);
  for (uint32_t i = 0; i < m.types.size(); ++i) l.type_id.push_back(types + 4 * i);
  for (const wabt::ElemSegment* seg : m.elem_segments)
    l.elem_items.push_back(a.take(8 * static_cast<uint32_t>(seg->elem_exprs.size())));
  for (size_t i = 0; i < m.tags.size(); ++i) {
    l.tag_ptr.push_back(a.take(8));
    l.tag_cell.push_back(i < m.num_tag_imports ? 0 : a.take(8));
  }
  l.data_dropped = a.take(static_cast<uint32_t>(m.data_segments.size()), 1);
  l.elem_dropped = a.take(static_cast<uint32_t>(m.elem_segments.size()), 1);
  l.size = a.end();
  if (l.size > (1u << 30)) fail("module needs an instance larger than 1 GiB");
  return l;
}

}  // namespace wasixc::aot::llvmgen
