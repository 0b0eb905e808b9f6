// The exception-handling proposal (legacy instructions: try, catch,
// catch_all, delegate, throw, rethrow) on the host's zero-cost unwinder.
//
// Why this scheme: a call inside a try body is an LLVM `invoke`, the rest
// of the code is unchanged, so the path that does not throw pays nothing
// (no handler registration, no flag checks after calls; only unwind
// tables, which x86-64 code carries anyway). A throw is a call to the
// runtime (libwasix/runtime/exceptions.cc), which raises the exception
// through the Itanium unwinder (_Unwind_RaiseException) as a foreign
// exception; every landing pad catches everything under libstdc++'s
// personality, and the code after it compares the exception's tag with the
// try's catch clauses. Throwing costs what a C++ throw costs.
//
// Inside a function, a try's handler and a catch body's cleanup (which
// releases the exception the catch holds) are UnwindTargets: an exception
// that lands in one and is not caught there goes on to the next enclosing
// one by a plain branch; only when none is left is it raised again to the
// caller. `delegate L` makes the try body's calls land wherever a throw at
// label L would. A trap is not an exception (it never unwinds), so no
// catch_all sees it. Calls into guest code from the host (invoke thunks,
// the start function) catch what escapes and trap ("uncaught exception").
#include "aot/diagnostics.h"
#include "aot/llvm/expr_walk.h"
#include "aot/llvm/function_codegen.h"
#include "llvm/IR/Constants.h"
#include "wabt/cast.h"

namespace wasixc::aot::llvmgen {

namespace {

// A payload value as the 64-bit slot the runtime stores (as the invoke
// thunks do: i32 zero-extended, floats by bit pattern, references as
// pointers), and back.
llvm::Value* to_bits(llvm::IRBuilder<>& b, llvm::Value* v) {
  llvm::Type* t = v->getType();
  if (t->isVectorTy()) fail("exceptions carrying v128 values are not supported yet");
  if (t->isPointerTy()) return b.CreatePtrToInt(v, b.getInt64Ty());
  if (t->getPrimitiveSizeInBits() == 32) return b.CreateZExt(b.CreateBitCast(v, b.getInt32Ty()), b.getInt64Ty());
  return b.CreateBitCast(v, b.getInt64Ty());
}

llvm::Value* from_bits(llvm::IRBuilder<>& b, llvm::Value* bits, llvm::Type* t) {
  if (t->isVectorTy()) fail("exceptions carrying v128 values are not supported yet");
  if (t->isPointerTy()) return b.CreateIntToPtr(bits, t);
  if (t->getPrimitiveSizeInBits() == 32) return b.CreateBitCast(b.CreateTrunc(bits, b.getInt32Ty()), t);
  return b.CreateBitCast(bits, t);
}

}  // namespace

// ---- module level -----------------------------------------------------------

bool ModuleCodegen::find_exception_use() const {
  if (!wasm_->tags.empty()) return true;
  // catch_all and delegate need no tag of this module's own: the
  // exception may come from another module's function (an embedder's).
  // Every body's, not only this partition's (body_facts.h).
  return facts_->any_try_or_rethrow();
}

const wabt::FuncSignature& ModuleCodegen::tag_signature(uint32_t tag_index) const {
  const wabt::FuncDeclaration& decl = wasm_->tags[tag_index]->decl;
  if (decl.has_func_type)
    if (const wabt::FuncType* ft = wasm_->GetFuncType(decl.type_var)) return ft->sig;
  return decl.sig;
}

llvm::Function* ModuleCodegen::personality() {
  llvm::Function* f = module_->getFunction("__gxx_personality_v0");
  if (!f)
    f = llvm::Function::Create(llvm::FunctionType::get(i32(), true), llvm::Function::ExternalLinkage,
                               "__gxx_personality_v0", *module_);
  return f;
}

// The runtime's entry points (runtime/exceptions.cc). Throwing ones unwind,
// so unlike runtime_function() they are not nounwind.
llvm::Function* ModuleCodegen::exception_function(const char* name) {
  if (llvm::Function* f = module_->getFunction(name)) return f;
  llvm::Type* void_ty = llvm::Type::getVoidTy(ctx_);
  std::string n = name;
  llvm::FunctionType* type;
  bool raises = false, noreturn = false;
  if (n == "wasixc_exception_throw") {
    type = llvm::FunctionType::get(void_ty, {ptr(), ptr(), i32()}, false);
    raises = noreturn = true;
  } else if (n == "wasixc_exception_rethrow" || n == "wasixc_exception_propagate") {
    type = llvm::FunctionType::get(void_ty, {ptr()}, false);
    raises = noreturn = true;
  } else if (n == "wasixc_exception_uncaught") {
    type = llvm::FunctionType::get(void_ty, {ptr()}, false);
    noreturn = true;
  } else if (n == "wasixc_exception_release") {
    type = llvm::FunctionType::get(void_ty, {ptr()}, false);
  } else {  // wasixc_exception_tag, wasixc_exception_values, wasixc_exception_retain
    type = llvm::FunctionType::get(ptr(), {ptr()}, false);
  }
  llvm::Function* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, *module_);
  if (!raises) f->addFnAttr(llvm::Attribute::NoUnwind);
  if (noreturn) {
    f->addFnAttr(llvm::Attribute::NoReturn);
    f->addFnAttr(llvm::Attribute::Cold);
  }
  return f;
}

