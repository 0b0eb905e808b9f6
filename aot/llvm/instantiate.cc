// What the LLVM backend emits besides function bodies: the two init
// functions, an invoke thunk per exported function, trap stubs for missing
// imports, and the wasixc_module_info that describes it all (abi.h).
#include "aot/command_exports.h"
#include "aot/diagnostics.h"
#include "aot/llvm/codegen.h"
#include "llvm/IR/Constants.h"
#include "wabt/cast.h"
#include "wasixc/abi.h"

namespace wasixc::aot::llvmgen {
namespace {

// A small builder for the init functions, with its own trap blocks.
struct InitFunction {
  InitFunction(ModuleCodegen& mc, const char* name)
      : mc(mc), b(mc.ctx()) {
    fn = llvm::Function::Create(llvm::FunctionType::get(b.getVoidTy(), {mc.ptr()}, false),
                                llvm::Function::InternalLinkage, name, mc.mod());
    fn->setSection(WASIXC_CODE_SECTION);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    // Runs once; not worth optimiser time on huge modules.
    fn->addFnAttr(llvm::Attribute::OptimizeNone);
    fn->addFnAttr(llvm::Attribute::NoInline);
    b.SetInsertPoint(llvm::BasicBlock::Create(mc.ctx(), "entry", fn));
    inst = fn->getArg(0);
  }
  void trap_if(llvm::Value* cond, wasixc_trap_code code) {
    llvm::BasicBlock* bad = llvm::BasicBlock::Create(mc.ctx(), "trap", fn);
    llvm::BasicBlock* ok = llvm::BasicBlock::Create(mc.ctx(), "ok", fn);
    b.CreateCondBr(cond, bad, ok);
    b.SetInsertPoint(bad);
    llvm::Function* trap = mc.runtime_function(
        "wasixc_trap", llvm::FunctionType::get(b.getVoidTy(), {b.getInt32Ty()}, false), true);
    b.CreateCall(trap, {b.getInt32(code)});
    b.CreateUnreachable();
    b.SetInsertPoint(ok);
  }
  llvm::Value* at(uint32_t offset) { return mc.at(b, inst, offset); }
  void store_ptr(uint32_t slot, llvm::Value* value) { b.CreateStore(value, at(slot)); }

