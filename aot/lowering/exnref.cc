// Exnref exceptions (WebAssembly 3.0: try_table 0x1F, throw_ref 0x0A, the
// exnref value type 0x69), which wabt 1.0.32 cannot read, become the legacy
// instructions the llvm backend already runs on the host unwinder:
//
//   try_table bt (catch x l | catch_ref x l | catch_all l | catch_all_ref l)*
//     instr*
//   end
// ->
//   try bt
//     instr*
//   catch x      br l+1                    ;; the payload goes with the branch
//   catch x      call $exn.current  br l+1 ;; catch_ref: payload, then exnref
//   catch_all    br l+1
//   catch_all    call $exn.current  br l+1
//   end
//
// The try takes the try_table's place as a label, so no branch depth
// inside the body changes; a clause's label counts from outside the
// try_table, and the branch sits inside the try: one more. Clauses after
// the first catch_all* can never match and are dropped (a legacy try ends
// with catch_all). A try_table without clauses is a block.
//
// exnref becomes externref everywhere (the value-type hook); the exnref
// value is the runtime's exception object. `exn.current` (intrinsic)
// takes a reference to the exception the enclosing catch holds;
// `throw_ref` (intrinsic, then `unreachable`, as the instruction is
// stack-polymorphic) raises it again, trapping on null.
#include "aot/lowering/rewriter.h"

namespace wasixc::aot::lowering {
namespace {

// exnref and its bottom, nullexnref (binaryen writes ref.null exn as
// ref.null noexn); both become externref.
constexpr uint8_t kExnref = 0x69, kNullExnref = 0x74, kExternref = 0x6f;
constexpr int64_t kExnHeap = static_cast<int64_t>(kExnref) - 0x80;  // as s33 heap types
constexpr int64_t kNoExnHeap = static_cast<int64_t>(kNullExnref) - 0x80;

struct Clause {
  uint8_t kind;  // 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref
  uint32_t tag;
  uint32_t label;
};

class Exnref final : public Lowering {
 public:
  const char* feature() const override { return "exnref exceptions"; }
  std::vector<uint8_t> first_bytes() const override { return {op::kTryTable, op::kThrowRef}; }
  bool needs(const Instruction& in) const override {
    return in.is(kNoPrefix, op::kTryTable) || in.is(kNoPrefix, op::kThrowRef);
  }
  bool maps_value_types() const override { return true; }
  bool map_value_type(ValType& t) const override {
    bool exn = t.code == kExnref || t.code == kNullExnref ||
               ((t.code == 0x63 || t.code == 0x64) && (t.heap == kExnHeap || t.heap == kNoExnHeap));
    if (exn) t = ValType{kExternref};
    return exn;
  }
  ValType mapped_onto() const override { return ValType{kExternref}; }

  void begin_body(BodyRewrite& body) override {
    controls_.clear();
    ended_ = false;
    const ModuleInfo& m = body.module();
    function_arity_ = m.types[m.func_types[body.func_index()]].results.size();  // checked by the driver
  }

