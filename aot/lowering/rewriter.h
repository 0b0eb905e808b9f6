// What a construct family's rewrite sees (module_rewrite.cc drives it):
// the instructions of each function body in order, a BodyRewrite to write
// the new body into, and the module's types. A family lives in a file of
// its own (wide_arithmetic.cc) and is listed in module_rewrite.cc's
// families().
#pragma once

#include <cstdint>
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
  virtual void begin_body(BodyRewrite&) {}
  virtual void end_body(BodyRewrite&) {}
};

// The families (one factory per file).
std::unique_ptr<Lowering> make_wide_arithmetic_lowering();

// Module-wide state of a rewrite: appended types and functions.
class ModuleRewrite {
 public:
  ModuleRewrite(const ModuleInfo& info, uint32_t num_types, uint32_t num_funcs)
      : info_(info), num_types_(num_types), num_funcs_(num_funcs) {}
  const ModuleInfo& info() const { return info_; }
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
};

inline const ModuleInfo& BodyRewrite::module() const { return module_.info(); }

// Encodes a value type / a function type (0x60 params results).
void write_value_type(std::vector<uint8_t>& out, ValType t);
void write_func_type(std::vector<uint8_t>& out, const FuncType& t);

}  // namespace wasixc::aot::lowering
