// One function body: locals, structured control flow (block, loop, if,
// br, br_if, br_table, return), calls, and the single dispatch switch that
// hands every other instruction to its family's emitter.
//
// Dead code: wabt's IR is a tree, so once an instruction ends control flow
// (br, return, unreachable, ...) the rest of its expression list cannot
// run and is skipped; the enclosing block resumes only if something
// branches to its end.
#include "aot/llvm/function_codegen.h"

#include "aot/diagnostics.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"
#include "wabt/cast.h"

namespace wasixc::aot::llvmgen {

FunctionCodegen::FunctionCodegen(ModuleCodegen& mc_, const wabt::Func& func_, llvm::Function* fn_)
    : mc(mc_), func(func_), fn(fn_), b(mc_.ctx()), inst(fn_->getArg(0)), alloca_builder_(mc_.ctx()) {}

std::vector<llvm::Value*> FunctionCodegen::pop_n(size_t n) {
  std::vector<llvm::Value*> values(stack_.end() - n, stack_.end());
  stack_.resize(stack_.size() - n);
  return values;
}

llvm::Function* FunctionCodegen::intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Type*> types) {
  return llvm::Intrinsic::getDeclaration(&mc.mod(), id, types);
}

void FunctionCodegen::continue_in(const char* name) {
  b.SetInsertPoint(llvm::BasicBlock::Create(mc.ctx(), name, fn));
}

void FunctionCodegen::trap(wasixc_trap_code code) {
  llvm::BasicBlock*& block = trap_blocks_[code];
  if (!block) {
    block = llvm::BasicBlock::Create(mc.ctx(), "trap", fn);
    llvm::IRBuilder<> tb(block);
    llvm::Function* trap_fn = mc.runtime_function(
        "wasixc_trap", llvm::FunctionType::get(tb.getVoidTy(), {tb.getInt32Ty()}, false), true);
    tb.CreateCall(trap_fn, {tb.getInt32(code)});
    tb.CreateUnreachable();
  }
  b.CreateBr(block);
}

void FunctionCodegen::trap_if(llvm::Value* cond, wasixc_trap_code code) {
  llvm::BasicBlock* ok = llvm::BasicBlock::Create(mc.ctx(), "ok", fn);
  llvm::BasicBlock* here = b.GetInsertBlock();
  llvm::BasicBlock* bad = llvm::BasicBlock::Create(mc.ctx(), "trapping", fn);
  llvm::MDBuilder md(mc.ctx());
  b.CreateCondBr(cond, bad, ok, md.createBranchWeights(1, 1 << 20));
  b.SetInsertPoint(bad);
  trap(code);
  b.SetInsertPoint(ok);
  (void)here;
}

llvm::Value* FunctionCodegen::memory_base() {
  if (!memory_base_ && mc.fixed_memory_address()) {
    // A constant: `[index + base + offset]` needs no register for the base
    // (speedtest1: 1.11x -> 1.04x native; a base kept in a callee-saved
    // register was spilled and reloaded in large functions).
    memory_base_ = llvm::ConstantExpr::getIntToPtr(b.getInt64(mc.fixed_memory_address()), mc.ptr());
  }
  if (!memory_base_) {
    auto* load = alloca_builder_.CreateLoad(mc.ptr(), mc.at(alloca_builder_, inst, mc.layout().mem_base),
                                            "membase");
    // The base never changes once the instance exists (memories are
    // reserved whole and grow in place), so LLVM may hoist it anywhere.
    load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(mc.ctx(), {}));
    memory_base_ = load;
  }
  return memory_base_;
}

llvm::Value* FunctionCodegen::address(llvm::Value* index, uint64_t offset) {
  // A 32-bit index plus a 32-bit offset stays below 8 GiB: inside the
  // reservation, so an out-of-bounds access faults on the guard instead of
  // needing a check.
  llvm::Value* addr = b.CreateZExt(index, b.getInt64Ty());
  if (offset) addr = b.CreateAdd(addr, i64(offset), "", /*NUW=*/true, /*NSW=*/true);
  return b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), addr);
}

std::vector<llvm::AllocaInst*> FunctionCodegen::make_slots(const std::vector<wabt::Type>& types,
                                                           const char* name) {
  std::vector<llvm::AllocaInst*> slots;
  for (wabt::Type t : types) slots.push_back(alloca_builder_.CreateAlloca(mc.value_type(t), nullptr, name));
  return slots;
}

