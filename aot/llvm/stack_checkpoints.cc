#include "aot/llvm/stack_checkpoints.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include "aot/imports.h"
#include "syscall_info.h"

namespace wasixc::aot::llvmgen {

namespace {
// Beyond this many instructions a function is not a helper (it would be
// inlined into every caller).
constexpr size_t kMaxHelperInstructions = 400;
}  // namespace

bool CheckpointPlan::any() const {
  for (bool b : returns_twice_import)
    if (b) return true;
  return false;
}

CheckpointPlan plan_checkpoints(const wabt::Module& m, const ImportPlan& imports, const BodyFacts& facts) {
  CheckpointPlan plan;
  size_t n = m.funcs.size();
  plan.returns_twice_import.assign(n, false);
  plan.helper.assign(n, false);
  plan.checkpoint_frame.assign(n, false);
  for (uint32_t i = 0; i < m.num_func_imports && i < imports.functions.size(); ++i) {
    const SyscallInfo* s = imports.functions[i].syscall;
    plan.returns_twice_import[i] = s && (s->flags & SYSCALL_RETURNS_TWICE);
  }
  if (!plan.any()) return plan;
  // Direct callees of each defined function (return_call is not a call
  // that returns), and whether it makes any other (indirect) call.
  std::vector<std::vector<uint32_t>> callees(n);
  std::vector<bool> small(n, false), other_calls(n, false);
  for (uint32_t f = m.num_func_imports; f < n; ++f) {
    for (const BodyFacts::Call* c = facts.calls_begin(f); c != facts.calls_end(f); ++c)
      callees[f].push_back(c->callee);
    other_calls[f] = facts.calls_indirectly(f) || facts.tail_calls_indirectly(f);
    small[f] = facts.all_instructions(f) <= kMaxHelperInstructions;
  }
  auto twice = [&](uint32_t callee) { return plan.returns_twice_import[callee] || plan.helper[callee]; };
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t f = m.num_func_imports; f < n; ++f) {
      if (plan.helper[f] || !small[f] || other_calls[f] || callees[f].empty()) continue;
      bool reaches = false, only = true;
      for (uint32_t c : callees[f]) {
        if (c == f) only = false;  // recursion never inlines
        else if (twice(c)) reaches = true;
        else if (c >= m.num_func_imports || !imports.functions[c].syscall) only = false;
      }
      if (reaches && only) plan.helper[f] = changed = true;
    }
  }
  for (uint32_t f = m.num_func_imports; f < n; ++f) {
    if (plan.helper[f]) continue;
    for (uint32_t c : callees[f])
      if (twice(c)) plan.checkpoint_frame[f] = true;
  }
  return plan;
}

void add_frame_exit_hooks(llvm::Function* fn) {
  llvm::LLVMContext& ctx = fn->getContext();
  llvm::Module& mod = *fn->getParent();
  llvm::FunctionCallee hook = mod.getOrInsertFunction(
      "wasixc_checkpoint_frame_exit", llvm::Type::getVoidTy(ctx), llvm::PointerType::get(ctx, 0));
  if (auto* decl = llvm::dyn_cast<llvm::Function>(hook.getCallee())) decl->addFnAttr(llvm::Attribute::NoUnwind);
  // An address inside this frame: checkpoints whose frame lies at or below
  // it belong to this call (or deeper ones) and die with it.
  llvm::IRBuilder<> b(&*fn->getEntryBlock().getFirstInsertionPt());
  llvm::AllocaInst* marker = b.CreateAlloca(llvm::Type::getInt8Ty(ctx), nullptr, "frame_marker");
  std::vector<llvm::ReturnInst*> returns;
  for (llvm::BasicBlock& bb : *fn)
    if (auto* ret = llvm::dyn_cast<llvm::ReturnInst>(bb.getTerminator())) returns.push_back(ret);
  for (llvm::ReturnInst* ret : returns) {
    // A return_call leaves this frame before the callee runs: report the
    // exit before the musttail call, which must stay right before the ret.
    llvm::Instruction* before = ret;
    if (auto* call = llvm::dyn_cast_or_null<llvm::CallInst>(ret->getPrevNode()); call && call->isMustTailCall())
      before = call;
    b.SetInsertPoint(before);
    b.CreateCall(hook, {marker});
  }
}

}  // namespace wasixc::aot::llvmgen