  ModuleCodegen& mc;
  llvm::IRBuilder<> b;
  llvm::Function* fn;
  llvm::Value* inst;
};

uint64_t limit_max(const wabt::Limits& l) { return l.has_max ? l.max : UINT64_MAX; }

}  // namespace

llvm::Function* ModuleCodegen::emit_missing_import_stub(uint32_t index) {
  const wabt::Func* f = wasm_->funcs[index];
  const FunctionImport& imp = imports_.functions[index];
  llvm::Function* stub = llvm::Function::Create(function_type(f->decl.sig), llvm::Function::InternalLinkage,
                                                "missing_import", *module_);
  stub->setCallingConv(guest_cc_);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", stub));
  llvm::Function* trap = runtime_function(
      "wasixc_trap_missing_import", llvm::FunctionType::get(b.getVoidTy(), {ptr(), ptr()}, false), true);
  b.CreateCall(trap, {c_string(imp.module), c_string(imp.name)});
  b.CreateUnreachable();
  return stub;
}

uint64_t ModuleCodegen::fixed_memory_address() const {
  return options_.fixed_memory_base && !wasm_->memories.empty() ? WASIXC_FIXED_MEMORY_ADDRESS : 0;
}

void ModuleCodegen::emit_init() {
  InitFunction init(*this, "wasixc_init");
  llvm::IRBuilder<>& b = init.b;
  const wabt::Module& m = *wasm_;

  for (uint32_t i = m.num_memory_imports; i < m.memories.size(); ++i) {
    const wabt::Limits& l = m.memories[i]->page_limits;
    llvm::Function* alloc = runtime_function(
        "wasixc_memory_allocate_at",
        llvm::FunctionType::get(b.getVoidTy(), {ptr(), i32(), i32(), i32(), i64()}, false));
    llvm::Value* storage = init.at(layout_.memory_store[i]);
    uint64_t max = l.has_max ? l.max : WASIXC_MAX_PAGES;
    b.CreateCall(alloc, {storage, b.getInt32(static_cast<uint32_t>(l.initial)),
                         b.getInt32(static_cast<uint32_t>(max)), b.getInt32(l.is_shared),
                         b.getInt64(i == 0 ? fixed_memory_address() : 0)});
    init.store_ptr(layout_.memory_ptr[i], storage);
  }
  if (!m.memories.empty()) {
    llvm::Value* mem = b.CreateLoad(ptr(), init.at(layout_.memory_ptr[0]));
    init.store_ptr(layout_.mem_base, b.CreateLoad(ptr(), mem));  // wasixc_memory.data
  }
  for (uint32_t i = m.num_table_imports; i < m.tables.size(); ++i) {
    const wabt::Limits& l = m.tables[i]->elem_limits;
    llvm::Function* alloc = runtime_function(
        "wasixc_table_allocate", llvm::FunctionType::get(b.getVoidTy(), {ptr(), i32(), i32()}, false));
    llvm::Value* storage = init.at(layout_.table_store[i]);
    uint64_t max = l.has_max ? l.max : UINT32_MAX;
    b.CreateCall(alloc, {storage, b.getInt32(static_cast<uint32_t>(l.initial)),
                         b.getInt32(static_cast<uint32_t>(max))});
    init.store_ptr(layout_.table_ptr[i], storage);
  }
  llvm::Function* type_id = runtime_function(
      "wasixc_type_id", llvm::FunctionType::get(i32(), {ptr()}, false));
  for (uint32_t t = 0; t < m.types.size(); ++t) {
    const auto* ft = wabt::dyn_cast<wabt::FuncType>(m.types[t]);
    if (!ft) continue;
    b.CreateStore(b.CreateCall(type_id, {c_string(signature_string(ft->sig))}),
                  init.at(layout_.type_id[t]));
  }
  // Function records (own functions, syscall-bound imports, stubs) from a
  // constant table; dynamic imports arrive filled in by the embedder.
  llvm::StructType* init_ty = llvm::StructType::get(ctx_, {ptr(), i32(), i32()});
  std::vector<llvm::Constant*> rows;
  for (uint32_t i = 0; i < m.funcs.size(); ++i) {
    llvm::Constant* code = defined_function(i);
    // A syscall is a C function: in a funcref itself under the C
    // convention, through an adapter under tailcc.
    if (!code && syscall_for(i))
      code = guest_cc_ == llvm::CallingConv::C ? syscall_for(i) : emit_syscall_adapter(i);
    if (!code && !options_.dynamic_imports) code = emit_missing_import_stub(i);
    if (!code) code = llvm::ConstantPointerNull::get(ptr());
    rows.push_back(llvm::ConstantStruct::get(
        init_ty, {code, b.getInt32(m.GetFuncTypeIndex(m.funcs[i]->decl)), b.getInt32(0)}));
  }
  if (!rows.empty()) {
    llvm::ArrayType* at = llvm::ArrayType::get(init_ty, rows.size());
    auto* table = new llvm::GlobalVariable(*module_, at, true, llvm::GlobalValue::PrivateLinkage,
                                           llvm::ConstantArray::get(at, rows), "funcref_init");
    llvm::Function* helper = runtime_function(
        "wasixc_init_funcrefs", llvm::FunctionType::get(b.getVoidTy(), {ptr(), ptr(), i32(), i32(), i32(), i32()}, false));
    b.CreateCall(helper, {init.inst, table, b.getInt32(rows.size()), b.getInt32(layout_.func_ptr[0]),
                          b.getInt32(layout_.func_record[0]),
                          b.getInt32(layout_.type_id.empty() ? 0 : layout_.type_id[0])});
  }
  for (uint32_t i = m.num_tag_imports; i < m.tags.size(); ++i)
    init.store_ptr(layout_.tag_ptr[i], init.at(layout_.tag_cell[i]));  // a new identity per instance
  for (uint32_t i = m.num_global_imports; i < m.globals.size(); ++i) {
    const wabt::Global* g = m.globals[i];
    llvm::Value* v = eval_const_expr(b, init.inst, g->init_expr, g->type);
    b.CreateStore(v, init.at(layout_.global_cell[i]));
    init.store_ptr(layout_.global_ptr[i], init.at(layout_.global_cell[i]));
  }
  for (uint32_t s = 0; s < m.elem_segments.size(); ++s) {
    const wabt::ElemSegment* seg = m.elem_segments[s];
    // Items that are ref.func / ref.null come from a table of function
    // indices (C++ programs have thousands); others are evaluated here.
    std::vector<int32_t> indices;
    for (const wabt::ExprList& item : seg->elem_exprs) {
      if (item.size() != 1) break;
      if (auto* f = wabt::dyn_cast<wabt::RefFuncExpr>(&item.front()))
        indices.push_back(static_cast<int32_t>(m.GetFuncIndex(f->var)));
      else if (wabt::isa<wabt::RefNullExpr>(&item.front()))
        indices.push_back(-1);
      else
        break;
    }
    if (indices.size() == seg->elem_exprs.size() && !indices.empty()) {
      llvm::Constant* data = llvm::ConstantDataArray::get(ctx_, llvm::ArrayRef<int32_t>(indices));
      auto* table = new llvm::GlobalVariable(*module_, data->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                             data, "elem_functions");
      llvm::Function* helper = runtime_function(
          "wasixc_init_elem_items", llvm::FunctionType::get(b.getVoidTy(), {ptr(), ptr(), i32(), i32(), i32()}, false));
      b.CreateCall(helper, {init.inst, table, b.getInt32(indices.size()), b.getInt32(layout_.elem_items[s]),
                            b.getInt32(layout_.func_ptr.empty() ? 0 : layout_.func_ptr[0])});
    } else {
      for (uint32_t j = 0; j < seg->elem_exprs.size(); ++j)
        b.CreateStore(eval_const_expr(b, init.inst, seg->elem_exprs[j], seg->elem_type),
                      init.at(layout_.elem_items[s] + 8 * j));
    }
    // Declarative segments are dropped at instantiation.
    if (seg->kind == wabt::SegmentKind::Declared)
      b.CreateStore(b.getInt8(1), init.at(layout_.elem_dropped + s));
  }
  b.CreateRetVoid();
}

void ModuleCodegen::emit_segments_and_start() {
  InitFunction run(*this, "wasixc_run_segments_and_start");
  llvm::IRBuilder<>& b = run.b;
  const wabt::Module& m = *wasm_;
  // Element segments first, then data (spec: instantiation, steps 14-15).
  for (uint32_t s = 0; s < m.elem_segments.size(); ++s) {
    const wabt::ElemSegment* seg = m.elem_segments[s];
    if (seg->kind != wabt::SegmentKind::Active) continue;
    llvm::Value* offset = eval_const_expr(b, run.inst, seg->offset, wabt::Type::I32);
    llvm::Value* table = table_ptr(b, run.inst, m.GetTableIndex(seg->table_var));
    llvm::Function* init_fn = runtime_function(
        "wasixc_table_init",
        llvm::FunctionType::get(i32(), {ptr(), i32(), ptr(), i32(), i32(), i32()}, false));
    uint32_t len = static_cast<uint32_t>(seg->elem_exprs.size());
    llvm::Value* failed = b.CreateCall(init_fn, {table, offset, run.at(layout_.elem_items[s]),
                                                 b.getInt32(len), b.getInt32(0), b.getInt32(len)});
    run.trap_if(b.CreateICmpNE(failed, b.getInt32(0)), WASIXC_TRAP_TABLE_OOB);
    b.CreateStore(b.getInt8(1), run.at(layout_.elem_dropped + s));
  }
  for (uint32_t s = 0; s < m.data_segments.size(); ++s) {
    const wabt::DataSegment* seg = m.data_segments[s];
    if (seg->kind != wabt::SegmentKind::Active) continue;
    llvm::Value* offset = b.CreateZExt(eval_const_expr(b, run.inst, seg->offset, wabt::Type::I32), i64());
    llvm::Value* mem = memory_ptr(b, run.inst, 0);
    llvm::Value* size = b.CreateLoad(i64(), b.CreateConstInBoundsGEP1_64(i8(), mem, offsetof(wasixc_memory, size)));
    uint64_t len = data_segment_size(s);
    run.trap_if(b.CreateICmpUGT(b.CreateAdd(offset, b.getInt64(len)), size), WASIXC_TRAP_MEMORY_OOB);
    llvm::Value* base = b.CreateLoad(ptr(), run.at(layout_.mem_base));
    b.CreateMemCpy(b.CreateInBoundsGEP(i8(), base, offset), llvm::MaybeAlign(1), data_globals_[s],
                   llvm::MaybeAlign(1), len);
    b.CreateStore(b.getInt8(1), run.at(layout_.data_dropped + s));
  }
  for (const wabt::Var* start : m.starts) {
    uint32_t f = m.GetFuncIndex(*start);
    llvm::Value* ref = b.CreateLoad(ptr(), run.at(layout_.func_ptr[f]));
    FuncrefTarget target = funcref_target(b, ref);
    call_from_host(b, llvm::FunctionCallee(function_type(m.funcs[f]->decl.sig), target.code), {target.instance})
        ->setCallingConv(guest_cc_);
  }
  b.CreateRetVoid();
}

llvm::Function* ModuleCodegen::emit_invoke_thunk(uint32_t index) {
  const wabt::FuncSignature& sig = wasm_->funcs[index]->decl.sig;
  llvm::Function* thunk = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr(), ptr(), ptr()}, false),
      llvm::Function::InternalLinkage, "invoke", *module_);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", thunk));
  llvm::Value* inst = thunk->getArg(0);
  auto slot = [&](llvm::Value* base, size_t i) { return b.CreateConstInBoundsGEP1_64(i64(), base, i); };
  std::vector<llvm::Value*> args;
  FuncrefTarget target = funcref_target(b, b.CreateLoad(ptr(), at(b, inst, layout_.func_ptr[index])));
  args.push_back(target.instance);
  // A v128 takes two slots (abi.h), so slot numbers run apart from value numbers.
  size_t next_slot = 0;
  for (size_t i = 0; i < sig.param_types.size(); ++i) {
    llvm::Type* t = value_type(sig.param_types[i]);
    if (t->isVectorTy()) {
      args.push_back(b.CreateAlignedLoad(t, slot(thunk->getArg(1), next_slot), llvm::Align(8)));
      next_slot += 2;
      continue;
    }
    llvm::Value* bits = b.CreateLoad(i64(), slot(thunk->getArg(1), next_slot++));
    if (t->isPointerTy())
      args.push_back(b.CreateIntToPtr(bits, t));
    else if (t->getPrimitiveSizeInBits() == 32)
      args.push_back(b.CreateBitCast(b.CreateTrunc(bits, i32()), t));
    else
      args.push_back(b.CreateBitCast(bits, t));
  }
  llvm::CallBase* call = call_from_host(b, llvm::FunctionCallee(function_type(sig), target.code), args);
  call->setCallingConv(guest_cc_);
  next_slot = 0;
  for (size_t i = 0; i < sig.result_types.size(); ++i) {
    llvm::Value* v = sig.result_types.size() == 1 ? call : b.CreateExtractValue(call, {static_cast<unsigned>(i)});
    if (v->getType()->isVectorTy()) {
      b.CreateAlignedStore(v, slot(thunk->getArg(2), next_slot), llvm::Align(8));
      next_slot += 2;
      continue;
    }
    llvm::Value* bits;
    if (v->getType()->isPointerTy())
      bits = b.CreatePtrToInt(v, i64());
    else if (v->getType()->getPrimitiveSizeInBits() == 32)
      bits = b.CreateZExt(b.CreateBitCast(v, i32()), i64());
    else
      bits = b.CreateBitCast(v, i64());
    b.CreateStore(bits, slot(thunk->getArg(2), next_slot++));
  }
  b.CreateRetVoid();
  return thunk;
}