llvm::CallBase* ModuleCodegen::call_from_host(llvm::IRBuilder<>& b, llvm::FunctionCallee callee,
                                              llvm::ArrayRef<llvm::Value*> args) {
  if (!uses_exceptions_) return b.CreateCall(callee, args);
  llvm::Function* fn = b.GetInsertBlock()->getParent();
  fn->setPersonalityFn(personality());
  llvm::BasicBlock* normal = llvm::BasicBlock::Create(ctx_, "returned", fn);
  llvm::BasicBlock* pad = llvm::BasicBlock::Create(ctx_, "escaped", fn);
  llvm::InvokeInst* call = b.CreateInvoke(callee, normal, pad, args);
  llvm::IRBuilder<> pb(pad);
  llvm::LandingPadInst* lp = pb.CreateLandingPad(llvm::StructType::get(ctx_, {ptr(), i32()}), 1);
  lp->addClause(llvm::ConstantPointerNull::get(ptr()));
  pb.CreateCall(exception_function("wasixc_exception_uncaught"), {pb.CreateExtractValue(lp, {0})});
  pb.CreateUnreachable();
  b.SetInsertPoint(normal);
  return call;
}

// ---- function level ---------------------------------------------------------

UnwindTarget* FunctionCodegen::new_unwind_target(const char* name) {
  UnwindTarget& t = unwind_targets_.emplace_back();
  t.dispatch = llvm::BasicBlock::Create(mc.ctx(), name, fn);
  t.incoming = alloca_builder_.CreateAlloca(mc.ptr(), nullptr, "exn.in");
  return &t;
}

llvm::BasicBlock* FunctionCodegen::landing_pad(UnwindTarget* target) {
  if (target->landing) return target->landing;
  fn->setPersonalityFn(mc.personality());
  target->landing = llvm::BasicBlock::Create(mc.ctx(), "lpad", fn);
  llvm::IRBuilder<> pb(target->landing);
  // Catches everything: the tag test is ours (see the file comment).
  llvm::LandingPadInst* lp = pb.CreateLandingPad(llvm::StructType::get(mc.ctx(), {mc.ptr(), mc.i32()}), 1);
  lp->addClause(llvm::ConstantPointerNull::get(mc.ptr()));
  pb.CreateStore(pb.CreateExtractValue(lp, {0}), target->incoming);
  pb.CreateBr(target->dispatch);
  return target->landing;
}

llvm::CallBase* FunctionCodegen::call_or_invoke(llvm::FunctionCallee callee, llvm::ArrayRef<llvm::Value*> args) {
  if (!unwind_) return b.CreateCall(callee, args);
  llvm::BasicBlock* normal = llvm::BasicBlock::Create(mc.ctx(), "invoke.cont", fn);
  llvm::InvokeInst* call = b.CreateInvoke(callee, normal, landing_pad(unwind_), args);
  b.SetInsertPoint(normal);
  return call;
}

void FunctionCodegen::forward_exception(llvm::Value* exn, UnwindTarget* target) {
  if (target) {
    b.CreateStore(exn, target->incoming);
    b.CreateBr(target->dispatch);
    return;
  }
  b.CreateCall(mc.exception_function("wasixc_exception_propagate"), {exn});
  b.CreateUnreachable();
}

