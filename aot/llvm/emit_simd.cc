// SIMD128 and relaxed SIMD, lowered to LLVM vector IR so the host's SSE /
// AVX does the work (`--cpu=native` lets LLVM use what the CPU has).
//
// A v128 is an LLVM <2 x i64> everywhere it is stored or passed (locals,
// globals, params, results, block slots); each instruction bitcasts it to
// its lane shape (<16 x i8>, <8 x i16>, <4 x i32>, <2 x i64>, <4 x float>,
// <2 x double>), which costs nothing.
//
// Exactness (the SIMD proposal's rules, as the scalar instructions in
// emit_numeric.cc): shift counts modulo the lane width; i8x16.swizzle gives
// 0 for indices >= 16; saturating conversions and narrowing clamp; float
// NaN results are arithmetic NaNs (the hardware quiets; where LLVM could
// fold an identity into a plain move, the result is quieted explicitly);
// min/max propagate NaN and order -0 < +0; pmin/pmax, abs, neg and the
// bitwise operations are exact bit operations.
//
// Relaxed SIMD: each instruction takes one deterministic choice among those
// the proposal permits, the same on every CPU (so `--cpu` never changes a
// result):
//   i8x16.relaxed_swizzle            = i8x16.swizzle (0 for indices >= 16)
//   i32x4.relaxed_trunc_*            = the trunc_sat forms (NaN -> 0, clamp)
//   f32x4/f64x2.relaxed_madd/nmadd   = unfused: a*b+c and -(a*b)+c, two roundings
//   i*.relaxed_laneselect            = v128.bitselect (bitwise, every bit)
//   f32x4/f64x2.relaxed_min/max      = f32x4/f64x2.min/max (NaN-propagating)
//   i16x8.relaxed_q15mulr_s          = i16x8.q15mulr_sat_s (saturating)
//   i16x8.dot_i8x16_i7x16_s          = b's lanes read as signed, 16-bit
//                                      products and pair sums wrap
//   i32x4.dot_i8x16_i7x16_add_s      = the i16x8 dot above, its pairs
//                                      sign-extended and added, plus c
#include "aot/diagnostics.h"
#include "aot/llvm/function_codegen.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Intrinsics.h"

namespace wasixc::aot::llvmgen {

using wabt::Opcode;

namespace {

class SimdEmitter {
 public:
  explicit SimdEmitter(FunctionCodegen& fc) : fc_(fc), b_(fc.b) {
    llvm::LLVMContext& c = fc.mc.ctx();
    i8x16_ = llvm::FixedVectorType::get(llvm::Type::getInt8Ty(c), 16);
    i16x8_ = llvm::FixedVectorType::get(llvm::Type::getInt16Ty(c), 8);
    i32x4_ = llvm::FixedVectorType::get(llvm::Type::getInt32Ty(c), 4);
    i64x2_ = llvm::FixedVectorType::get(llvm::Type::getInt64Ty(c), 2);
    f32x4_ = llvm::FixedVectorType::get(llvm::Type::getFloatTy(c), 4);
    f64x2_ = llvm::FixedVectorType::get(llvm::Type::getDoubleTy(c), 2);
  }

  void constant(const wabt::Const& c);
  void load(Opcode op, uint64_t offset);
  void store(uint64_t offset);
  void load_splat(Opcode op, uint64_t offset);
  void load_zero(Opcode op, uint64_t offset);
  void load_lane(Opcode op, uint64_t offset, unsigned lane);
  void store_lane(Opcode op, uint64_t offset, unsigned lane);
  void lane_op(Opcode op, unsigned lane);
  void shuffle(const v128& lanes);
  void op(Opcode op);

 private:
  using VT = llvm::FixedVectorType*;
  using Fn1 = llvm::Value* (*)(SimdEmitter&, llvm::Value*);

  // A constant is reinterpreted here, so every later operation on it folds
  // to a plain constant (IRBuilder leaves a bitcast between vector shapes
  // of different lane counts as a constant expression).
  llvm::Value* as(llvm::Value* v, VT t) {
    if (v->getType() == t) return v;
    if (auto* c = llvm::dyn_cast<llvm::Constant>(v)) {
      if (c->isNullValue()) return llvm::Constant::getNullValue(t);
      if (auto* data = llvm::dyn_cast<llvm::ConstantDataVector>(c))
        return llvm::ConstantDataVector::getRaw(data->getRawDataValues(), t->getNumElements(), t->getElementType());
    }
    return b_.CreateBitCast(v, t);
  }
  llvm::Value* pop(VT t) { return as(fc_.pop(), t); }
  void push(llvm::Value* v) { fc_.push(as(v, i64x2_)); }
  llvm::Value* splat(VT t, llvm::Value* scalar) {
    return b_.CreateVectorSplat(t->getNumElements(), scalar);
  }
  llvm::Value* splat_int(VT t, uint64_t v) {
    return llvm::ConstantVector::getSplat(t->getElementCount(), llvm::ConstantInt::get(t->getElementType(), v));
  }
  llvm::Value* zero(VT t) { return llvm::Constant::getNullValue(t); }
  llvm::Value* call(llvm::Intrinsic::ID id, std::vector<llvm::Type*> types, std::vector<llvm::Value*> args) {
    return b_.CreateCall(fc_.intrinsic(id, std::move(types)), args);
  }
  // The integer vector with t's lane count and a width of `bits` per lane.
  VT widen(VT t, unsigned bits) {
    return llvm::FixedVectorType::get(b_.getIntNTy(bits), t->getNumElements());
  }
  VT int_shape(VT t) { return widen(t, t->getScalarSizeInBits()); }
  // Lanes [first, first + count) of x.
  llvm::Value* lanes(llvm::Value* x, unsigned first, unsigned count, unsigned step = 1) {
    std::vector<int> mask;
    for (unsigned i = 0; i < count; ++i) mask.push_back(static_cast<int>(first + i * step));
    return b_.CreateShuffleVector(x, x, mask);
  }
  llvm::Value* concat(llvm::Value* lo, llvm::Value* hi) {
    unsigned n = llvm::cast<llvm::FixedVectorType>(lo->getType())->getNumElements();
    std::vector<int> mask;
    for (unsigned i = 0; i < 2 * n; ++i) mask.push_back(static_cast<int>(i));
    return b_.CreateShuffleVector(lo, hi, mask);
  }
  llvm::Value* extend(llvm::Value* v, VT to, bool is_signed) {
    return is_signed ? b_.CreateSExt(v, to) : b_.CreateZExt(v, to);
  }
  llvm::LoadInst* guest_load(llvm::Type* t, uint64_t offset) {
    llvm::LoadInst* load = b_.CreateAlignedLoad(t, fc_.address(fc_.pop(), offset), llvm::Align(1));
    load->setMetadata(llvm::LLVMContext::MD_tbaa, fc_.mc.tbaa_guest_memory());
    fc_.guest_loads_.push_back(load);
    return load;
  }
  void guest_store(llvm::Value* v, llvm::Value* addr) {
    b_.CreateAlignedStore(v, addr, llvm::Align(1))->setMetadata(llvm::LLVMContext::MD_tbaa,
                                                                 fc_.mc.tbaa_guest_memory());
  }