std::pair<std::vector<wabt::Type>, std::vector<wabt::Type>> FunctionCodegen::block_signature(
    const wabt::BlockDeclaration& decl) {
  if (decl.has_func_type) {
    const wabt::FuncType* ft = mc.wasm().GetFuncType(decl.type_var);
    if (ft) return {ft->sig.param_types, ft->sig.result_types};
  }
  return {decl.sig.param_types, decl.sig.result_types};
}

void FunctionCodegen::emit(bool entry_poll) {
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(mc.ctx(), "entry", fn);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(mc.ctx(), "body", fn);
  alloca_builder_.SetInsertPoint(entry);
  b.SetInsertPoint(body);

  // Parameters and locals live in allocas; mem2reg makes them registers.
  uint32_t nparams = func.GetNumParams();
  for (uint32_t i = 0; i < func.GetNumParamsAndLocals(); ++i) {
    wabt::Type t = func.GetLocalType(i);
    llvm::AllocaInst* slot = alloca_builder_.CreateAlloca(mc.value_type(t));
    local_types_.push_back(t);
    locals_.push_back(slot);
    if (i < nparams)
      alloca_builder_.CreateStore(fn->getArg(i + 1), slot);
    else
      alloca_builder_.CreateStore(llvm::Constant::getNullValue(mc.value_type(t)), slot);
  }

  Control top{Control::kFunction, "", nullptr, {}, nullptr, {}, func.decl.sig.result_types, 0};
  top.end = llvm::BasicBlock::Create(mc.ctx(), "return", fn);
  top.branch_target = top.end;
  top.result_slots = make_slots(top.result_types, "ret");
  top.branch_slots = top.result_slots;
  controls_.push_back(top);

  if (entry_poll) emit_safepoint();
  if (!emit_libc_builtin()) emit_list(func.exprs);
  finish_block(controls_.back());

  // The return block: load the results and return them.
  if (!terminated()) {
    std::vector<llvm::Value*> results = pop_n(top.result_types.size());
    if (results.empty()) {
      b.CreateRetVoid();
    } else if (results.size() == 1) {
      b.CreateRet(results[0]);
    } else {
      llvm::Value* agg = llvm::UndefValue::get(fn->getReturnType());
      for (size_t i = 0; i < results.size(); ++i)
        agg = b.CreateInsertValue(agg, results[i], {static_cast<unsigned>(i)});
      b.CreateRet(agg);
    }
  }
  alloca_builder_.CreateBr(body);
  preserve_load_traps(*fn, guest_loads_);
}

void FunctionCodegen::emit_list(const wabt::ExprList& list) {
  for (const wabt::Expr& e : list) {
    emit_expr(e);
    if (terminated()) return;  // the rest of this list is unreachable
  }
}

Control& FunctionCodegen::resolve(const wabt::Var& label) {
  if (label.is_index()) return controls_[controls_.size() - 1 - label.index()];
  for (size_t i = controls_.size(); i-- > 0;)
    if (controls_[i].label == label.name()) return controls_[i];
  fail("%s: unknown branch label %s", mc.options().module_name.c_str(), label.name().c_str());
}

void FunctionCodegen::branch_to(Control& c) {
  // The branch carries the top values; the rest of the stack is dropped.
  for (size_t i = c.branch_slots.size(); i-- > 0;)
    b.CreateStore(stack_[stack_.size() - c.branch_slots.size() + i], c.branch_slots[i]);
  release_caught_leaving(c);
  b.CreateBr(c.branch_target);
}

void FunctionCodegen::finish_block(Control& c) {
  if (!terminated()) {
    std::vector<llvm::Value*> results = pop_n(c.result_types.size());
    for (size_t i = 0; i < results.size(); ++i) b.CreateStore(results[i], c.result_slots[i]);
    b.CreateBr(c.end);
  }
  stack_.resize(c.stack_height);
  b.SetInsertPoint(c.end);
  if (llvm::pred_empty(c.end)) {
    // Nothing reaches the end: what follows is dead.
    b.CreateUnreachable();
    return;
  }
  for (size_t i = 0; i < c.result_slots.size(); ++i)
    push(b.CreateLoad(mc.value_type(c.result_types[i]), c.result_slots[i]));
}

