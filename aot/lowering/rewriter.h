// What a construct family's rewrite sees (module_rewrite.cc drives it):
// the instructions of each function body in order, a BodyRewrite to write
// the new body into, and the module's types. A family lives in a file of
// its own (wide_arithmetic.cc) and is listed in module_rewrite.cc's
// families().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aot/lowering/instructions.h"
#include "aot/lowering/lowering.h"

namespace wasixc::aot::lowering {

// A value type as encoded: a one-byte code, and for (ref null? ht) the
// heap type.
struct ValType {
  uint8_t code = 0;
  int64_t heap = 0;  // for code 0x63 / 0x64
  bool operator==(const ValType&) const = default;
};

struct FuncType {
  std::vector<ValType> params, results;
};

// The module as the rewrite sees it, parsed only when some body needs a
// rewrite.
struct ModuleInfo {
  std::vector<FuncType> types;          // the type section's function types
  std::vector<uint32_t> func_types;     // type index per function, imports first
  uint32_t num_imported_funcs = 0;
  std::vector<uint32_t> tag_types;      // type index per tag, imports first
};

class ModuleRewrite;

// The rewrite of one function body.
class BodyRewrite {
 public:
  BodyRewrite(ModuleRewrite& module, const std::vector<uint8_t>& bytes, uint32_t func_index,
              uint32_t num_locals)
      : module_(module), bytes_(bytes), func_index_(func_index), num_locals_(num_locals) {}

  // The new body's instructions (after the locals).
  std::vector<uint8_t> out;

  const ModuleInfo& module() const;
  const std::vector<uint8_t>& bytes() const { return bytes_; }  // the original module
  uint32_t func_index() const { return func_index_; }

  // Writes the instruction as it is.
  void copy(const Instruction& in) { out.insert(out.end(), bytes_.begin() + in.offset, bytes_.begin() + in.offset + in.size); }
  // Writes the instruction with the value types in its immediates (block
  // types, select t, ref.null) replaced as the families' map_value_type
  // says; as it is when no family replaces types.
  void copy_mapped(const Instruction& in);
  // Reads a block type at `r` and writes it, mapped.
  void copy_block_type(ByteReader& r);
  void emit_byte(uint8_t b) { out.push_back(b); }
  void emit_u32(uint32_t v) { write_uleb(out, v); }
  // A call of the appended intrinsic `kind` (appended once per module).
  void emit_call_intrinsic(Intrinsic kind);
  // A new local of type `t`, declared after the body's own; its index.
  uint32_t add_local(ValType t);

  const std::vector<ValType>& added_locals() const { return added_locals_; }

 private:
  ModuleRewrite& module_;
  const std::vector<uint8_t>& bytes_;
  uint32_t func_index_;
  uint32_t num_locals_;  // params and declared locals
  std::vector<ValType> added_locals_;
};

// One construct family's rewrite.
class Lowering {
 public:
  virtual ~Lowering() = default;
  // The proposal's name, for messages ("wide arithmetic").
  virtual const char* feature() const = 0;
  // The first bytes (single-byte opcodes or prefixes) of the instructions
  // this family may rewrite: the scan asks needs() only about those.
  virtual std::vector<uint8_t> first_bytes() const = 0;
  // Whether `in` needs this family's rewrite.
  virtual bool needs(const Instruction& in) const = 0;
  // In a body that needs some family's rewrite, called for every
  // instruction in order (after begin_body): writes the replacement into
  // `body.out` and returns true, or returns false to leave it to the next
  // family (in the end it is copied as it is).
  virtual bool rewrite(const Instruction& in, BodyRewrite& body) = 0;
  // A family that replaces a reference type everywhere it occurs (types,
  // imports, tables, globals, elements, locals, block types, select t,
  // ref.null): replaces `t` in place and returns true when it is one.
  virtual bool maps_value_types() const { return false; }
  virtual bool map_value_type(ValType&) const { return false; }
  // The type such a family maps onto: a module that names it itself is
  // refused by name (after the rewrite the two could not be told apart,
  // and wabt would accept one where the module needs the other).
  virtual ValType mapped_onto() const { return {}; }
  virtual void begin_body(BodyRewrite&) {}
  virtual void end_body(BodyRewrite&) {}
};

// The families (one factory per file).
std::unique_ptr<Lowering> make_wide_arithmetic_lowering();
std::unique_ptr<Lowering> make_exnref_lowering();

// Module-wide state of a rewrite: appended types and functions.
class ModuleRewrite {
 public:
  ModuleRewrite(const ModuleInfo& info, uint32_t num_types, uint32_t num_funcs)
      : info_(info), num_types_(num_types), num_funcs_(num_funcs) {}
  const ModuleInfo& info() const { return info_; }
  // The families that replace value types (Lowering::map_value_type).
  void set_type_mappers(std::vector<const Lowering*> mappers) { mappers_ = std::move(mappers); }
  bool maps_types() const { return !mappers_.empty(); }
  // Replaces `t` if some family maps it; whether it did.
  bool map_type(ValType& t) const {
    for (const Lowering* f : mappers_)
      if (f->map_value_type(t)) return true;
    return false;
  }
  // The function index of intrinsic `kind`, appending it on first use.
  uint32_t intrinsic(Intrinsic kind);
  // Appends a function of type `type` with `body` (locals and instructions,
  // without the size, ending in `end`); returns its index.
  uint32_t append_function(const FuncType& type, std::vector<uint8_t> body);
  // The index of a function type, appending it to the type section if this
  // rewrite has not appended it yet.
  uint32_t type_index(const FuncType& type);

  struct Appended {
    uint32_t type_index;
    std::vector<uint8_t> body;
  };
  const std::vector<Appended>& appended_functions() const { return appended_; }
  const std::vector<FuncType>& appended_types() const { return new_types_; }
  const std::vector<IntrinsicFunction>& intrinsics() const { return intrinsics_; }

 private:
  const ModuleInfo& info_;
  uint32_t num_types_, num_funcs_;
  std::vector<FuncType> new_types_;
  std::vector<Appended> appended_;
  std::vector<IntrinsicFunction> intrinsics_;
  std::vector<const Lowering*> mappers_;
};

inline const ModuleInfo& BodyRewrite::module() const { return module_.info(); }

// Encodes a value type / a function type (0x60 params results).
void write_value_type(std::vector<uint8_t>& out, ValType t);
void write_func_type(std::vector<uint8_t>& out, const FuncType& t);
// Reads a value type (code and heap type).
ValType read_value_type(ByteReader& r);

}  // namespace wasixc::aot::lowering

// Replacing value types (value_types.cc), for families with
// map_value_type: `map` replaces a type in place and says whether it did.
namespace wasixc::aot::lowering {
using TypeMap = std::function<bool(ValType&)>;
// Section `id`'s payload [payload, end) with every value type mapped, into
// `out`; whether any type changed. Sections without value types (and
// custom ones) are never changed.
bool map_section_types(const std::vector<uint8_t>& bytes, uint8_t id, size_t payload, size_t end,
                       const TypeMap& map, std::vector<uint8_t>& out);
// Instruction `in` with the value types of its immediates mapped.
void map_instruction_types(const std::vector<uint8_t>& bytes, const Instruction& in, const TypeMap& map,
                           std::vector<uint8_t>& out);
// Whether `in`'s immediates hold a value type `map` replaces.
bool instruction_types_change(const std::vector<uint8_t>& bytes, const Instruction& in, const TypeMap& map);
}  // namespace wasixc::aot::lowering