  // Sets the quiet bit of every NaN lane (see FunctionCodegen::quiet_nan).
  llvm::Value* quiet(llvm::Value* v) {
    auto* t = llvm::cast<llvm::FixedVectorType>(v->getType());
    if (auto* c = llvm::dyn_cast<llvm::Constant>(v)) return quiet_constant(c, t);
    return quiet_instructions(v, t);
  }
  llvm::Value* quiet_instructions(llvm::Value* v, VT t) {
    VT it = int_shape(t);
    unsigned bits = t->getScalarSizeInBits();
    llvm::Value* nan = b_.CreateFCmpUNO(v, v);
    llvm::Value* bit = b_.CreateSelect(nan, splat_int(it, 1ull << (bits == 32 ? 22 : 51)), zero(it));
    return b_.CreateBitCast(b_.CreateOr(b_.CreateBitCast(v, it), bit), t);
  }
  // A constant is quieted here, lane by lane: LLVM 19's InstCombine folds
  // the or-of-bitcasts form above wrongly for some constant NaN vectors
  // (lanes came back as 0; tests/spec/wasixc/simd_constant_nans.wast).
  llvm::Value* quiet_constant(llvm::Constant* c, VT t) {
    std::vector<llvm::Constant*> lanes;
    for (unsigned i = 0; i < t->getNumElements(); ++i) {
      auto* lane = llvm::dyn_cast_or_null<llvm::ConstantFP>(c->getAggregateElement(i));
      if (!lane) return quiet_instructions(c, t);  // poison or an expression: the general path
      llvm::APFloat f = lane->getValueAPF();
      if (f.isNaN()) {
        llvm::APInt bits = f.bitcastToAPInt();
        bits.setBit(t->getScalarSizeInBits() == 32 ? 22 : 51);
        f = llvm::APFloat(f.getSemantics(), bits);
      }
      lanes.push_back(llvm::ConstantFP::get(fc_.mc.ctx(), f));
    }
    return llvm::ConstantVector::get(lanes);
  }
  // LLVM folds identities (x + -0, x * 1, x / 1, ...) with a constant
  // operand into a move that would pass a signalling NaN through.
  llvm::Value* quiet_if_const(llvm::Value* r, llvm::Value* x, llvm::Value* y = nullptr) {
    bool constant = llvm::isa<llvm::Constant>(x) || (y && llvm::isa<llvm::Constant>(y));
    return constant ? quiet(r) : r;
  }