void FunctionCodegen::emit_block(const wabt::Block& block, Control::Kind kind) {
  auto [params, results] = block_signature(block.decl);
  Control c{kind, block.label, nullptr, {}, nullptr, {}, results, stack_.size() - params.size()};
  c.unwind_inside = unwind_;
  c.end = llvm::BasicBlock::Create(mc.ctx(), kind == Control::kLoop ? "loop.end" : "block.end", fn);
  c.result_slots = make_slots(results, "res");
  if (kind == Control::kLoop) {
    // A branch to a loop goes back to its header carrying the params.
    c.branch_slots = make_slots(params, "loop.param");
    c.branch_target = llvm::BasicBlock::Create(mc.ctx(), "loop", fn);
    std::vector<llvm::Value*> values = pop_n(params.size());
    for (size_t i = 0; i < values.size(); ++i) b.CreateStore(values[i], c.branch_slots[i]);
    b.CreateBr(c.branch_target);
    b.SetInsertPoint(c.branch_target);
    for (size_t i = 0; i < params.size(); ++i)
      push(b.CreateLoad(mc.value_type(params[i]), c.branch_slots[i]));
    if (mc.options().safepoints && !mc.polls().loop_covered_by_call(block.exprs, func_index)) emit_safepoint();
  } else {
    c.branch_slots = c.result_slots;
    c.branch_target = c.end;
  }
  controls_.push_back(c);
  emit_list(block.exprs);
  Control done = controls_.back();
  controls_.pop_back();
  finish_block(done);
}

void FunctionCodegen::emit_if(const wabt::IfExpr& e) {
  auto [params, results] = block_signature(e.true_.decl);
  llvm::Value* cond = b.CreateICmpNE(pop(), i32(0));
  std::vector<llvm::Value*> args = pop_n(params.size());
  Control c{Control::kIf, e.true_.label, nullptr, {}, nullptr, {}, results, stack_.size()};
  c.unwind_inside = unwind_;
  c.end = llvm::BasicBlock::Create(mc.ctx(), "if.end", fn);
  c.result_slots = make_slots(results, "res");
  c.branch_slots = c.result_slots;
  c.branch_target = c.end;
  llvm::BasicBlock* then_bb = llvm::BasicBlock::Create(mc.ctx(), "then", fn);
  llvm::BasicBlock* else_bb = llvm::BasicBlock::Create(mc.ctx(), "else", fn);
  b.CreateCondBr(cond, then_bb, else_bb);

  controls_.push_back(c);
  for (int arm = 0; arm < 2; ++arm) {
    b.SetInsertPoint(arm == 0 ? then_bb : else_bb);
    stack_.resize(c.stack_height);
    for (llvm::Value* v : args) push(v);
    emit_list(arm == 0 ? e.true_.exprs : e.false_);  // no else: params pass through
    if (!terminated()) {
      std::vector<llvm::Value*> out = pop_n(results.size());
      for (size_t i = 0; i < out.size(); ++i) b.CreateStore(out[i], c.result_slots[i]);
      b.CreateBr(c.end);
    }
  }
  Control done = controls_.back();
  controls_.pop_back();
  finish_block(done);
}

void FunctionCodegen::emit_branch(const wabt::Var& target) { branch_to(resolve(target)); }

void FunctionCodegen::emit_br_if(const wabt::Var& target) {
  llvm::Value* cond = b.CreateICmpNE(pop(), i32(0));
  Control& c = resolve(target);
  llvm::BasicBlock* taken = llvm::BasicBlock::Create(mc.ctx(), "br_if.taken", fn);
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(mc.ctx(), "br_if.cont", fn);
  b.CreateCondBr(cond, taken, cont);
  b.SetInsertPoint(taken);
  branch_to(c);
  b.SetInsertPoint(cont);
}

void FunctionCodegen::emit_br_table(const wabt::BrTableExpr& e) {
  llvm::Value* index = pop();
  // Each target gets its own edge block that stores the carried values.
  auto edge = [&](const wabt::Var& target) {
    llvm::BasicBlock* bb = llvm::BasicBlock::Create(mc.ctx(), "br_table.edge", fn);
    llvm::IRBuilder<>::InsertPointGuard guard(b);
    b.SetInsertPoint(bb);
    branch_to(resolve(target));
    return bb;
  };
  llvm::SwitchInst* sw = b.CreateSwitch(index, edge(e.default_target), e.targets.size());
  std::map<std::string, llvm::BasicBlock*> shared;  // one edge per distinct target
  for (size_t i = 0; i < e.targets.size(); ++i) {
    const wabt::Var& t = e.targets[i];
    std::string key = t.is_index() ? "#" + std::to_string(t.index()) : t.name();
    llvm::BasicBlock*& bb = shared[key];
    if (!bb) bb = edge(t);
    sw->addCase(b.getInt32(static_cast<uint32_t>(i)), bb);
  }
}

void FunctionCodegen::emit_return() { branch_to(controls_.front()); }