void FunctionCodegen::release_caught_leaving(const Control& target) {
  size_t index = &target - controls_.data();
  // A branch to a loop stays inside it; to anything else it leaves it.
  size_t first = target.kind == Control::kLoop ? index + 1 : index;
  for (size_t i = controls_.size(); i-- > first;)
    if (controls_[i].catching)
      b.CreateCall(mc.exception_function("wasixc_exception_release"),
                   {b.CreateLoad(mc.ptr(), controls_[i].caught)});
}

void FunctionCodegen::emit_throw(const wabt::ThrowExpr& e) {
  uint32_t tag = mc.wasm().GetTagIndex(e.var);
  size_t n = mc.tag_signature(tag).param_types.size();
  std::vector<llvm::Value*> values = pop_n(n);
  llvm::Value* buffer = llvm::ConstantPointerNull::get(mc.ptr());
  if (n) {
    buffer = alloca_builder_.CreateAlloca(llvm::ArrayType::get(b.getInt64Ty(), n), nullptr, "payload");
    for (size_t i = 0; i < n; ++i)
      b.CreateStore(to_bits(b, values[i]), b.CreateConstInBoundsGEP2_64(
                                                llvm::ArrayType::get(b.getInt64Ty(), n), buffer, 0, i));
  }
  llvm::Value* identity = mc.invariant(b.CreateLoad(mc.ptr(), mc.at(b, inst, mc.layout().tag_ptr[tag])));
  call_or_invoke(mc.exception_function("wasixc_exception_throw"), {identity, buffer, i32(static_cast<uint32_t>(n))});
  b.CreateUnreachable();
}

void FunctionCodegen::emit_rethrow(const wabt::RethrowExpr& e) {
  Control& c = resolve(e.var);
  if (!c.catching) fail("%s: rethrow names a label that is not a catch", mc.options().module_name.c_str());
  call_or_invoke(mc.exception_function("wasixc_exception_rethrow"), {b.CreateLoad(mc.ptr(), c.caught)});
  b.CreateUnreachable();
}

// The exnref intrinsics (aot/lowering/exnref.cc). exn.current sits right
// at the start of a catch body the lowering wrote: the exception that
// catch holds, with a reference of the exnref's own. throw_ref raises an
// exnref again, as rethrow does: catchable by tag, payload unchanged.
void FunctionCodegen::emit_exnref_intrinsic(lowering::Intrinsic kind) {
  if (kind == lowering::Intrinsic::kExnCurrent) {
    for (size_t i = controls_.size(); i-- > 0;)
      if (controls_[i].catching) {
        llvm::Value* exn = b.CreateLoad(mc.ptr(), controls_[i].caught);
        push(b.CreateCall(mc.exception_function("wasixc_exception_retain"), {exn}));
        return;
      }
    fail("%s: exn.current outside a catch (a lowering error)", mc.options().module_name.c_str());
  }
  llvm::Value* exn = pop();
  trap_if(b.CreateIsNull(exn), WASIXC_TRAP_NULL_EXCEPTION_REFERENCE);
  call_or_invoke(mc.exception_function("wasixc_exception_rethrow"), {exn});
  b.CreateUnreachable();
}