  template <typename F>
  void unary(VT t, F f) {
    llvm::Value* x = pop(t);
    push(f(x));
  }
  template <typename F>
  void binary(VT t, F f) {
    llvm::Value* y = pop(t);
    llvm::Value* x = pop(t);
    push(f(x, y));
  }
  void icmp(VT t, llvm::CmpInst::Predicate p) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateSExt(b_.CreateICmp(p, x, y), t); });
  }
  void fcmp(VT t, llvm::CmpInst::Predicate p) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) {
      return b_.CreateSExt(b_.CreateFCmp(p, x, y), int_shape(t));
    });
  }
  void int_intrinsic(VT t, llvm::Intrinsic::ID id) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) { return call(id, {t}, {x, y}); });
  }
  void shift(VT t, llvm::Instruction::BinaryOps kind) {
    llvm::Value* count = fc_.pop();
    llvm::Value* x = pop(t);
    unsigned bits = t->getScalarSizeInBits();
    // The count is taken modulo the lane width (not UB as in LLVM).
    count = b_.CreateAnd(count, b_.getInt32(bits - 1));
    count = b_.CreateZExtOrTrunc(count, t->getElementType());
    push(b_.CreateBinOp(kind, x, splat(t, count)));
  }
  void all_true(VT t) {
    llvm::Value* nonzero = b_.CreateICmpNE(pop(t), zero(t));
    fc_.push(b_.CreateZExt(b_.CreateAndReduce(nonzero), b_.getInt32Ty()));
  }
  void bitmask(VT t) {
    llvm::Value* negative = b_.CreateICmpSLT(pop(t), zero(t));
    llvm::Value* bits = b_.CreateBitCast(negative, b_.getIntNTy(t->getNumElements()));
    fc_.push(b_.CreateZExt(bits, b_.getInt32Ty()));
  }
  // narrow: two vectors of `from` lanes into one of half-width lanes, each
  // clamped to the narrow type's range (signed or unsigned).
  void narrow(VT from, bool is_signed) {
    llvm::Value* y = pop(from);
    llvm::Value* x = pop(from);
    unsigned narrow_bits = from->getScalarSizeInBits() / 2;
    int64_t lo = is_signed ? -(int64_t{1} << (narrow_bits - 1)) : 0;
    int64_t hi = is_signed ? (int64_t{1} << (narrow_bits - 1)) - 1 : (int64_t{1} << narrow_bits) - 1;
    VT to = widen(from, narrow_bits);
    auto clamp = [&](llvm::Value* v) {
      v = call(llvm::Intrinsic::smax, {from}, {v, splat_int(from, static_cast<uint64_t>(lo))});
      v = call(llvm::Intrinsic::smin, {from}, {v, splat_int(from, static_cast<uint64_t>(hi))});
      return b_.CreateTrunc(v, to);
    };
    push(concat(clamp(x), clamp(y)));
  }
  // The low or high half of `from`'s lanes, extended to twice the width.
  llvm::Value* half_extended(llvm::Value* x, VT from, bool high, bool is_signed) {
    unsigned n = from->getNumElements() / 2;
    VT to = llvm::FixedVectorType::get(b_.getIntNTy(from->getScalarSizeInBits() * 2), n);
    return extend(lanes(x, high ? n : 0, n), to, is_signed);
  }
  void extend_half(VT from, bool high, bool is_signed) {
    llvm::Value* x = pop(from);
    push(half_extended(x, from, high, is_signed));
  }
  void extmul(VT from, bool high, bool is_signed) {
    llvm::Value* y = pop(from);
    llvm::Value* x = pop(from);
    push(b_.CreateMul(half_extended(x, from, high, is_signed), half_extended(y, from, high, is_signed)));
  }
  // Adjacent lanes of x (already at the result width) added in pairs.
  llvm::Value* pairwise_sum(llvm::Value* x) {
    unsigned n = llvm::cast<llvm::FixedVectorType>(x->getType())->getNumElements() / 2;
    return b_.CreateAdd(lanes(x, 0, n, 2), lanes(x, 1, n, 2));
  }
  void extadd_pairwise(VT from, bool is_signed) {
    llvm::Value* x = pop(from);
    push(pairwise_sum(extend(x, widen(from, from->getScalarSizeInBits() * 2), is_signed)));
  }
  void avgr_u(VT t) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) {
      VT wide = widen(t, t->getScalarSizeInBits() * 2);
      llvm::Value* sum = b_.CreateAdd(b_.CreateAdd(b_.CreateZExt(x, wide), b_.CreateZExt(y, wide)), splat_int(wide, 1));
      return b_.CreateTrunc(b_.CreateLShr(sum, splat_int(wide, 1)), t);
    });
  }
  void q15mulr_sat() {
    binary(i16x8_, [&](llvm::Value* x, llvm::Value* y) {
      VT wide = widen(i16x8_, 32);
      llvm::Value* p = b_.CreateMul(b_.CreateSExt(x, wide), b_.CreateSExt(y, wide));
      p = b_.CreateAShr(b_.CreateAdd(p, splat_int(wide, 0x4000)), splat_int(wide, 15));
      // Only -32768 * -32768 overflows: it saturates to 32767.
      p = call(llvm::Intrinsic::smin, {wide}, {p, splat_int(wide, 0x7fff)});
      return b_.CreateTrunc(p, i16x8_);
    });
  }
  llvm::Value* dot_i8_pairs(llvm::Value* x, llvm::Value* y) {
    VT wide = widen(i8x16_, 16);
    return pairwise_sum(b_.CreateMul(b_.CreateSExt(x, wide), b_.CreateSExt(y, wide)));
  }
  void float_binary(VT t, llvm::Instruction::BinaryOps kind) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) {
      return quiet_if_const(b_.CreateBinOp(kind, x, y), x, y);
    });
  }
  void float_unary(VT t, llvm::Intrinsic::ID id) {
    unary(t, [&](llvm::Value* x) { return quiet_if_const(call(id, {t}, {x}), x); });
  }
  void min_max(VT t, llvm::Intrinsic::ID id) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) { return quiet(call(id, {t}, {x, y})); });
  }
  // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a (operands as they are).
  void pseudo_min_max(VT t, bool is_max) {
    binary(t, [&](llvm::Value* x, llvm::Value* y) {
      llvm::Value* take_y = is_max ? b_.CreateFCmpOLT(x, y) : b_.CreateFCmpOLT(y, x);
      return b_.CreateSelect(take_y, y, x);
    });
  }
  void bitselect() {
    llvm::Value* mask = fc_.pop();
    llvm::Value* y = fc_.pop();
    llvm::Value* x = fc_.pop();
    push(b_.CreateOr(b_.CreateAnd(x, mask), b_.CreateAnd(y, b_.CreateNot(mask))));
  }
  void madd(VT t, bool negate) {
    llvm::Value* c = pop(t);
    llvm::Value* y = pop(t);
    llvm::Value* x = pop(t);
    llvm::Value* product = b_.CreateFMul(negate ? b_.CreateFNeg(x) : x, y);
    push(quiet(b_.CreateFAdd(product, c)));
  }
  void trunc_sat(VT from, bool is_signed) {
    llvm::Value* x = pop(from);
    VT to = widen(from, 32);
    llvm::Value* r = call(is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat, {to, from}, {x});
    if (to->getNumElements() == 2) r = concat(r, zero(to));  // the _zero forms
    push(r);
  }
  void swizzle();
  // The validator checks lane indices; a module that slips one past it is
  // refused rather than compiled into a poison value.
  void check_lane(Opcode op, unsigned lane, unsigned count) {
    if (lane >= count)
      fail("%s: %s: lane index %u out of range", fc_.mc.options().module_name.c_str(), op.GetName(), lane);
  }
  static unsigned lane_bytes(Opcode op) {
    switch (op) {
      case Opcode::I8X16ExtractLaneS: case Opcode::I8X16ExtractLaneU: case Opcode::I8X16ReplaceLane: return 1;
      case Opcode::I16X8ExtractLaneS: case Opcode::I16X8ExtractLaneU: case Opcode::I16X8ReplaceLane: return 2;
      case Opcode::I32X4ExtractLane: case Opcode::I32X4ReplaceLane:
      case Opcode::F32X4ExtractLane: case Opcode::F32X4ReplaceLane: return 4;
      default: return 8;
    }
  }

  FunctionCodegen& fc_;
  llvm::IRBuilder<>& b_;
  VT i8x16_, i16x8_, i32x4_, i64x2_, f32x4_, f64x2_;
};

void SimdEmitter::constant(const wabt::Const& c) {
  v128 v = c.vec128();
  uint64_t halves[2] = {v.u64(0), v.u64(1)};
  fc_.push(llvm::ConstantDataVector::get(fc_.mc.ctx(), llvm::ArrayRef<uint64_t>(halves, 2)));
}

void SimdEmitter::load(Opcode op, uint64_t offset) {
  struct Ext {
    unsigned lane_bits;
    bool is_signed;
  } ext{};
  switch (op) {
    case Opcode::V128Load: push(guest_load(i64x2_, offset)); return;
    case Opcode::V128Load8X8S: ext = {8, true}; break;
    case Opcode::V128Load8X8U: ext = {8, false}; break;
    case Opcode::V128Load16X4S: ext = {16, true}; break;
    case Opcode::V128Load16X4U: ext = {16, false}; break;
    case Opcode::V128Load32X2S: ext = {32, true}; break;
    case Opcode::V128Load32X2U: ext = {32, false}; break;
    default: fail("%s: SIMD load %s is not supported", fc_.mc.options().module_name.c_str(), op.GetName());
  }
  // 64 bits of narrow lanes, each extended to twice its width.
  unsigned n = 64 / ext.lane_bits;
  llvm::Value* narrow = guest_load(llvm::FixedVectorType::get(b_.getIntNTy(ext.lane_bits), n), offset);
  push(extend(narrow, llvm::FixedVectorType::get(b_.getIntNTy(ext.lane_bits * 2), n), ext.is_signed));
}

