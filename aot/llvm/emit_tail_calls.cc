// The tail-call proposal: return_call and return_call_indirect.
//
// In a module that has them, every wasm function and every call through a
// funcref uses LLVM's tailcc (ModuleCodegen::guest_cc(), codegen.h), under
// which a musttail call is a jump
// whatever the two parameter lists are: the frame of the caller is gone
// before the callee runs, so a chain of return_calls of any length runs in
// constant stack, as the proposal requires ("the current frame is
// unwound"). Host functions (syscalls) take the C convention; a return_call
// to one is an ordinary call followed by a return, which cannot grow the
// stack either since the host function returns.
#include "aot/diagnostics.h"
#include "aot/llvm/expr_walk.h"
#include "aot/llvm/function_codegen.h"
#include "wabt/cast.h"

namespace wasixc::aot::llvmgen {

void FunctionCodegen::emit_return_call(const wabt::Expr& e) {
  if (e.type() == wabt::ExprType::ReturnCall) {
    uint32_t index = mc.wasm().GetFuncIndex(wabt::cast<wabt::ReturnCallExpr>(&e)->var);
    // A setjmp helper must run in this frame (its checkpoint names it), so
    // it is an ordinary call: the frame the checkpoint names stays alive.
    bool keep_frame = mc.is_checkpoint_helper(index);
    tail_position_ = !keep_frame;
    emit_direct_call(index);
    tail_position_ = false;
    if (keep_frame && !terminated()) emit_return();
    return;
  }
  const auto& r = *wabt::cast<wabt::ReturnCallIndirectExpr>(&e);
  wabt::CallIndirectExpr as_call(r.loc);
  as_call.decl = r.decl;
  as_call.table = r.table;
  tail_position_ = true;
  emit_call_indirect(as_call);
  tail_position_ = false;
}

bool ModuleCodegen::find_tail_call_use() const {
  // Every body's, not only this partition's (body_facts.h): all partitions
  // must agree on the convention.
  return facts_->any_tail_call();
}

// A syscall in a funcref record (a table, an export, call_indirect) is
// called with the guest convention like any funcref: this internal
// function of that convention calls the C function.
llvm::Function* ModuleCodegen::emit_syscall_adapter(uint32_t index) {
  llvm::Function* sys = syscall_for(index);
  llvm::Function* adapter = llvm::Function::Create(function_type(wasm_->funcs[index]->decl.sig),
                                                   llvm::Function::InternalLinkage,
                                                   sys->getName() + ".funcref", *module_);
  adapter->setCallingConv(guest_cc_);
  adapter->setSection(WASIXC_CODE_SECTION);
  adapter->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", adapter));
  std::vector<llvm::Value*> args;
  for (llvm::Argument& a : adapter->args()) args.push_back(&a);
  llvm::CallInst* call = b.CreateCall(sys, args);
  if (adapter->getReturnType()->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(call);
  return adapter;
}

}  // namespace wasixc::aot::llvmgen