void FunctionCodegen::emit_try(const wabt::TryExpr& e) {
  if (e.kind == wabt::TryKind::Plain) {  // no handlers: a block
    emit_block(e.block, Control::kBlock);
    return;
  }
  UnwindTarget* outer = unwind_;
  if (e.kind == wabt::TryKind::Delegate) {
    // The label counts from outside the try (the delegate is not inside
    // it): a throw in the body lands where one at that label would.
    const wabt::Var& target = e.delegate_target;
    if (target.is_index() && target.index() >= controls_.size())
      unwind_ = nullptr;  // past the function's own label: to the caller
    else
      unwind_ = resolve(target).unwind_inside;
    emit_block(e.block, Control::kBlock);
    unwind_ = outer;
    return;
  }

  auto [params, results] = block_signature(e.block.decl);
  Control c{Control::kBlock, e.block.label, nullptr, {}, nullptr, {}, results, stack_.size() - params.size()};
  c.end = llvm::BasicBlock::Create(mc.ctx(), "try.end", fn);
  c.result_slots = make_slots(results, "res");
  c.branch_slots = c.result_slots;
  c.branch_target = c.end;
  UnwindTarget* handler = new_unwind_target("try.dispatch");
  c.unwind_inside = handler;
  c.caught = alloca_builder_.CreateAlloca(mc.ptr(), nullptr, "caught");
  controls_.push_back(c);

  // The body: its calls land in `handler`.
  unwind_ = handler;
  emit_list(e.block.exprs);
  unwind_ = outer;
  auto fall_through = [&] {
    if (terminated()) return;
    std::vector<llvm::Value*> out = pop_n(results.size());
    for (size_t i = 0; i < out.size(); ++i) b.CreateStore(out[i], controls_.back().result_slots[i]);
    b.CreateBr(controls_.back().end);
  };
  fall_through();

  // The catch bodies: a throw inside one releases what it caught first.
  UnwindTarget* cleanup = new_unwind_target("catch.cleanup");
  {
    b.SetInsertPoint(cleanup->dispatch);
    llvm::Value* exn = b.CreateLoad(mc.ptr(), cleanup->incoming);
    b.CreateCall(mc.exception_function("wasixc_exception_release"), {b.CreateLoad(mc.ptr(), c.caught)});
    forward_exception(exn, outer);
  }

  // Dispatch: the first clause whose tag is the exception's, or catch_all.
  b.SetInsertPoint(handler->dispatch);
  llvm::Value* exn = b.CreateLoad(mc.ptr(), handler->incoming);
  llvm::Value* tag = b.CreateCall(mc.exception_function("wasixc_exception_tag"), {exn});
  std::vector<llvm::BasicBlock*> bodies;
  bool catches_all = false;
  for (const wabt::Catch& clause : e.catches) {
    llvm::BasicBlock* body = llvm::BasicBlock::Create(mc.ctx(), clause.IsCatchAll() ? "catch_all" : "catch", fn);
    bodies.push_back(body);
    if (clause.IsCatchAll()) {
      b.CreateBr(body);
      catches_all = true;
      break;
    }
    uint32_t index = mc.wasm().GetTagIndex(clause.var);
    llvm::Value* identity = mc.invariant(b.CreateLoad(mc.ptr(), mc.at(b, inst, mc.layout().tag_ptr[index])));
    llvm::BasicBlock* next = llvm::BasicBlock::Create(mc.ctx(), "catch.next", fn);
    b.CreateCondBr(b.CreateICmpEQ(tag, identity), body, next);
    b.SetInsertPoint(next);
  }
  if (!catches_all) forward_exception(exn, outer);

  for (size_t k = 0; k < bodies.size(); ++k) {
    const wabt::Catch& clause = e.catches[k];
    b.SetInsertPoint(bodies[k]);
    b.CreateStore(exn, c.caught);
    stack_.resize(c.stack_height);
    if (!clause.IsCatchAll()) {
      const wabt::FuncSignature& sig = mc.tag_signature(mc.wasm().GetTagIndex(clause.var));
      llvm::Value* values = b.CreateCall(mc.exception_function("wasixc_exception_values"), {exn});
      for (size_t i = 0; i < sig.param_types.size(); ++i)
        push(from_bits(b, b.CreateLoad(b.getInt64Ty(), b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), values, i)),
                       mc.value_type(sig.param_types[i])));
    }
    controls_.back().catching = true;
    // A delegate to this try's label from inside a catch body lands where
    // a throw here would: the cleanup, not the handler again.
    controls_.back().unwind_inside = cleanup;
    unwind_ = cleanup;
    emit_list(clause.exprs);
    unwind_ = outer;
    if (!terminated()) {
      b.CreateCall(mc.exception_function("wasixc_exception_release"), {b.CreateLoad(mc.ptr(), c.caught)});
      fall_through();
    }
    controls_.back().catching = false;
  }

  Control done = controls_.back();
  controls_.pop_back();
  stack_.resize(done.stack_height);
  b.SetInsertPoint(done.end);
  if (llvm::pred_empty(done.end)) {
    b.CreateUnreachable();
    return;
  }
  for (size_t i = 0; i < done.result_slots.size(); ++i)
    push(b.CreateLoad(mc.value_type(done.result_types[i]), done.result_slots[i]));
}

}  // namespace wasixc::aot::llvmgen