void SimdEmitter::store(uint64_t offset) {
  llvm::Value* v = fc_.pop();
  guest_store(v, fc_.address(fc_.pop(), offset));
}

void SimdEmitter::load_splat(Opcode op, uint64_t offset) {
  unsigned bits = static_cast<unsigned>(op.GetMemorySize()) * 8;
  llvm::Value* x = guest_load(b_.getIntNTy(bits), offset);
  push(b_.CreateVectorSplat(128 / bits, x));
}

void SimdEmitter::load_zero(Opcode op, uint64_t offset) {
  unsigned bits = static_cast<unsigned>(op.GetMemorySize()) * 8;
  VT t = bits == 32 ? i32x4_ : i64x2_;
  push(b_.CreateInsertElement(zero(t), guest_load(b_.getIntNTy(bits), offset), uint64_t{0}));
}

void SimdEmitter::load_lane(Opcode op, uint64_t offset, unsigned lane) {
  unsigned bits = static_cast<unsigned>(op.GetMemorySize()) * 8;
  check_lane(op, lane, 128 / bits);
  VT t = widen(llvm::FixedVectorType::get(b_.getInt8Ty(), 128 / bits), bits);
  llvm::Value* v = pop(t);
  push(b_.CreateInsertElement(v, guest_load(t->getElementType(), offset), uint64_t{lane}));
}

void SimdEmitter::store_lane(Opcode op, uint64_t offset, unsigned lane) {
  unsigned bits = static_cast<unsigned>(op.GetMemorySize()) * 8;
  check_lane(op, lane, 128 / bits);
  VT t = widen(llvm::FixedVectorType::get(b_.getInt8Ty(), 128 / bits), bits);
  llvm::Value* v = pop(t);
  guest_store(b_.CreateExtractElement(v, uint64_t{lane}), fc_.address(fc_.pop(), offset));
}

void SimdEmitter::lane_op(Opcode op, unsigned lane) {
  check_lane(op, lane, 16 / static_cast<unsigned>(lane_bytes(op)));
  auto extract = [&](VT t, int extend_kind) {  // 0: none, 1: signed, 2: unsigned
    llvm::Value* e = b_.CreateExtractElement(pop(t), uint64_t{lane});
    if (extend_kind == 1) e = b_.CreateSExt(e, b_.getInt32Ty());
    if (extend_kind == 2) e = b_.CreateZExt(e, b_.getInt32Ty());
    fc_.push(e);
  };
  auto replace = [&](VT t) {
    llvm::Value* scalar = fc_.pop();
    llvm::Value* v = pop(t);
    if (scalar->getType()->isIntegerTy()) scalar = b_.CreateTrunc(scalar, t->getElementType());
    push(b_.CreateInsertElement(v, scalar, uint64_t{lane}));
  };
  switch (op) {
    case Opcode::I8X16ExtractLaneS: return extract(i8x16_, 1);
    case Opcode::I8X16ExtractLaneU: return extract(i8x16_, 2);
    case Opcode::I16X8ExtractLaneS: return extract(i16x8_, 1);
    case Opcode::I16X8ExtractLaneU: return extract(i16x8_, 2);
    case Opcode::I32X4ExtractLane: return extract(i32x4_, 0);
    case Opcode::I64X2ExtractLane: return extract(i64x2_, 0);
    case Opcode::F32X4ExtractLane: return extract(f32x4_, 0);
    case Opcode::F64X2ExtractLane: return extract(f64x2_, 0);
    case Opcode::I8X16ReplaceLane: return replace(i8x16_);
    case Opcode::I16X8ReplaceLane: return replace(i16x8_);
    case Opcode::I32X4ReplaceLane: return replace(i32x4_);
    case Opcode::I64X2ReplaceLane: return replace(i64x2_);
    case Opcode::F32X4ReplaceLane: return replace(f32x4_);
    case Opcode::F64X2ReplaceLane: return replace(f64x2_);
    default: fail("%s: SIMD lane operation %s is not supported", fc_.mc.options().module_name.c_str(), op.GetName());
  }
}

void SimdEmitter::shuffle(const v128& selectors) {
  llvm::Value* y = pop(i8x16_);
  llvm::Value* x = pop(i8x16_);
  std::vector<int> mask;
  for (int i = 0; i < 16; ++i) mask.push_back(selectors.u8(i) & 31);  // validated < 32
  push(b_.CreateShuffleVector(x, y, mask));
}

// Lane i = x[idx[i]], or 0 when idx[i] >= 16. Written as a build of
// extracts over (idx & 15) and a mask, the shape x86's backend turns into
// PSHUFB when the CPU has SSSE3 (scalar code otherwise).
void SimdEmitter::swizzle() {
  llvm::Value* idx = pop(i8x16_);
  llvm::Value* x = pop(i8x16_);
  llvm::Value* in_range = b_.CreateAnd(idx, splat_int(i8x16_, 15));
  llvm::Value* r = zero(i8x16_);
  for (uint64_t i = 0; i < 16; ++i)
    r = b_.CreateInsertElement(r, b_.CreateExtractElement(x, b_.CreateExtractElement(in_range, i)), i);
  push(b_.CreateSelect(b_.CreateICmpULT(idx, splat_int(i8x16_, 16)), r, zero(i8x16_)));
}

