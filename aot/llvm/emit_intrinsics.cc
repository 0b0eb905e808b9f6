// The intrinsics the lowering pass appends (aot/lowering/lowering.h): what
// each computes, as LLVM IR, inline at every call site and as the body of
// the appended function.
//
// Wide arithmetic: an i64 pair (low, high) is one i128; add128/sub128 are
// i128 add/sub (x86-64: add+adc, sub+sbb), mul_wide_s/u one i128 multiply
// of sign/zero-extended operands (one imul/mul giving rdx:rax).
#include "aot/diagnostics.h"
#include "aot/llvm/codegen.h"
#include "wasixc/abi.h"

namespace wasixc::aot::llvmgen {
namespace {

llvm::Value* pair_to_i128(llvm::IRBuilder<>& b, llvm::Value* low, llvm::Value* high) {
  llvm::Type* i128 = b.getInt128Ty();
  return b.CreateOr(b.CreateZExt(low, i128), b.CreateShl(b.CreateZExt(high, i128), 64));
}

std::vector<llvm::Value*> i128_to_pair(llvm::IRBuilder<>& b, llvm::Value* v) {
  return {b.CreateTrunc(v, b.getInt64Ty()), b.CreateTrunc(b.CreateLShr(v, 64), b.getInt64Ty())};
}

}  // namespace

std::vector<llvm::Value*> emit_intrinsic(llvm::IRBuilder<>& b, lowering::Intrinsic kind,
                                         const std::vector<llvm::Value*>& x) {
  using lowering::Intrinsic;
  llvm::Type* i128 = b.getInt128Ty();
  switch (kind) {
    case Intrinsic::kI64Add128:
      return i128_to_pair(b, b.CreateAdd(pair_to_i128(b, x[0], x[1]), pair_to_i128(b, x[2], x[3])));
    case Intrinsic::kI64Sub128:
      return i128_to_pair(b, b.CreateSub(pair_to_i128(b, x[0], x[1]), pair_to_i128(b, x[2], x[3])));
    case Intrinsic::kI64MulWideS:
      return i128_to_pair(b, b.CreateMul(b.CreateSExt(x[0], i128), b.CreateSExt(x[1], i128)));
    case Intrinsic::kI64MulWideU:
      return i128_to_pair(b, b.CreateMul(b.CreateZExt(x[0], i128), b.CreateZExt(x[1], i128)));
    case Intrinsic::kExnCurrent:
    case Intrinsic::kThrowRef:
      break;  // need the function's catch: FunctionCodegen::emit_exnref_intrinsic
  }
  fail("internal error: intrinsic %u has no meaning in the llvm backend", static_cast<unsigned>(kind));
}

void emit_intrinsic_body(ModuleCodegen& mc, lowering::Intrinsic kind, llvm::Function* fn) {
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(mc.ctx(), "entry", fn));
  // The exnref intrinsics need the caller's catch (emit_exceptions.cc):
  // they are only ever inline; the appended functions are unreachable
  // (nothing can name them: no export, table or ref.func).
  if (kind == lowering::Intrinsic::kExnCurrent || kind == lowering::Intrinsic::kThrowRef) {
    llvm::FunctionType* type = llvm::FunctionType::get(b.getVoidTy(), {b.getInt32Ty()}, false);
    b.CreateCall(mc.runtime_function("wasixc_trap", type, true), {b.getInt32(WASIXC_TRAP_UNREACHABLE)});
    b.CreateUnreachable();
    return;
  }
  std::vector<llvm::Value*> operands;
  for (unsigned i = 1; i < fn->arg_size(); ++i) operands.push_back(fn->getArg(i));  // 0 is the instance
  std::vector<llvm::Value*> results = emit_intrinsic(b, kind, operands);
  if (results.empty()) {
    b.CreateRetVoid();
  } else if (results.size() == 1) {
    b.CreateRet(results[0]);
  } else {
    llvm::Value* aggregate = llvm::PoisonValue::get(fn->getReturnType());
    for (unsigned i = 0; i < results.size(); ++i) aggregate = b.CreateInsertValue(aggregate, results[i], {i});
    b.CreateRet(aggregate);
  }
}

}  // namespace wasixc::aot::llvmgen