void FunctionCodegen::emit_call(llvm::FunctionCallee callee, llvm::Value* callee_instance,
                                const wabt::FuncSignature& sig, bool host_callee) {
  std::vector<llvm::Value*> args = {callee_instance};
  for (llvm::Value* v : pop_n(sig.param_types.size())) args.push_back(v);
  auto* direct = llvm::dyn_cast<llvm::Function>(callee.getCallee());
  llvm::CallingConv::ID conv = host_callee ? llvm::CallingConv::C : mc.guest_cc();
  if (tail_position_ && !host_callee) {
    // return_call: the callee's results are this function's (validation
    // guarantees the types), so its return is ours. This frame's handlers
    // are gone with it, and its caught exceptions released.
    release_caught_leaving(controls_.front());
    llvm::CallInst* call = b.CreateCall(callee, args);
    call->setCallingConv(conv);
    call->setTailCallKind(llvm::CallInst::TCK_MustTail);
    if (sig.result_types.empty())
      b.CreateRetVoid();
    else
      b.CreateRet(call);
    return;
  }
  // Host functions (C convention) never throw; guest code may.
  llvm::CallBase* call = host_callee ? b.CreateCall(callee, args) : call_or_invoke(callee, args);
  call->setCallingConv(conv);
  // Without the tail-call proposal every wasm call takes stack: endless
  // recursion must exhaust it (a trap), not become a loop or a jump.
  if (auto* plain = llvm::dyn_cast<llvm::CallInst>(call)) plain->setTailCallKind(llvm::CallInst::TCK_NoTail);
  size_t n = sig.result_types.size();
  if (n == 1) {
    push(call);
  } else if (n > 1) {
    for (unsigned i = 0; i < n; ++i) push(b.CreateExtractValue(call, {i}));
  }
  if (direct && direct->doesNotReturn()) {
    b.CreateUnreachable();
  } else if (tail_position_) {
    emit_return();  // a host function: it returned, nothing is left to grow
  }
}

void FunctionCodegen::emit_direct_call(uint32_t index) {
  const wabt::Func* callee = mc.wasm().funcs[index];
  std::optional<lowering::Intrinsic> kind = mc.intrinsic(index);
  if (kind && (*kind == lowering::Intrinsic::kExnCurrent || *kind == lowering::Intrinsic::kThrowRef)) {
    emit_exnref_intrinsic(*kind);  // never in tail position: the lowering emits plain calls
  } else if (kind) {  // inline, never a call
    for (llvm::Value* v : llvmgen::emit_intrinsic(b, *kind, pop_n(callee->decl.sig.param_types.size()))) push(v);
    if (tail_position_ && !terminated()) emit_return();  // return_call of an intrinsic: its results are ours
  } else if (llvm::Function* direct = mc.function(index)) {
    if (emit_libc_builtin_call(*callee, direct)) {
      if (tail_position_ && !terminated()) emit_return();  // return_call of a builtin: its results are ours
    } else {
      emit_call(direct, inst, callee->decl.sig);
    }
  } else if (llvm::Function* sys = mc.syscall_for(index)) {
    emit_call(sys, inst, callee->decl.sig, /*host_callee=*/true);  // the instance is the syscall ctx
  } else {
    // Bound at instantiation: call through the import's funcref.
    llvm::Value* ref = b.CreateLoad(mc.ptr(), mc.at(b, inst, mc.layout().func_ptr[index]));
    ModuleCodegen::FuncrefTarget target = mc.funcref_target(b, ref);
    emit_call(llvm::FunctionCallee(mc.function_type(callee->decl.sig), target.code), target.instance,
              callee->decl.sig);
  }
}