void SimdEmitter::op(Opcode op) {
  using llvm::Instruction;
  using llvm::Intrinsic::ID;
  namespace I = llvm::Intrinsic;
  using P = llvm::CmpInst;
  auto bitwise = [&](auto f) { binary(i64x2_, f); };
  switch (op) {
    // --- splat ---
    case Opcode::I8X16Splat: push(splat(i8x16_, b_.CreateTrunc(fc_.pop(), b_.getInt8Ty()))); return;
    case Opcode::I16X8Splat: push(splat(i16x8_, b_.CreateTrunc(fc_.pop(), b_.getInt16Ty()))); return;
    case Opcode::I32X4Splat: push(splat(i32x4_, fc_.pop())); return;
    case Opcode::I64X2Splat: push(splat(i64x2_, fc_.pop())); return;
    case Opcode::F32X4Splat: push(splat(f32x4_, fc_.pop())); return;
    case Opcode::F64X2Splat: push(splat(f64x2_, fc_.pop())); return;

    // --- bitwise ---
    case Opcode::V128Not: unary(i64x2_, [&](llvm::Value* x) { return b_.CreateNot(x); }); return;
    case Opcode::V128And: bitwise([&](llvm::Value* x, llvm::Value* y) { return b_.CreateAnd(x, y); }); return;
    case Opcode::V128Or: bitwise([&](llvm::Value* x, llvm::Value* y) { return b_.CreateOr(x, y); }); return;
    case Opcode::V128Xor: bitwise([&](llvm::Value* x, llvm::Value* y) { return b_.CreateXor(x, y); }); return;
    case Opcode::V128Andnot:
      bitwise([&](llvm::Value* x, llvm::Value* y) { return b_.CreateAnd(x, b_.CreateNot(y)); });
      return;
    case Opcode::V128BitSelect:
    case Opcode::I8X16RelaxedLaneSelect:
    case Opcode::I16X8RelaxedLaneSelect:
    case Opcode::I32X4RelaxedLaneSelect:
    case Opcode::I64X2RelaxedLaneSelect: bitselect(); return;
    case Opcode::V128AnyTrue:
      fc_.push(b_.CreateZExt(b_.CreateICmpNE(b_.CreateBitCast(fc_.pop(), b_.getInt128Ty()), b_.getIntN(128, 0)),
                             b_.getInt32Ty()));
      return;

    // --- swizzle (shuffle is its own expression) ---
    case Opcode::I8X16Swizzle:
    case Opcode::I8X16RelaxedSwizzle: swizzle(); return;

    // --- integer comparisons ---
    case Opcode::I8X16Eq: icmp(i8x16_, P::ICMP_EQ); return;
    case Opcode::I8X16Ne: icmp(i8x16_, P::ICMP_NE); return;
    case Opcode::I8X16LtS: icmp(i8x16_, P::ICMP_SLT); return;
    case Opcode::I8X16LtU: icmp(i8x16_, P::ICMP_ULT); return;
    case Opcode::I8X16GtS: icmp(i8x16_, P::ICMP_SGT); return;
    case Opcode::I8X16GtU: icmp(i8x16_, P::ICMP_UGT); return;
    case Opcode::I8X16LeS: icmp(i8x16_, P::ICMP_SLE); return;
    case Opcode::I8X16LeU: icmp(i8x16_, P::ICMP_ULE); return;
    case Opcode::I8X16GeS: icmp(i8x16_, P::ICMP_SGE); return;
    case Opcode::I8X16GeU: icmp(i8x16_, P::ICMP_UGE); return;
    case Opcode::I16X8Eq: icmp(i16x8_, P::ICMP_EQ); return;
    case Opcode::I16X8Ne: icmp(i16x8_, P::ICMP_NE); return;
    case Opcode::I16X8LtS: icmp(i16x8_, P::ICMP_SLT); return;
    case Opcode::I16X8LtU: icmp(i16x8_, P::ICMP_ULT); return;
    case Opcode::I16X8GtS: icmp(i16x8_, P::ICMP_SGT); return;
    case Opcode::I16X8GtU: icmp(i16x8_, P::ICMP_UGT); return;
    case Opcode::I16X8LeS: icmp(i16x8_, P::ICMP_SLE); return;
    case Opcode::I16X8LeU: icmp(i16x8_, P::ICMP_ULE); return;
    case Opcode::I16X8GeS: icmp(i16x8_, P::ICMP_SGE); return;
    case Opcode::I16X8GeU: icmp(i16x8_, P::ICMP_UGE); return;
    case Opcode::I32X4Eq: icmp(i32x4_, P::ICMP_EQ); return;
    case Opcode::I32X4Ne: icmp(i32x4_, P::ICMP_NE); return;
    case Opcode::I32X4LtS: icmp(i32x4_, P::ICMP_SLT); return;
    case Opcode::I32X4LtU: icmp(i32x4_, P::ICMP_ULT); return;
    case Opcode::I32X4GtS: icmp(i32x4_, P::ICMP_SGT); return;
    case Opcode::I32X4GtU: icmp(i32x4_, P::ICMP_UGT); return;
    case Opcode::I32X4LeS: icmp(i32x4_, P::ICMP_SLE); return;
    case Opcode::I32X4LeU: icmp(i32x4_, P::ICMP_ULE); return;
    case Opcode::I32X4GeS: icmp(i32x4_, P::ICMP_SGE); return;
    case Opcode::I32X4GeU: icmp(i32x4_, P::ICMP_UGE); return;
    case Opcode::I64X2Eq: icmp(i64x2_, P::ICMP_EQ); return;
    case Opcode::I64X2Ne: icmp(i64x2_, P::ICMP_NE); return;
    case Opcode::I64X2LtS: icmp(i64x2_, P::ICMP_SLT); return;
    case Opcode::I64X2GtS: icmp(i64x2_, P::ICMP_SGT); return;
    case Opcode::I64X2LeS: icmp(i64x2_, P::ICMP_SLE); return;
    case Opcode::I64X2GeS: icmp(i64x2_, P::ICMP_SGE); return;

    // --- float comparisons: ne is true for NaN, the others false ---
    case Opcode::F32X4Eq: fcmp(f32x4_, P::FCMP_OEQ); return;
    case Opcode::F32X4Ne: fcmp(f32x4_, P::FCMP_UNE); return;
    case Opcode::F32X4Lt: fcmp(f32x4_, P::FCMP_OLT); return;
    case Opcode::F32X4Gt: fcmp(f32x4_, P::FCMP_OGT); return;
    case Opcode::F32X4Le: fcmp(f32x4_, P::FCMP_OLE); return;
    case Opcode::F32X4Ge: fcmp(f32x4_, P::FCMP_OGE); return;
    case Opcode::F64X2Eq: fcmp(f64x2_, P::FCMP_OEQ); return;
    case Opcode::F64X2Ne: fcmp(f64x2_, P::FCMP_UNE); return;
    case Opcode::F64X2Lt: fcmp(f64x2_, P::FCMP_OLT); return;
    case Opcode::F64X2Gt: fcmp(f64x2_, P::FCMP_OGT); return;
    case Opcode::F64X2Le: fcmp(f64x2_, P::FCMP_OLE); return;
    case Opcode::F64X2Ge: fcmp(f64x2_, P::FCMP_OGE); return;

    // --- integer arithmetic ---
    case Opcode::I8X16Abs: unary(i8x16_, [&](llvm::Value* x) { return call(I::abs, {i8x16_}, {x, b_.getFalse()}); }); return;
    case Opcode::I16X8Abs: unary(i16x8_, [&](llvm::Value* x) { return call(I::abs, {i16x8_}, {x, b_.getFalse()}); }); return;
    case Opcode::I32X4Abs: unary(i32x4_, [&](llvm::Value* x) { return call(I::abs, {i32x4_}, {x, b_.getFalse()}); }); return;
    case Opcode::I64X2Abs: unary(i64x2_, [&](llvm::Value* x) { return call(I::abs, {i64x2_}, {x, b_.getFalse()}); }); return;
    case Opcode::I8X16Neg: unary(i8x16_, [&](llvm::Value* x) { return b_.CreateNeg(x); }); return;
    case Opcode::I16X8Neg: unary(i16x8_, [&](llvm::Value* x) { return b_.CreateNeg(x); }); return;
    case Opcode::I32X4Neg: unary(i32x4_, [&](llvm::Value* x) { return b_.CreateNeg(x); }); return;
    case Opcode::I64X2Neg: unary(i64x2_, [&](llvm::Value* x) { return b_.CreateNeg(x); }); return;
    case Opcode::I8X16Popcnt: unary(i8x16_, [&](llvm::Value* x) { return call(I::ctpop, {i8x16_}, {x}); }); return;
    case Opcode::I8X16AllTrue: all_true(i8x16_); return;
    case Opcode::I16X8AllTrue: all_true(i16x8_); return;
    case Opcode::I32X4AllTrue: all_true(i32x4_); return;
    case Opcode::I64X2AllTrue: all_true(i64x2_); return;
    case Opcode::I8X16Bitmask: bitmask(i8x16_); return;
    case Opcode::I16X8Bitmask: bitmask(i16x8_); return;
    case Opcode::I32X4Bitmask: bitmask(i32x4_); return;
    case Opcode::I64X2Bitmask: bitmask(i64x2_); return;
    case Opcode::I8X16NarrowI16X8S: narrow(i16x8_, true); return;
    case Opcode::I8X16NarrowI16X8U: narrow(i16x8_, false); return;
    case Opcode::I16X8NarrowI32X4S: narrow(i32x4_, true); return;
    case Opcode::I16X8NarrowI32X4U: narrow(i32x4_, false); return;
    case Opcode::I16X8ExtendLowI8X16S: extend_half(i8x16_, false, true); return;
    case Opcode::I16X8ExtendHighI8X16S: extend_half(i8x16_, true, true); return;
    case Opcode::I16X8ExtendLowI8X16U: extend_half(i8x16_, false, false); return;
    case Opcode::I16X8ExtendHighI8X16U: extend_half(i8x16_, true, false); return;
    case Opcode::I32X4ExtendLowI16X8S: extend_half(i16x8_, false, true); return;
    case Opcode::I32X4ExtendHighI16X8S: extend_half(i16x8_, true, true); return;
    case Opcode::I32X4ExtendLowI16X8U: extend_half(i16x8_, false, false); return;
    case Opcode::I32X4ExtendHighI16X8U: extend_half(i16x8_, true, false); return;
    case Opcode::I64X2ExtendLowI32X4S: extend_half(i32x4_, false, true); return;
    case Opcode::I64X2ExtendHighI32X4S: extend_half(i32x4_, true, true); return;
    case Opcode::I64X2ExtendLowI32X4U: extend_half(i32x4_, false, false); return;
    case Opcode::I64X2ExtendHighI32X4U: extend_half(i32x4_, true, false); return;
    case Opcode::I8X16Shl: shift(i8x16_, Instruction::Shl); return;
    case Opcode::I8X16ShrS: shift(i8x16_, Instruction::AShr); return;
    case Opcode::I8X16ShrU: shift(i8x16_, Instruction::LShr); return;
    case Opcode::I16X8Shl: shift(i16x8_, Instruction::Shl); return;
    case Opcode::I16X8ShrS: shift(i16x8_, Instruction::AShr); return;
    case Opcode::I16X8ShrU: shift(i16x8_, Instruction::LShr); return;
    case Opcode::I32X4Shl: shift(i32x4_, Instruction::Shl); return;
    case Opcode::I32X4ShrS: shift(i32x4_, Instruction::AShr); return;
    case Opcode::I32X4ShrU: shift(i32x4_, Instruction::LShr); return;
    case Opcode::I64X2Shl: shift(i64x2_, Instruction::Shl); return;
    case Opcode::I64X2ShrS: shift(i64x2_, Instruction::AShr); return;
    case Opcode::I64X2ShrU: shift(i64x2_, Instruction::LShr); return;
    case Opcode::I8X16Add: binary(i8x16_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateAdd(x, y); }); return;
    case Opcode::I16X8Add: binary(i16x8_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateAdd(x, y); }); return;
    case Opcode::I32X4Add: binary(i32x4_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateAdd(x, y); }); return;
    case Opcode::I64X2Add: binary(i64x2_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateAdd(x, y); }); return;
    case Opcode::I8X16Sub: binary(i8x16_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateSub(x, y); }); return;
    case Opcode::I16X8Sub: binary(i16x8_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateSub(x, y); }); return;
    case Opcode::I32X4Sub: binary(i32x4_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateSub(x, y); }); return;
    case Opcode::I64X2Sub: binary(i64x2_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateSub(x, y); }); return;
    case Opcode::I16X8Mul: binary(i16x8_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateMul(x, y); }); return;
    case Opcode::I32X4Mul: binary(i32x4_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateMul(x, y); }); return;
    case Opcode::I64X2Mul: binary(i64x2_, [&](llvm::Value* x, llvm::Value* y) { return b_.CreateMul(x, y); }); return;
    case Opcode::I8X16AddSatS: int_intrinsic(i8x16_, I::sadd_sat); return;
    case Opcode::I8X16AddSatU: int_intrinsic(i8x16_, I::uadd_sat); return;
    case Opcode::I8X16SubSatS: int_intrinsic(i8x16_, I::ssub_sat); return;
    case Opcode::I8X16SubSatU: int_intrinsic(i8x16_, I::usub_sat); return;
    case Opcode::I16X8AddSatS: int_intrinsic(i16x8_, I::sadd_sat); return;
    case Opcode::I16X8AddSatU: int_intrinsic(i16x8_, I::uadd_sat); return;
    case Opcode::I16X8SubSatS: int_intrinsic(i16x8_, I::ssub_sat); return;
    case Opcode::I16X8SubSatU: int_intrinsic(i16x8_, I::usub_sat); return;
    case Opcode::I8X16MinS: int_intrinsic(i8x16_, I::smin); return;
    case Opcode::I8X16MinU: int_intrinsic(i8x16_, I::umin); return;
    case Opcode::I8X16MaxS: int_intrinsic(i8x16_, I::smax); return;
    case Opcode::I8X16MaxU: int_intrinsic(i8x16_, I::umax); return;
    case Opcode::I16X8MinS: int_intrinsic(i16x8_, I::smin); return;
    case Opcode::I16X8MinU: int_intrinsic(i16x8_, I::umin); return;
    case Opcode::I16X8MaxS: int_intrinsic(i16x8_, I::smax); return;
    case Opcode::I16X8MaxU: int_intrinsic(i16x8_, I::umax); return;
    case Opcode::I32X4MinS: int_intrinsic(i32x4_, I::smin); return;
    case Opcode::I32X4MinU: int_intrinsic(i32x4_, I::umin); return;
    case Opcode::I32X4MaxS: int_intrinsic(i32x4_, I::smax); return;
    case Opcode::I32X4MaxU: int_intrinsic(i32x4_, I::umax); return;
    case Opcode::I8X16AvgrU: avgr_u(i8x16_); return;
    case Opcode::I16X8AvgrU: avgr_u(i16x8_); return;
    case Opcode::I16X8Q15mulrSatS:
    case Opcode::I16X8RelaxedQ15mulrS: q15mulr_sat(); return;
    case Opcode::I16X8ExtaddPairwiseI8X16S: extadd_pairwise(i8x16_, true); return;
    case Opcode::I16X8ExtaddPairwiseI8X16U: extadd_pairwise(i8x16_, false); return;
    case Opcode::I32X4ExtaddPairwiseI16X8S: extadd_pairwise(i16x8_, true); return;
    case Opcode::I32X4ExtaddPairwiseI16X8U: extadd_pairwise(i16x8_, false); return;
    case Opcode::I16X8ExtmulLowI8X16S: extmul(i8x16_, false, true); return;
    case Opcode::I16X8ExtmulHighI8X16S: extmul(i8x16_, true, true); return;
    case Opcode::I16X8ExtmulLowI8X16U: extmul(i8x16_, false, false); return;
    case Opcode::I16X8ExtmulHighI8X16U: extmul(i8x16_, true, false); return;
    case Opcode::I32X4ExtmulLowI16X8S: extmul(i16x8_, false, true); return;
    case Opcode::I32X4ExtmulHighI16X8S: extmul(i16x8_, true, true); return;
    case Opcode::I32X4ExtmulLowI16X8U: extmul(i16x8_, false, false); return;
    case Opcode::I32X4ExtmulHighI16X8U: extmul(i16x8_, true, false); return;
    case Opcode::I64X2ExtmulLowI32X4S: extmul(i32x4_, false, true); return;
    case Opcode::I64X2ExtmulHighI32X4S: extmul(i32x4_, true, true); return;
    case Opcode::I64X2ExtmulLowI32X4U: extmul(i32x4_, false, false); return;
    case Opcode::I64X2ExtmulHighI32X4U: extmul(i32x4_, true, false); return;
    case Opcode::I32X4DotI16X8S:
      binary(i16x8_, [&](llvm::Value* x, llvm::Value* y) {
        VT wide = widen(i16x8_, 32);
        return pairwise_sum(b_.CreateMul(b_.CreateSExt(x, wide), b_.CreateSExt(y, wide)));
      });
      return;
    case Opcode::I16X8DotI8X16I7X16S:
      binary(i8x16_, [&](llvm::Value* x, llvm::Value* y) { return dot_i8_pairs(x, y); });
      return;
    case Opcode::I32X4DotI8X16I7X16AddS: {
      llvm::Value* c = pop(i32x4_);
      llvm::Value* y = pop(i8x16_);
      llvm::Value* x = pop(i8x16_);
      llvm::Value* pairs = b_.CreateSExt(dot_i8_pairs(x, y), widen(i16x8_, 32));
      push(b_.CreateAdd(pairwise_sum(pairs), c));
      return;
    }

    // --- float arithmetic ---
    case Opcode::F32X4Add: float_binary(f32x4_, Instruction::FAdd); return;
    case Opcode::F32X4Sub: float_binary(f32x4_, Instruction::FSub); return;
    case Opcode::F32X4Mul: float_binary(f32x4_, Instruction::FMul); return;
    case Opcode::F32X4Div: float_binary(f32x4_, Instruction::FDiv); return;
    case Opcode::F64X2Add: float_binary(f64x2_, Instruction::FAdd); return;
    case Opcode::F64X2Sub: float_binary(f64x2_, Instruction::FSub); return;
    case Opcode::F64X2Mul: float_binary(f64x2_, Instruction::FMul); return;
    case Opcode::F64X2Div: float_binary(f64x2_, Instruction::FDiv); return;
    case Opcode::F32X4Min:
    case Opcode::F32X4RelaxedMin: min_max(f32x4_, I::minimum); return;
    case Opcode::F32X4Max:
    case Opcode::F32X4RelaxedMax: min_max(f32x4_, I::maximum); return;
    case Opcode::F64X2Min:
    case Opcode::F64X2RelaxedMin: min_max(f64x2_, I::minimum); return;
    case Opcode::F64X2Max:
    case Opcode::F64X2RelaxedMax: min_max(f64x2_, I::maximum); return;
    case Opcode::F32X4PMin: pseudo_min_max(f32x4_, false); return;
    case Opcode::F32X4PMax: pseudo_min_max(f32x4_, true); return;
    case Opcode::F64X2PMin: pseudo_min_max(f64x2_, false); return;
    case Opcode::F64X2PMax: pseudo_min_max(f64x2_, true); return;
    // abs and neg are sign-bit operations: no quieting, constant or not.
    case Opcode::F32X4Abs: unary(f32x4_, [&](llvm::Value* x) { return call(I::fabs, {f32x4_}, {x}); }); return;
    case Opcode::F64X2Abs: unary(f64x2_, [&](llvm::Value* x) { return call(I::fabs, {f64x2_}, {x}); }); return;
    case Opcode::F32X4Neg: unary(f32x4_, [&](llvm::Value* x) { return b_.CreateFNeg(x); }); return;
    case Opcode::F64X2Neg: unary(f64x2_, [&](llvm::Value* x) { return b_.CreateFNeg(x); }); return;
    case Opcode::F32X4Sqrt: float_unary(f32x4_, I::sqrt); return;
    case Opcode::F64X2Sqrt: float_unary(f64x2_, I::sqrt); return;
    case Opcode::F32X4Ceil: float_unary(f32x4_, I::ceil); return;
    case Opcode::F32X4Floor: float_unary(f32x4_, I::floor); return;
    case Opcode::F32X4Trunc: float_unary(f32x4_, I::trunc); return;
    case Opcode::F32X4Nearest: float_unary(f32x4_, I::roundeven); return;
    case Opcode::F64X2Ceil: float_unary(f64x2_, I::ceil); return;
    case Opcode::F64X2Floor: float_unary(f64x2_, I::floor); return;
    case Opcode::F64X2Trunc: float_unary(f64x2_, I::trunc); return;
    case Opcode::F64X2Nearest: float_unary(f64x2_, I::roundeven); return;
    case Opcode::F32X4RelaxedMadd: madd(f32x4_, false); return;
    case Opcode::F32X4RelaxedNmadd: madd(f32x4_, true); return;
    case Opcode::F64X2RelaxedMadd: madd(f64x2_, false); return;
    case Opcode::F64X2RelaxedNmadd: madd(f64x2_, true); return;

    // --- conversions ---
    case Opcode::I32X4TruncSatF32X4S:
    case Opcode::I32X4RelaxedTruncF32X4S: trunc_sat(f32x4_, true); return;
    case Opcode::I32X4TruncSatF32X4U:
    case Opcode::I32X4RelaxedTruncF32X4U: trunc_sat(f32x4_, false); return;
    case Opcode::I32X4TruncSatF64X2SZero:
    case Opcode::I32X4RelaxedTruncF64X2SZero: trunc_sat(f64x2_, true); return;
    case Opcode::I32X4TruncSatF64X2UZero:
    case Opcode::I32X4RelaxedTruncF64X2UZero: trunc_sat(f64x2_, false); return;
    case Opcode::F32X4ConvertI32X4S: unary(i32x4_, [&](llvm::Value* x) { return b_.CreateSIToFP(x, f32x4_); }); return;
    case Opcode::F32X4ConvertI32X4U: unary(i32x4_, [&](llvm::Value* x) { return b_.CreateUIToFP(x, f32x4_); }); return;
    case Opcode::F64X2ConvertLowI32X4S:
      unary(i32x4_, [&](llvm::Value* x) { return b_.CreateSIToFP(lanes(x, 0, 2), f64x2_); });
      return;
    case Opcode::F64X2ConvertLowI32X4U:
      unary(i32x4_, [&](llvm::Value* x) { return b_.CreateUIToFP(lanes(x, 0, 2), f64x2_); });
      return;
    // Quieted always: LLVM folds demote(promote(x)) and constant sNaNs.
    case Opcode::F32X4DemoteF64X2Zero:
      unary(f64x2_, [&](llvm::Value* x) {
        llvm::Value* two = quiet(b_.CreateFPTrunc(x, llvm::FixedVectorType::get(b_.getFloatTy(), 2)));
        return concat(two, llvm::Constant::getNullValue(two->getType()));
      });
      return;
    case Opcode::F64X2PromoteLowF32X4:
      unary(f32x4_, [&](llvm::Value* x) { return quiet(b_.CreateFPExt(lanes(x, 0, 2), f64x2_)); });
      return;

    default:
      fail("%s: SIMD instruction %s is not supported by the llvm backend", fc_.mc.options().module_name.c_str(),
           op.GetName());
  }
}

