// Wide arithmetic (the wide-arithmetic proposal: 0xFC 19 i64.add128,
// 20 i64.sub128, 21 i64.mul_wide_s, 22 i64.mul_wide_u), which wabt 1.0.32
// cannot read: each becomes a call of an appended intrinsic function of
// the instruction's own type ([i64 i64 i64 i64] -> [i64 i64] and
// [i64 i64] -> [i64 i64]), so validation checks the operands as it would
// have checked the instruction's; the llvm backend emits the call as i128
// arithmetic inline (aot/llvm/emit_intrinsics.cc).
#include "aot/lowering/rewriter.h"

namespace wasixc::aot::lowering {
namespace {

class WideArithmetic final : public Lowering {
 public:
  const char* feature() const override { return "wide arithmetic"; }
  std::vector<uint8_t> first_bytes() const override { return {kMiscPrefix}; }
  bool needs(const Instruction& in) const override { return intrinsic_for(in) != nullptr; }
  bool rewrite(const Instruction& in, BodyRewrite& body) override {
    const Intrinsic* kind = intrinsic_for(in);
    if (!kind) return false;
    body.emit_call_intrinsic(*kind);
    return true;
  }

 private:
  static const Intrinsic* intrinsic_for(const Instruction& in) {
    static const Intrinsic kKinds[] = {Intrinsic::kI64Add128, Intrinsic::kI64Sub128, Intrinsic::kI64MulWideS,
                                       Intrinsic::kI64MulWideU};
    if (in.prefix != kMiscPrefix || in.code < op::kI64Add128 || in.code > op::kI64MulWideU) return nullptr;
    return &kKinds[in.code - op::kI64Add128];
  }
};

}  // namespace

std::unique_ptr<Lowering> make_wide_arithmetic_lowering() { return std::make_unique<WideArithmetic>(); }

}  // namespace wasixc::aot::lowering