void FunctionCodegen::emit_expr(const wabt::Expr& e) {
  using wabt::ExprType;
  if (emit_simd(e)) return;
  switch (e.type()) {
    case ExprType::Nop: break;
    case ExprType::Unreachable: trap(WASIXC_TRAP_UNREACHABLE); break;
    case ExprType::Drop: pop(); break;
    case ExprType::Select: {
      llvm::Value* cond = b.CreateICmpNE(pop(), i32(0));
      llvm::Value* second = pop();
      llvm::Value* first = pop();
      push(b.CreateSelect(cond, first, second));
      break;
    }
    case ExprType::Block: emit_block(wabt::cast<wabt::BlockExpr>(&e)->block, Control::kBlock); break;
    case ExprType::Loop: emit_block(wabt::cast<wabt::LoopExpr>(&e)->block, Control::kLoop); break;
    case ExprType::If: emit_if(*wabt::cast<wabt::IfExpr>(&e)); break;
    case ExprType::Br: emit_branch(wabt::cast<wabt::BrExpr>(&e)->var); break;
    case ExprType::BrIf: emit_br_if(wabt::cast<wabt::BrIfExpr>(&e)->var); break;
    case ExprType::BrTable: emit_br_table(*wabt::cast<wabt::BrTableExpr>(&e)); break;
    case ExprType::Return: emit_return(); break;
    case ExprType::Call: emit_direct_call(mc.wasm().GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var)); break;
    case ExprType::CallIndirect: emit_call_indirect(*wabt::cast<wabt::CallIndirectExpr>(&e)); break;
    case ExprType::ReturnCall:
    case ExprType::ReturnCallIndirect: emit_return_call(e); break;
    case ExprType::Try: emit_try(*wabt::cast<wabt::TryExpr>(&e)); break;
    case ExprType::Throw: emit_throw(*wabt::cast<wabt::ThrowExpr>(&e)); break;
    case ExprType::Rethrow: emit_rethrow(*wabt::cast<wabt::RethrowExpr>(&e)); break;
    case ExprType::LocalGet: {
      uint32_t i = func.GetLocalIndex(wabt::cast<wabt::LocalGetExpr>(&e)->var);
      push(b.CreateLoad(mc.value_type(local_types_[i]), locals_[i]));
      break;
    }
    case ExprType::LocalSet:
      b.CreateStore(pop(), locals_[func.GetLocalIndex(wabt::cast<wabt::LocalSetExpr>(&e)->var)]);
      break;
    case ExprType::LocalTee:
      b.CreateStore(top(), locals_[func.GetLocalIndex(wabt::cast<wabt::LocalTeeExpr>(&e)->var)]);
      break;
    case ExprType::GlobalGet:
      push(mc.load_global(b, inst, mc.wasm().GetGlobalIndex(wabt::cast<wabt::GlobalGetExpr>(&e)->var)));
      break;
    case ExprType::GlobalSet:
      mc.store_global(b, inst, mc.wasm().GetGlobalIndex(wabt::cast<wabt::GlobalSetExpr>(&e)->var), pop());
      break;
    case ExprType::Const: emit_const(*wabt::cast<wabt::ConstExpr>(&e)); break;
    case ExprType::Unary: emit_unary(wabt::cast<wabt::UnaryExpr>(&e)->opcode); break;
    case ExprType::Binary: emit_binary(wabt::cast<wabt::BinaryExpr>(&e)->opcode); break;
    case ExprType::Compare: emit_compare(wabt::cast<wabt::CompareExpr>(&e)->opcode); break;
    case ExprType::Convert: emit_convert(wabt::cast<wabt::ConvertExpr>(&e)->opcode); break;
    case ExprType::Load: emit_load(*wabt::cast<wabt::LoadExpr>(&e)); break;
    case ExprType::Store: emit_store(*wabt::cast<wabt::StoreExpr>(&e)); break;
    case ExprType::MemorySize: emit_memory_size(); break;
    case ExprType::MemoryGrow: emit_memory_grow(); break;
    case ExprType::MemoryFill: emit_memory_fill(); break;
    case ExprType::MemoryCopy: emit_memory_copy(); break;
    case ExprType::MemoryInit: emit_memory_init(*wabt::cast<wabt::MemoryInitExpr>(&e)); break;
    case ExprType::DataDrop: emit_data_drop(*wabt::cast<wabt::DataDropExpr>(&e)); break;
    case ExprType::AtomicLoad:
    case ExprType::AtomicStore:
    case ExprType::AtomicRmw:
    case ExprType::AtomicRmwCmpxchg:
    case ExprType::AtomicWait:
    case ExprType::AtomicNotify:
    case ExprType::AtomicFence: emit_atomic(e); break;
    case ExprType::TableGet:
    case ExprType::TableSet:
    case ExprType::TableSize:
    case ExprType::TableGrow:
    case ExprType::TableFill:
    case ExprType::TableCopy:
    case ExprType::TableInit:
    case ExprType::ElemDrop: emit_table_op(e); break;
    case ExprType::RefNull:
    case ExprType::RefIsNull:
    case ExprType::RefFunc: emit_ref(e); break;
    default:
      fail("%s: %s instructions are not supported by the llvm backend yet",
           mc.options().module_name.c_str(), wabt::GetExprTypeName(e));
  }
}

void emit_function_body(ModuleCodegen& mc, uint32_t func_index, llvm::Function* fn) {
  if (std::optional<lowering::Intrinsic> kind = mc.intrinsic(func_index))
    return emit_intrinsic_body(mc, *kind, fn);
  FunctionCodegen body(mc, *mc.wasm().funcs[func_index], fn);
  body.func_index = func_index;
  body.emit(mc.options().safepoints && mc.polls().polls_on_entry(func_index));
}

}  // namespace wasixc::aot::llvmgen