bool is_simd(Opcode op) { return op.GetPrefix() == 0xfd; }

Opcode opcode_of(const wabt::Expr& e) {
  switch (e.type()) {
    case wabt::ExprType::Unary: return wabt::cast<wabt::UnaryExpr>(&e)->opcode;
    case wabt::ExprType::Binary: return wabt::cast<wabt::BinaryExpr>(&e)->opcode;
    case wabt::ExprType::Compare: return wabt::cast<wabt::CompareExpr>(&e)->opcode;
    case wabt::ExprType::Convert: return wabt::cast<wabt::ConvertExpr>(&e)->opcode;
    default: return wabt::cast<wabt::TernaryExpr>(&e)->opcode;
  }
}

}  // namespace

bool FunctionCodegen::emit_simd(const wabt::Expr& e) {
  using wabt::ExprType;
  using wabt::cast;
  SimdEmitter simd(*this);
  switch (e.type()) {
    case ExprType::Const: {
      const wabt::Const& c = cast<wabt::ConstExpr>(&e)->const_;
      if (c.type() != wabt::Type::V128) return false;
      simd.constant(c);
      return true;
    }
    case ExprType::Load: {
      auto* load = cast<wabt::LoadExpr>(&e);
      if (!is_simd(load->opcode)) return false;
      simd.load(load->opcode, load->offset);
      return true;
    }
    case ExprType::Store: {
      auto* store = cast<wabt::StoreExpr>(&e);
      if (!is_simd(store->opcode)) return false;
      simd.store(store->offset);
      return true;
    }
    case ExprType::LoadSplat: {
      auto* load = cast<wabt::LoadSplatExpr>(&e);
      simd.load_splat(load->opcode, load->offset);
      return true;
    }
    case ExprType::LoadZero: {
      auto* load = cast<wabt::LoadZeroExpr>(&e);
      simd.load_zero(load->opcode, load->offset);
      return true;
    }
    case ExprType::SimdLoadLane: {
      auto* load = cast<wabt::SimdLoadLaneExpr>(&e);
      simd.load_lane(load->opcode, load->offset, static_cast<unsigned>(load->val));
      return true;
    }
    case ExprType::SimdStoreLane: {
      auto* store = cast<wabt::SimdStoreLaneExpr>(&e);
      simd.store_lane(store->opcode, store->offset, static_cast<unsigned>(store->val));
      return true;
    }
    case ExprType::SimdLaneOp: {
      auto* lane = cast<wabt::SimdLaneOpExpr>(&e);
      simd.lane_op(lane->opcode, static_cast<unsigned>(lane->val));
      return true;
    }
    case ExprType::SimdShuffleOp: simd.shuffle(cast<wabt::SimdShuffleOpExpr>(&e)->val); return true;
    case ExprType::Unary:
    case ExprType::Binary:
    case ExprType::Compare:
    case ExprType::Convert:
    case ExprType::Ternary: {
      wabt::Opcode op = opcode_of(e);
      if (!is_simd(op)) return false;
      simd.op(op);
      return true;
    }
    default: return false;
  }
}

}  // namespace wasixc::aot::llvmgen