  bool rewrite(const Instruction& in, BodyRewrite& body) override {
    after_last_ = in.offset + in.size;
    if (in.prefix != kNoPrefix) return false;
    switch (in.code) {
      case op::kBlock: case op::kLoop: case op::kIf: case op::kTry: {
        ByteReader r(body.bytes(), in.immediates, in.offset + in.size);
        controls_.push_back(Control{false, in.offset, label_arity(r, body.module(), in.code == op::kLoop), {}});
        return false;
      }
      case op::kDelegate:  // ends a try
        if (!controls_.empty()) controls_.pop_back();
        return false;
      case op::kEnd: {
        if (controls_.empty()) return ended_ = true, false;  // the function's end
        Control c = std::move(controls_.back());
        controls_.pop_back();
        if (!c.try_table) return false;
        for (const Clause& k : c.clauses) {
          if (k.kind < 2) {
            body.emit_byte(op::kCatch);
            body.emit_u32(k.tag);
          } else {
            body.emit_byte(op::kCatchAll);
          }
          if (k.kind == 1 || k.kind == 3) body.emit_call_intrinsic(Intrinsic::kExnCurrent);
          body.emit_byte(op::kBr);
          body.emit_u32(k.label + 1);
        }
        body.emit_byte(op::kEnd);
        return true;
      }
      case op::kTryTable: {
        ByteReader r(body.bytes(), in.immediates, in.offset + in.size);
        Control c;
        c.try_table = true;
        c.offset = in.offset;
        size_t bt = r.pos();
        c.arity = label_arity(r, body.module(), false);
        for (uint32_t i = 0, n = r.u32(); i < n; ++i) {
          Clause k{r.u8(), 0, 0};
          if (k.kind < 2) k.tag = r.u32();
          k.label = r.u32();
          check_clause(k, body.module(), r);
          bool after_catch_all = !c.clauses.empty() && c.clauses.back().kind >= 2;
          if (!after_catch_all) c.clauses.push_back(k);
        }
        body.emit_byte(c.clauses.empty() ? op::kBlock : op::kTry);
        ByteReader type(body.bytes(), bt, in.offset + in.size);
        body.copy_block_type(type);
        controls_.push_back(std::move(c));
        return true;
      }
      case op::kThrowRef:
        body.emit_call_intrinsic(Intrinsic::kThrowRef);
        body.emit_byte(0x00);  // unreachable: the instruction never falls through
        return true;
    }
    return false;
  }

  void end_body(BodyRewrite&) override {
    // The rewrite must not hide a body cut short (the last `end` missing).
    if (!ended_) throw DecodeError{after_last_, "function body without its final end"};
  }

 private:
  struct Control {
    bool try_table = false;
    size_t offset = 0;
    size_t arity = 0;  // how many values a branch to its label carries
    std::vector<Clause> clauses;
  };

  // Reads a block type; the arity of its label (a loop's: its params).
  static size_t label_arity(ByteReader& r, const ModuleInfo& m, bool loop) {
    uint8_t code = r.peek();
    if (code == 0x40) return r.u8(), 0;
    if (code == 0x63 || code == 0x64 || ByteReader::is_value_type_code(code)) return r.value_type(), loop ? 0 : 1;
    int64_t index = r.sleb(33);
    if (index < 0 || static_cast<uint64_t>(index) >= m.types.size()) r.error("invalid block type index");
    return loop ? m.types[index].params.size() : m.types[index].results.size();
  }

  // A clause's payload (the tag's params, and the exnref of the *_ref
  // forms) must be exactly what its label takes: after the rewrite a `br`
  // carries it, and a br may leave surplus values behind, so wabt would
  // not see a label that takes fewer.
  void check_clause(const Clause& k, const ModuleInfo& m, const ByteReader& r) const {
    if (k.label > controls_.size()) r.error("try_table catch clause: unknown label " + std::to_string(k.label));
    size_t label = k.label == controls_.size() ? function_arity_ : controls_[controls_.size() - 1 - k.label].arity;
    size_t payload = (k.kind == 1 || k.kind == 3) ? 1 : 0;
    if (k.kind < 2) {
      if (k.tag >= m.tag_types.size() || m.tag_types[k.tag] >= m.types.size())
        r.error("try_table catch clause: unknown tag " + std::to_string(k.tag));
      payload += m.types[m.tag_types[k.tag]].params.size();
    }
    if (payload != label)
      r.error("try_table catch clause: a payload of " + std::to_string(payload) + " values for label " +
              std::to_string(k.label) + ", which takes " + std::to_string(label));
  }

  std::vector<Control> controls_;
  size_t function_arity_ = 0;
  bool ended_ = false;
  size_t after_last_ = 0;
};

}  // namespace

std::unique_ptr<Lowering> make_exnref_lowering() { return std::make_unique<Exnref>(); }

}  // namespace wasixc::aot::lowering