void ModuleCodegen::emit_descriptor(const std::string& info_symbol) {
  const wabt::Module& m = *wasm_;
  llvm::StructType* import_ty = llvm::StructType::get(
      ctx_, {ptr(), ptr(), i32(), i32(), i32(), i32(), ptr(), i64(), i64(), i32(), i32()});
  llvm::StructType* export_ty = llvm::StructType::get(ctx_, {ptr(), i32(), i32(), i32(), ptr(), ptr()});
  auto u32c = [&](uint64_t v) { return llvm::ConstantInt::get(i32(), v); };
  auto u64c = [&](uint64_t v) { return llvm::ConstantInt::get(i64(), v); };
  llvm::Constant* null = llvm::ConstantPointerNull::get(ptr());

  std::vector<llvm::Constant*> imports;
  uint32_t func_i = 0, table_i = 0, mem_i = 0, global_i = 0, tag_i = 0;
  for (const wabt::Import* imp : m.imports) {
    uint32_t kind = 0, slot = 0, shared = 0, resolved = 0;
    std::string type;
    uint64_t min = 0, max = 0;
    switch (imp->kind()) {
      case wabt::ExternalKind::Func:
        kind = WASIXC_EXTERN_FUNC;
        slot = layout_.func_ptr[func_i];
        type = signature_string(m.funcs[func_i]->decl.sig);
        resolved = syscall_for(func_i) != nullptr || !options_.dynamic_imports;
        ++func_i;
        break;
      case wabt::ExternalKind::Table: {
        const wabt::Table* t = m.tables[table_i];
        kind = WASIXC_EXTERN_TABLE;
        slot = layout_.table_ptr[table_i++];
        type = std::string(1, type_letter(t->elem_type));
        min = t->elem_limits.initial;
        max = limit_max(t->elem_limits);
        break;
      }
      case wabt::ExternalKind::Memory: {
        const wabt::Memory* mem = m.memories[mem_i];
        kind = WASIXC_EXTERN_MEMORY;
        slot = layout_.memory_ptr[mem_i++];
        min = mem->page_limits.initial;
        max = limit_max(mem->page_limits);
        shared = mem->page_limits.is_shared;
        break;
      }
      case wabt::ExternalKind::Global: {
        const wabt::Global* g = m.globals[global_i];
        kind = WASIXC_EXTERN_GLOBAL;
        slot = layout_.global_ptr[global_i++];
        type = std::string(1, type_letter(g->type)) + (g->mutable_ ? "m" : "");
        break;
      }
      case wabt::ExternalKind::Tag:
        kind = WASIXC_EXTERN_TAG;
        type = signature_string(tag_signature(tag_i));
        slot = layout_.tag_ptr[tag_i++];
        break;
    }
    imports.push_back(llvm::ConstantStruct::get(
        import_ty, {c_string(imp->module_name), c_string(imp->field_name),
                    u32c(imp->module_name.size()), u32c(imp->field_name.size()), u32c(kind), u32c(slot),
                    c_string(type), u64c(min), u64c(max), u32c(shared), u32c(resolved)}));
  }

  std::vector<llvm::Constant*> exports;
  for (const wabt::Export* e : m.exports) {
    uint32_t kind = 0, offset = 0;
    std::string type;
    llvm::Constant* invoke = null;
    switch (e->kind) {
      case wabt::ExternalKind::Func: {
        uint32_t f = m.GetFuncIndex(e->var);
        kind = WASIXC_EXTERN_FUNC;
        offset = layout_.func_ptr[f];
        type = signature_string(m.funcs[f]->decl.sig);
        // Host callbacks skip wasm-ld's command-export wrapper (command_exports.h).
        invoke = emit_invoke_thunk(export_call_target(m, *e));
        break;
      }
      case wabt::ExternalKind::Table: {
        uint32_t t = m.GetTableIndex(e->var);
        kind = WASIXC_EXTERN_TABLE;
        offset = layout_.table_ptr[t];
        type = std::string(1, type_letter(m.tables[t]->elem_type));
        break;
      }
      case wabt::ExternalKind::Memory:
        kind = WASIXC_EXTERN_MEMORY;
        offset = layout_.memory_ptr[m.GetMemoryIndex(e->var)];
        break;
      case wabt::ExternalKind::Global: {
        uint32_t g = m.GetGlobalIndex(e->var);
        kind = WASIXC_EXTERN_GLOBAL;
        offset = layout_.global_ptr[g];
        type = std::string(1, type_letter(m.globals[g]->type)) + (m.globals[g]->mutable_ ? "m" : "");
        break;
      }
      case wabt::ExternalKind::Tag: {
        uint32_t t = m.GetTagIndex(e->var);
        kind = WASIXC_EXTERN_TAG;
        offset = layout_.tag_ptr[t];
        type = signature_string(tag_signature(t));
        break;
      }
      default: continue;
    }
    exports.push_back(llvm::ConstantStruct::get(
        export_ty, {c_string(e->name), u32c(e->name.size()), u32c(kind), u32c(offset), c_string(type), invoke}));
  }

  auto array = [&](llvm::StructType* ty, const std::vector<llvm::Constant*>& items, const char* name) {
    llvm::ArrayType* at = llvm::ArrayType::get(ty, items.size());
    return new llvm::GlobalVariable(*module_, at, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(at, items), name);
  };
  int64_t sp = polls_ ? polls_->stack_pointer_global() : -1;
  uint32_t sp_offset = interruptible_ && sp >= 0 ? layout_.global_cell[sp] : UINT32_MAX;
  llvm::StructType* info_ty =
      llvm::StructType::get(ctx_, {i32(), i32(), ptr(), i32(), ptr(), ptr(), ptr(), i64(), i32(), i32()});
  llvm::Constant* info = llvm::ConstantStruct::get(
      info_ty, {u32c(layout_.size), u32c(imports.size()), array(import_ty, imports, "imports"),
                u32c(exports.size()), array(export_ty, exports, "exports"),
                module_->getFunction("wasixc_init"), module_->getFunction("wasixc_run_segments_and_start"),
                llvm::ConstantInt::get(i64(), fixed_memory_address()), u32c(interruptible_ ? 1 : 0), u32c(sp_offset)});
  new llvm::GlobalVariable(*module_, info_ty, true, llvm::GlobalValue::ExternalLinkage, info, info_symbol);
}

}  // namespace wasixc::aot::llvmgen
