// Safepoint policy: where generated code polls the thread's pending word.
//
// Polls sit at loop headers, at the entry of functions in cycles of direct
// calls and before indirect calls that can recurse (poll_placement.h), so
// a guest that computes without calling the host still reaches one within
// a loop iteration or a turn of a call cycle. It costs a load, a compare and a branch that is
// almost never taken; the call to the runtime is out of line (cold).
// `wasixc --no-safepoints` omits them all.
#include "aot/llvm/safepoints.h"

#include "aot/llvm/function_codegen.h"
#include "aot/llvm/poll_placement.h"
#include "llvm/IR/MDBuilder.h"

namespace wasixc::aot::llvmgen {

llvm::Function* safepoint_function(llvm::Module& module) {
  if (llvm::Function* f = module.getFunction(kSafepointFunction)) return f;
  llvm::LLVMContext& ctx = module.getContext();
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {llvm::PointerType::getUnqual(ctx)}, false);
  llvm::Function* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, kSafepointFunction, module);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  f->addFnAttr(llvm::Attribute::Cold);
  // preserve_most: the runtime saves the registers it uses, so the rare
  // call does not force the hot path to keep values in callee-saved
  // registers or spill around the poll.
  f->setCallingConv(llvm::CallingConv::PreserveMost);
  return f;
}

llvm::Value* pending_is_set(llvm::IRBuilder<>& b, llvm::Value* inst) {
  llvm::LoadInst* pending = b.CreateLoad(
      b.getInt32Ty(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), inst, WASIXC_CTX_OFFSET_PENDING), "pending");
  // Another thread (the kernel) sets the word: the load must happen every
  // time, so it is volatile.
  pending->setVolatile(true);
  return b.CreateICmpNE(pending, b.getInt32(0));
}

bool calls_safepoint(const llvm::BasicBlock& bb) {
  for (const llvm::Instruction& i : bb)
    if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i))
      if (const llvm::Function* f = call->getCalledFunction(); f && f->getName() == kSafepointFunction)
        return true;
  return false;
}

void FunctionCodegen::emit_safepoint(bool indirect_call) {
  llvm::BasicBlock* slow = llvm::BasicBlock::Create(mc.ctx(), "safepoint", fn);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(mc.ctx(), "safepoint.cont", fn);
  llvm::MDBuilder md(mc.ctx());
  llvm::BranchInst* br = b.CreateCondBr(pending_is_set(b, inst), slow, cont, md.createBranchWeights(1, 1 << 20));
  if (indirect_call) br->setMetadata(kIndirectCallPoll, llvm::MDNode::get(mc.ctx(), {}));
  b.SetInsertPoint(slow);
  llvm::Function* handler = safepoint_function(mc.mod());
  // Handlers start below the interrupted function's red zone.
  int64_t sp = mc.polls().stack_pointer_global();
  llvm::Value* saved_sp = nullptr;
  if (sp >= 0) {
    saved_sp = mc.load_global(b, inst, static_cast<uint32_t>(sp));
    mc.store_global(b, inst, static_cast<uint32_t>(sp), b.CreateSub(saved_sp, i32(WASIXC_WASM_RED_ZONE)));
  }
  b.CreateCall(handler, {inst})->setCallingConv(llvm::CallingConv::PreserveMost);
  if (saved_sp) mc.store_global(b, inst, static_cast<uint32_t>(sp), saved_sp);
  b.CreateBr(cont);
  b.SetInsertPoint(cont);
}

}  // namespace wasixc::aot::llvmgen
