// Safepoint policy: where generated code polls the thread's pending word.
//
// Polls sit at loop headers, at the entry of functions in cycles of direct
// calls and before indirect calls that can recurse (poll_placement.h), so
// a guest that computes without calling the host still reaches one within
// a loop iteration or a turn of a call cycle. It costs a load, a compare and a branch that is
// almost never taken; the call to the runtime is out of line (cold).
// `wasixc --no-safepoints` omits them all.
#include "aot/llvm/function_codegen.h"
#include "llvm/IR/MDBuilder.h"

namespace wasixc::aot::llvmgen {

// WebAssemblyFrameLowering's red zone: leaf functions with frames up to
// this size use memory below __stack_pointer without moving it.
constexpr int kWasmRedZone = 128;

void FunctionCodegen::emit_safepoint(bool indirect_call) {
  llvm::LoadInst* pending =
      b.CreateLoad(b.getInt32Ty(), mc.at(b, inst, WASIXC_CTX_OFFSET_PENDING), "pending");
  // Another thread (the kernel) sets the word: the load must happen every
  // time, so it is volatile.
  pending->setVolatile(true);
  llvm::BasicBlock* slow = llvm::BasicBlock::Create(mc.ctx(), "safepoint", fn);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(mc.ctx(), "safepoint.cont", fn);
  llvm::MDBuilder md(mc.ctx());
  llvm::BranchInst* br =
      b.CreateCondBr(b.CreateICmpNE(pending, i32(0)), slow, cont, md.createBranchWeights(1, 1 << 20));
  if (indirect_call) br->setMetadata(kIndirectCallPoll, llvm::MDNode::get(mc.ctx(), {}));
  b.SetInsertPoint(slow);
  llvm::Function* handler = mc.runtime_function(
      kSafepointFunction, llvm::FunctionType::get(b.getVoidTy(), {mc.ptr()}, false));
  handler->addFnAttr(llvm::Attribute::Cold);
  // preserve_most: the runtime saves the registers it uses, so the rare
  // call does not force the hot path to keep values in callee-saved
  // registers or spill around the poll.
  handler->setCallingConv(llvm::CallingConv::PreserveMost);
  // Handlers start below the interrupted function's red zone.
  int64_t sp = mc.polls().stack_pointer_global();
  llvm::Value* saved_sp = nullptr;
  if (sp >= 0) {
    saved_sp = mc.load_global(b, inst, static_cast<uint32_t>(sp));
    mc.store_global(b, inst, static_cast<uint32_t>(sp), b.CreateSub(saved_sp, i32(kWasmRedZone)));
  }
  b.CreateCall(handler, {inst})->setCallingConv(llvm::CallingConv::PreserveMost);
  if (saved_sp) mc.store_global(b, inst, static_cast<uint32_t>(sp), saved_sp);
  b.CreateBr(cont);
  b.SetInsertPoint(cont);
}

}  // namespace wasixc::aot::llvmgen
