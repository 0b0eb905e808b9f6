// Numeric instructions: constants, unary, binary, comparisons and
// conversions, with wasm's exact semantics (traps on integer division by
// zero / overflow and on out-of-range float-to-int truncation; IEEE
// min/max with NaN propagation and -0 < +0; round-half-even `nearest`).
#include "aot/diagnostics.h"
#include "aot/llvm/function_codegen.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Intrinsics.h"

namespace wasixc::aot::llvmgen {

using wabt::Opcode;

void FunctionCodegen::emit_const(const wabt::ConstExpr& e) {
  const wabt::Const& c = e.const_;
  switch (c.type()) {
    case wabt::Type::I32: push(i32(c.u32())); break;
    case wabt::Type::I64: push(i64(c.u64())); break;
    // Floats by bit pattern: NaN payloads must survive.
    case wabt::Type::F32:
      push(llvm::ConstantFP::get(mc.ctx(), llvm::APFloat(llvm::APFloat::IEEEsingle(),
                                                         llvm::APInt(32, c.f32_bits()))));
      break;
    case wabt::Type::F64:
      push(llvm::ConstantFP::get(mc.ctx(), llvm::APFloat(llvm::APFloat::IEEEdouble(),
                                                         llvm::APInt(64, c.f64_bits()))));
      break;
    default: fail("%s: unsupported constant type", mc.options().module_name.c_str());
  }
}

void FunctionCodegen::emit_unary(Opcode op) {
  llvm::Value* x = pop();
  llvm::Type* t = x->getType();
  switch (op) {
    case Opcode::I32Eqz:
    case Opcode::I64Eqz: push(to_i32(b.CreateICmpEQ(x, llvm::Constant::getNullValue(t)))); return;
    case Opcode::I32Clz:
    case Opcode::I64Clz: push(b.CreateCall(intrinsic(llvm::Intrinsic::ctlz, {t}), {x, b.getFalse()})); return;
    case Opcode::I32Ctz:
    case Opcode::I64Ctz: push(b.CreateCall(intrinsic(llvm::Intrinsic::cttz, {t}), {x, b.getFalse()})); return;
    case Opcode::I32Popcnt:
    case Opcode::I64Popcnt: push(b.CreateCall(intrinsic(llvm::Intrinsic::ctpop, {t}), {x})); return;
    case Opcode::I32Extend8S: push(b.CreateSExt(b.CreateTrunc(x, b.getInt8Ty()), t)); return;
    case Opcode::I32Extend16S: push(b.CreateSExt(b.CreateTrunc(x, b.getInt16Ty()), t)); return;
    case Opcode::I64Extend8S: push(b.CreateSExt(b.CreateTrunc(x, b.getInt8Ty()), t)); return;
    case Opcode::I64Extend16S: push(b.CreateSExt(b.CreateTrunc(x, b.getInt16Ty()), t)); return;
    case Opcode::I64Extend32S: push(b.CreateSExt(b.CreateTrunc(x, b.getInt32Ty()), t)); return;
    case Opcode::F32Neg:
    case Opcode::F64Neg: push(b.CreateFNeg(x)); return;
    case Opcode::F32Abs:
    case Opcode::F64Abs: push(b.CreateCall(intrinsic(llvm::Intrinsic::fabs, {t}), {x})); return;
    case Opcode::F32Sqrt:
    case Opcode::F64Sqrt: push(b.CreateCall(intrinsic(llvm::Intrinsic::sqrt, {t}), {x})); return;
    case Opcode::F32Ceil:
    case Opcode::F64Ceil: push(b.CreateCall(intrinsic(llvm::Intrinsic::ceil, {t}), {x})); return;
    case Opcode::F32Floor:
    case Opcode::F64Floor: push(b.CreateCall(intrinsic(llvm::Intrinsic::floor, {t}), {x})); return;
    case Opcode::F32Trunc:
    case Opcode::F64Trunc: push(b.CreateCall(intrinsic(llvm::Intrinsic::trunc, {t}), {x})); return;
    case Opcode::F32Nearest:
    case Opcode::F64Nearest: push(b.CreateCall(intrinsic(llvm::Intrinsic::roundeven, {t}), {x})); return;
    default:
      fail("%s: unary operator %s is not supported", mc.options().module_name.c_str(), op.GetName());
  }
}

// x86 lowers llvm.minimum/maximum so that a signalling NaN operand comes
// back unchanged, and LLVM folds identities (x - 0, x * 1, fptrunc(fpext
// x)) into moves; wasm wants a quiet ("arithmetic") NaN from each. The
// quiet bit is set on the integer bit pattern: LLVM treats all NaNs as
// equal, so a floating-point select would be folded away, and
// llvm.canonicalize cannot be selected on x86 in LLVM 19.
llvm::Value* FunctionCodegen::quiet_nan(llvm::Value* v) {
  llvm::Type* ft = v->getType();
  unsigned bits = ft->getPrimitiveSizeInBits();
  llvm::Type* it = b.getIntNTy(bits);
  llvm::Value* quiet_bit = llvm::ConstantInt::get(it, llvm::APInt::getOneBitSet(bits, ft->isFloatTy() ? 22 : 51));
  llvm::Value* pattern = b.CreateBitCast(v, it);
  llvm::Value* quieted = b.CreateOr(pattern, b.CreateSelect(b.CreateFCmpUNO(v, v), quiet_bit,
                                                            llvm::ConstantInt::get(it, 0)));
  return b.CreateBitCast(quieted, ft);
}

// Only the constants LLVM folds into "x" or "-x" need the quieting (it
// costs two moves between register files, a compare and an or): ±0 for
// add/sub, ±1 for mul/div, and NaN (folded to a constant NaN).
static bool may_fold_to_operand(llvm::Value* v) {
  auto* c = llvm::dyn_cast<llvm::ConstantFP>(v);
  if (!c) return llvm::isa<llvm::Constant>(v);  // constant expressions: stay safe
  return c->isZero() || c->isNaN() || c->isExactlyValue(1.0) || c->isExactlyValue(-1.0);
}

llvm::Value* FunctionCodegen::quiet_if_const(llvm::Value* r, llvm::Value* x, llvm::Value* y) {
  return may_fold_to_operand(x) || may_fold_to_operand(y) ? quiet_nan(r) : r;
}

void FunctionCodegen::emit_binary(Opcode op) {
  llvm::Value* y = pop();
  llvm::Value* x = pop();
  llvm::Type* t = x->getType();
  unsigned bits = t->isIntegerTy() ? t->getIntegerBitWidth() : 0;
  auto shift_count = [&] { return b.CreateAnd(y, llvm::ConstantInt::get(t, bits - 1)); };
  auto zero = [&] { return llvm::ConstantInt::get(t, 0); };
  switch (op) {
    case Opcode::I32Add: case Opcode::I64Add: push(b.CreateAdd(x, y)); return;
    case Opcode::I32Sub: case Opcode::I64Sub: push(b.CreateSub(x, y)); return;
    case Opcode::I32Mul: case Opcode::I64Mul: push(b.CreateMul(x, y)); return;
    case Opcode::I32And: case Opcode::I64And: push(b.CreateAnd(x, y)); return;
    case Opcode::I32Or: case Opcode::I64Or: push(b.CreateOr(x, y)); return;
    case Opcode::I32Xor: case Opcode::I64Xor: push(b.CreateXor(x, y)); return;
    // Shift counts are taken modulo the width (wasm), not UB (LLVM).
    case Opcode::I32Shl: case Opcode::I64Shl: push(b.CreateShl(x, shift_count())); return;
    case Opcode::I32ShrS: case Opcode::I64ShrS: push(b.CreateAShr(x, shift_count())); return;
    case Opcode::I32ShrU: case Opcode::I64ShrU: push(b.CreateLShr(x, shift_count())); return;
    case Opcode::I32Rotl: case Opcode::I64Rotl:
      push(b.CreateCall(intrinsic(llvm::Intrinsic::fshl, {t}), {x, x, y}));
      return;
    case Opcode::I32Rotr: case Opcode::I64Rotr:
      push(b.CreateCall(intrinsic(llvm::Intrinsic::fshr, {t}), {x, x, y}));
      return;
    case Opcode::I32DivS: case Opcode::I64DivS: {
      trap_if(b.CreateICmpEQ(y, zero()), WASIXC_TRAP_INT_DIV_ZERO);
      llvm::Value* min = llvm::ConstantInt::get(t, llvm::APInt::getSignedMinValue(bits));
      trap_if(b.CreateAnd(b.CreateICmpEQ(x, min), b.CreateICmpEQ(y, llvm::ConstantInt::getSigned(t, -1))),
              WASIXC_TRAP_INT_OVERFLOW);
      push(b.CreateSDiv(x, y));
      return;
    }
    case Opcode::I32DivU: case Opcode::I64DivU:
      trap_if(b.CreateICmpEQ(y, zero()), WASIXC_TRAP_INT_DIV_ZERO);
      push(b.CreateUDiv(x, y));
      return;
    case Opcode::I32RemS: case Opcode::I64RemS: {
      trap_if(b.CreateICmpEQ(y, zero()), WASIXC_TRAP_INT_DIV_ZERO);
      // INT_MIN % -1 is 0 in wasm but overflows in LLVM: divide by 1 instead.
      llvm::Value* minus_one = b.CreateICmpEQ(y, llvm::ConstantInt::getSigned(t, -1));
      llvm::Value* divisor = b.CreateSelect(minus_one, llvm::ConstantInt::get(t, 1), y);
      push(b.CreateSRem(x, divisor));
      return;
    }
    case Opcode::I32RemU: case Opcode::I64RemU:
      trap_if(b.CreateICmpEQ(y, zero()), WASIXC_TRAP_INT_DIV_ZERO);
      push(b.CreateURem(x, y));
      return;
    // With an identity operand LLVM folds (x - 0, x * 1, x / 1, -0 - x) to
    // x or -x, which passes a signalling NaN through unquieted.
    case Opcode::F32Add: case Opcode::F64Add: push(quiet_if_const(b.CreateFAdd(x, y), x, y)); return;
    case Opcode::F32Sub: case Opcode::F64Sub: push(quiet_if_const(b.CreateFSub(x, y), x, y)); return;
    case Opcode::F32Mul: case Opcode::F64Mul: push(quiet_if_const(b.CreateFMul(x, y), x, y)); return;
    case Opcode::F32Div: case Opcode::F64Div: push(quiet_if_const(b.CreateFDiv(x, y), x, y)); return;
    case Opcode::F32Min: case Opcode::F64Min:
      push(quiet_nan(b.CreateCall(intrinsic(llvm::Intrinsic::minimum, {t}), {x, y})));
      return;
    case Opcode::F32Max: case Opcode::F64Max:
      push(quiet_nan(b.CreateCall(intrinsic(llvm::Intrinsic::maximum, {t}), {x, y})));
      return;
    case Opcode::F32Copysign: case Opcode::F64Copysign:
      push(b.CreateCall(intrinsic(llvm::Intrinsic::copysign, {t}), {x, y}));
      return;
    default:
      fail("%s: binary operator %s is not supported", mc.options().module_name.c_str(), op.GetName());
  }
}

void FunctionCodegen::emit_compare(Opcode op) {
  llvm::Value* y = pop();
  llvm::Value* x = pop();
  llvm::Value* r;
  switch (op) {
    case Opcode::I32Eq: case Opcode::I64Eq: r = b.CreateICmpEQ(x, y); break;
    case Opcode::I32Ne: case Opcode::I64Ne: r = b.CreateICmpNE(x, y); break;
    case Opcode::I32LtS: case Opcode::I64LtS: r = b.CreateICmpSLT(x, y); break;
    case Opcode::I32LtU: case Opcode::I64LtU: r = b.CreateICmpULT(x, y); break;
    case Opcode::I32GtS: case Opcode::I64GtS: r = b.CreateICmpSGT(x, y); break;
    case Opcode::I32GtU: case Opcode::I64GtU: r = b.CreateICmpUGT(x, y); break;
    case Opcode::I32LeS: case Opcode::I64LeS: r = b.CreateICmpSLE(x, y); break;
    case Opcode::I32LeU: case Opcode::I64LeU: r = b.CreateICmpULE(x, y); break;
    case Opcode::I32GeS: case Opcode::I64GeS: r = b.CreateICmpSGE(x, y); break;
    case Opcode::I32GeU: case Opcode::I64GeU: r = b.CreateICmpUGE(x, y); break;
    // Ordered comparisons are false on NaN; `ne` is true on NaN.
    case Opcode::F32Eq: case Opcode::F64Eq: r = b.CreateFCmpOEQ(x, y); break;
    case Opcode::F32Ne: case Opcode::F64Ne: r = b.CreateFCmpUNE(x, y); break;
    case Opcode::F32Lt: case Opcode::F64Lt: r = b.CreateFCmpOLT(x, y); break;
    case Opcode::F32Gt: case Opcode::F64Gt: r = b.CreateFCmpOGT(x, y); break;
    case Opcode::F32Le: case Opcode::F64Le: r = b.CreateFCmpOLE(x, y); break;
    case Opcode::F32Ge: case Opcode::F64Ge: r = b.CreateFCmpOGE(x, y); break;
    default:
      fail("%s: comparison %s is not supported", mc.options().module_name.c_str(), op.GetName());
  }
  push(to_i32(r));
}

namespace {

struct TruncRange {
  double low, high;  // valid iff low < x < high (exclusive bounds)
};

// The open interval of floats that truncate into the target integer type.
TruncRange trunc_range(bool is_signed, unsigned bits) {
  if (bits == 32)
    return is_signed ? TruncRange{-2147483649.0, 2147483648.0} : TruncRange{-1.0, 4294967296.0};
  return is_signed ? TruncRange{-9223372036854777856.0, 9223372036854775808.0}
                   : TruncRange{-1.0, 18446744073709551616.0};
}

}  // namespace

void FunctionCodegen::emit_convert(Opcode op) {
  if (op == Opcode::I32Eqz || op == Opcode::I64Eqz) return emit_unary(op);  // wabt files eqz here
  llvm::Value* x = pop();
  llvm::Type* f32 = b.getFloatTy();
  llvm::Type* f64 = b.getDoubleTy();
  auto trapping_trunc = [&](llvm::Type* to, bool is_signed) {
    trap_if(b.CreateFCmpUNO(x, x), WASIXC_TRAP_INVALID_CONVERSION);
    TruncRange r = trunc_range(is_signed, to->getIntegerBitWidth());
    llvm::Type* ft = x->getType();
    // For f32 the signed lower bound -2^31-1 / -2^63-ε is not representable:
    // compare against -2^31 / -2^63 inclusively instead.
    llvm::Value* low_ok;
    if (is_signed && (ft->isFloatTy() || to->getIntegerBitWidth() == 64)) {
      double low = to->getIntegerBitWidth() == 32 ? -2147483648.0 : -9223372036854775808.0;
      low_ok = b.CreateFCmpOGE(x, llvm::ConstantFP::get(ft, low));
    } else {
      low_ok = b.CreateFCmpOGT(x, llvm::ConstantFP::get(ft, r.low));
    }
    llvm::Value* high_ok = b.CreateFCmpOLT(x, llvm::ConstantFP::get(ft, r.high));
    trap_if(b.CreateNot(b.CreateAnd(low_ok, high_ok)), WASIXC_TRAP_INT_OVERFLOW);
    push(is_signed ? b.CreateFPToSI(x, to) : b.CreateFPToUI(x, to));
  };
  auto saturating = [&](llvm::Type* to, bool is_signed) {
    auto id = is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    push(b.CreateCall(intrinsic(id, {to, x->getType()}), {x}));
  };
  switch (op) {
    case Opcode::I32WrapI64: push(b.CreateTrunc(x, b.getInt32Ty())); return;
    case Opcode::I64ExtendI32S: push(b.CreateSExt(x, b.getInt64Ty())); return;
    case Opcode::I64ExtendI32U: push(b.CreateZExt(x, b.getInt64Ty())); return;
    case Opcode::I32TruncF32S: case Opcode::I32TruncF64S: trapping_trunc(b.getInt32Ty(), true); return;
    case Opcode::I32TruncF32U: case Opcode::I32TruncF64U: trapping_trunc(b.getInt32Ty(), false); return;
    case Opcode::I64TruncF32S: case Opcode::I64TruncF64S: trapping_trunc(b.getInt64Ty(), true); return;
    case Opcode::I64TruncF32U: case Opcode::I64TruncF64U: trapping_trunc(b.getInt64Ty(), false); return;
    case Opcode::I32TruncSatF32S: case Opcode::I32TruncSatF64S: saturating(b.getInt32Ty(), true); return;
    case Opcode::I32TruncSatF32U: case Opcode::I32TruncSatF64U: saturating(b.getInt32Ty(), false); return;
    case Opcode::I64TruncSatF32S: case Opcode::I64TruncSatF64S: saturating(b.getInt64Ty(), true); return;
    case Opcode::I64TruncSatF32U: case Opcode::I64TruncSatF64U: saturating(b.getInt64Ty(), false); return;
    case Opcode::F32ConvertI32S: case Opcode::F32ConvertI64S: push(b.CreateSIToFP(x, f32)); return;
    case Opcode::F32ConvertI32U: case Opcode::F32ConvertI64U: push(b.CreateUIToFP(x, f32)); return;
    case Opcode::F64ConvertI32S: case Opcode::F64ConvertI64S: push(b.CreateSIToFP(x, f64)); return;
    case Opcode::F64ConvertI32U: case Opcode::F64ConvertI64U: push(b.CreateUIToFP(x, f64)); return;
    case Opcode::F32DemoteF64: {
      llvm::Value* r = b.CreateFPTrunc(x, f32);
      push(llvm::isa<llvm::FPExtInst>(x) ? quiet_nan(r) : r);  // demote(promote(x)) folds to x
      return;
    }
    case Opcode::F64PromoteF32: push(b.CreateFPExt(x, f64)); return;
    case Opcode::I32ReinterpretF32: push(b.CreateBitCast(x, b.getInt32Ty())); return;
    case Opcode::I64ReinterpretF64: push(b.CreateBitCast(x, b.getInt64Ty())); return;
    case Opcode::F32ReinterpretI32: push(b.CreateBitCast(x, f32)); return;
    case Opcode::F64ReinterpretI64: push(b.CreateBitCast(x, f64)); return;
    default:
      fail("%s: conversion %s is not supported", mc.options().module_name.c_str(), op.GetName());
  }
}

}  // namespace wasixc::aot::llvmgen
