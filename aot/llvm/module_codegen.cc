// Module-level code generation: types, function declarations, data
// segments, global access, constant expressions, and the order of work in
// generate().
#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "aot/diagnostics.h"
#include "aot/llvm/address_iv_widening.h"
#include "aot/llvm/codegen.h"
#include "aot/llvm/interruptible.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "llvm/Support/raw_ostream.h"
#include "wabt/cast.h"
#include "wasixc/abi.h"

namespace wasixc::aot::llvmgen {

ModuleCodegen::ModuleCodegen(const LoadedModule& loaded, const ImportPlan& imports,
                             const CodegenOptions& options, llvm::LLVMContext& ctx)
    : loaded_(loaded),
      wasm_(loaded.module.get()),
      imports_(imports),
      options_(options),
      ctx_(ctx),
      layout_(compute_layout(*loaded.module)),
      facts_(options.facts ? options.facts : std::make_shared<const BodyFacts>(BodyFacts::of(*loaded.module))) {}

llvm::Type* ModuleCodegen::value_type(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return i32();
    case wabt::Type::I64: return i64();
    case wabt::Type::F32: return llvm::Type::getFloatTy(ctx_);
    case wabt::Type::F64: return llvm::Type::getDoubleTy(ctx_);
    case wabt::Type::V128: return llvm::FixedVectorType::get(i64(), 2);  // emit_simd.cc
    case wabt::Type::FuncRef:
    case wabt::Type::ExternRef: return ptr();
    default:
      fail("%s: value type %s is not supported by the llvm backend",
           options_.module_name.c_str(), t.GetName().c_str());
  }
}

llvm::Type* ModuleCodegen::result_type(const std::vector<wabt::Type>& results) {
  if (results.empty()) return llvm::Type::getVoidTy(ctx_);
  if (results.size() == 1) return value_type(results[0]);
  std::vector<llvm::Type*> fields;
  for (wabt::Type t : results) fields.push_back(value_type(t));
  return llvm::StructType::get(ctx_, fields);
}

llvm::FunctionType* ModuleCodegen::function_type(const wabt::FuncSignature& sig) {
  std::vector<llvm::Type*> params = {ptr()};  // the instance
  for (wabt::Type t : sig.param_types) params.push_back(value_type(t));
  return llvm::FunctionType::get(result_type(sig.result_types), params, false);
}

llvm::Function* ModuleCodegen::runtime_function(const char* name, llvm::FunctionType* type,
                                                bool noreturn) {
  llvm::Function* f = module_->getFunction(name);
  if (f) return f;
  f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, *module_);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  if (noreturn) {
    f->addFnAttr(llvm::Attribute::NoReturn);
    f->addFnAttr(llvm::Attribute::Cold);
  }
  return f;
}

llvm::Function* ModuleCodegen::syscall_for(uint32_t func_index) {
  if (func_index >= wasm_->num_func_imports) return nullptr;
  const FunctionImport& imp = imports_.functions[func_index];
  if (!imp.syscall) return nullptr;
  const wabt::Func* f = wasm_->funcs[func_index];
  if (imp.syscall->flags & SYSCALL_RETURNS_TWICE) {
    llvm::Function* fn = runtime_function(imp.syscall->symbol, function_type(f->decl.sig));
    fn->addFnAttr(llvm::Attribute::ReturnsTwice);
    return fn;
  }
  return runtime_function(imp.syscall->symbol, function_type(f->decl.sig),
                          imp.syscall->flags & SYSCALL_NORETURN);
}

llvm::MDNode* ModuleCodegen::tbaa_tag(const char* type_name, llvm::MDNode** cache) {
  if (!*cache) {
    llvm::MDBuilder md(ctx_);
    llvm::MDNode* type = md.createTBAAScalarTypeNode(type_name, md.createTBAARoot("wasixc"));
    *cache = md.createTBAAStructTagNode(type, type, 0);
  }
  return *cache;
}

ModuleCodegen::FuncrefTarget ModuleCodegen::funcref_target(llvm::IRBuilder<>& b, llvm::Value* ref) {
  auto field = [&](size_t offset) {
    return invariant(b.CreateLoad(ptr(), b.CreateConstInBoundsGEP1_64(i8(), ref, offset)));
  };
  return {field(offsetof(wasixc_funcref, code)), field(offsetof(wasixc_funcref, instance))};
}

llvm::LoadInst* ModuleCodegen::invariant(llvm::LoadInst* load) {
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
  return load;
}

void ModuleCodegen::find_frozen_tables() {
  const wabt::Module& m = *wasm_;
  frozen_tables_.assign(m.tables.size(), true);
  for (uint32_t i = 0; i < m.num_table_imports; ++i) frozen_tables_[i] = false;
  for (const wabt::Export* e : m.exports)
    if (e->kind == wabt::ExternalKind::Table) frozen_tables_[m.GetTableIndex(e->var)] = false;
  for (uint32_t t = 0; t < m.tables.size(); ++t)
    if (facts_->table_changed_by_code(t)) frozen_tables_[t] = false;
}

llvm::Value* ModuleCodegen::at(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t offset) {
  if (offset == 0) return inst;
  return b.CreateConstInBoundsGEP1_64(i8(), inst, offset);
}

llvm::Value* ModuleCodegen::memory_ptr(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index) {
  return b.CreateLoad(ptr(), at(b, inst, layout_.memory_ptr[index]));
}

llvm::Value* ModuleCodegen::table_ptr(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index) {
  return invariant(b.CreateLoad(ptr(), at(b, inst, layout_.table_ptr[index])));
}

// Own globals live in the instance; imported ones behind a pointer slot.
static llvm::Value* global_cell(ModuleCodegen& mc, llvm::IRBuilder<>& b, llvm::Value* inst,
                                uint32_t index) {
  if (index >= mc.wasm().num_global_imports) return mc.at(b, inst, mc.layout().global_cell[index]);
  return b.CreateLoad(mc.ptr(), mc.at(b, inst, mc.layout().global_ptr[index]));
}

llvm::Value* ModuleCodegen::load_global(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index) {
  llvm::LoadInst* load = b.CreateLoad(value_type(wasm_->globals[index]->type), global_cell(*this, b, inst, index));
  load->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa_instance());
  return load;
}

void ModuleCodegen::store_global(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index,
                                 llvm::Value* v) {
  // In interruptible code the shadow-stack pointer in the instance is
  // always current, its frame stores after the push and before the pop
  // (interruptible.cc).
  bool stack_pointer = interruptible_ && static_cast<int64_t>(index) == polls_->stack_pointer_global();
  if (stack_pointer) b.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent, llvm::SyncScope::SingleThread);
  llvm::StoreInst* store = b.CreateStore(v, global_cell(*this, b, inst, index));
  store->setMetadata(llvm::LLVMContext::MD_tbaa, tbaa_instance());
  if (!stack_pointer) return;
  store->setVolatile(true);
  b.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent, llvm::SyncScope::SingleThread);
}

llvm::Value* ModuleCodegen::eval_const_expr(llvm::IRBuilder<>& b, llvm::Value* inst,
                                            const wabt::ExprList& expr, wabt::Type type) {
  std::vector<llvm::Value*> stack;
  for (const wabt::Expr& e : expr) {
    switch (e.type()) {
      case wabt::ExprType::Const: {
        const wabt::Const& c = wabt::cast<wabt::ConstExpr>(&e)->const_;
        switch (c.type()) {
          case wabt::Type::I32: stack.push_back(b.getInt32(c.u32())); break;
          case wabt::Type::I64: stack.push_back(b.getInt64(c.u64())); break;
          case wabt::Type::F32:
            stack.push_back(b.CreateBitCast(b.getInt32(c.f32_bits()), value_type(c.type())));
            break;
          case wabt::Type::F64:
            stack.push_back(b.CreateBitCast(b.getInt64(c.f64_bits()), value_type(c.type())));
            break;
          case wabt::Type::V128: {
            uint64_t halves[2] = {c.vec128().u64(0), c.vec128().u64(1)};
            stack.push_back(llvm::ConstantDataVector::get(ctx_, llvm::ArrayRef<uint64_t>(halves, 2)));
            break;
          }
          default: fail("%s: unsupported constant type", options_.module_name.c_str());
        }
        break;
      }
      case wabt::ExprType::GlobalGet:
        stack.push_back(load_global(
            b, inst, wasm_->GetGlobalIndex(wabt::cast<wabt::GlobalGetExpr>(&e)->var)));
        break;
      case wabt::ExprType::RefNull:
        stack.push_back(llvm::ConstantPointerNull::get(ptr()));
        break;
      case wabt::ExprType::RefFunc: {
        uint32_t f = wasm_->GetFuncIndex(wabt::cast<wabt::RefFuncExpr>(&e)->var);
        stack.push_back(b.CreateLoad(ptr(), at(b, inst, layout_.func_ptr[f])));
        break;
      }
      case wabt::ExprType::Binary: {  // extended-const: add, sub, mul
        llvm::Value* rhs = stack.back();
        stack.pop_back();
        llvm::Value* lhs = stack.back();
        stack.pop_back();
        const wabt::Opcode op = wabt::cast<wabt::BinaryExpr>(&e)->opcode;
        if (op == wabt::Opcode::I32Add || op == wabt::Opcode::I64Add)
          stack.push_back(b.CreateAdd(lhs, rhs));
        else if (op == wabt::Opcode::I32Sub || op == wabt::Opcode::I64Sub)
          stack.push_back(b.CreateSub(lhs, rhs));
        else if (op == wabt::Opcode::I32Mul || op == wabt::Opcode::I64Mul)
          stack.push_back(b.CreateMul(lhs, rhs));
        else
          fail("%s: unsupported operator in a constant expression", options_.module_name.c_str());
        break;
      }
      default:
        fail("%s: unsupported constant expression (%s)", options_.module_name.c_str(),
             wabt::GetExprTypeName(e));
    }
  }
  if (stack.size() != 1) fail("%s: malformed constant expression", options_.module_name.c_str());
  (void)type;
  return stack.back();
}

llvm::Constant* ModuleCodegen::c_string(const std::string& s) {
  llvm::IRBuilder<> b(ctx_);
  llvm::Constant* data = llvm::ConstantDataArray::getString(ctx_, s, true);
  auto* g = new llvm::GlobalVariable(*module_, data->getType(), true,
                                     llvm::GlobalValue::PrivateLinkage, data, ".str");
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return g;
}

// Names every module-defined function; defined_function() declares it.
void ModuleCodegen::declare_functions() {
  functions_.assign(wasm_->funcs.size(), nullptr);
  function_names_.assign(wasm_->funcs.size(), std::string());
  std::set<std::string> used;
  // A function the name section does not name takes its first export's
  // name (as wabt's name generation did), so traps and perf still say
  // `_start` in a stripped module.
  std::map<uint32_t, std::string> export_names;
  for (const wabt::Export* e : wasm_->exports)
    if (e->kind == wabt::ExternalKind::Func && e->var.is_index())
      export_names.emplace(e->var.index(), e->name);
  for (uint32_t i = wasm_->num_func_imports; i < wasm_->funcs.size(); ++i) {
    std::string name = wasm_->funcs[i]->name;
    if (name.empty()) {
      auto exported = export_names.find(i);
      name = exported != export_names.end() ? exported->second : "f" + std::to_string(i);
    }
    if (name[0] == '$') name.erase(0, 1);
    // The wasm name stays visible to the trap reporter (runtime/symbolize.cc).
    name = "wasm_fn_" + name;
    if (!used.insert(name).second) name += "." + std::to_string(i);
    function_names_[i] = std::move(name);
  }
}

llvm::Function* ModuleCodegen::defined_function(uint32_t i) {
  if (llvm::Function* fn = functions_[i]) return fn;
  if (i < wasm_->num_func_imports) return nullptr;  // imports are called through the instance
  // Partitions of one module call each other's functions, so across
  // partitions names must be unique and linkage hidden-external; a module
  // compiled whole keeps them internal, which lets LLVM see every caller.
  auto linkage = options_.partitioned ? llvm::Function::ExternalLinkage : llvm::Function::InternalLinkage;
  const wabt::Func* f = wasm_->funcs[i];
  llvm::Function* fn = llvm::Function::Create(function_type(f->decl.sig), linkage, function_names_[i], *module_);
  fn->setCallingConv(guest_cc_);
  if (options_.partitioned) fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  fn->setSection(WASIXC_CODE_SECTION);
  if (!uses_exceptions_) fn->addFnAttr(llvm::Attribute::NoUnwind);
  // Probe every page of a large frame so no frame steps over the guard
  // region below the stack: exhaustion then always hits the guard.
  fn->addFnAttr("probe-stack", "inline-asm");
  // Not noalias: call_indirect and imports reach the same instance
  // through pointers loaded from funcrefs, which noalias would make UB.
  fn->addParamAttr(0, llvm::Attribute::NonNull);
  functions_[i] = fn;
  return fn;
}

// Each partition that calls a helper gets its own inlinable copy
// (internal, returns_twice, always inlined into the caller, whose frame
// the checkpoint then names).
void ModuleCodegen::declare_checkpoint_helpers() {
  inline_copies_.assign(wasm_->funcs.size(), nullptr);
  for (uint32_t i = wasm_->num_func_imports; i < wasm_->funcs.size(); ++i) {
    if (!checkpoints_.helper[i]) continue;
    llvm::Function* copy = llvm::Function::Create(function_type(wasm_->funcs[i]->decl.sig),
                                                  llvm::Function::InternalLinkage,
                                                  function_names_[i] + ".inline", *module_);
    copy->setCallingConv(guest_cc_);
    copy->setSection(WASIXC_CODE_SECTION);
    if (!uses_exceptions_) copy->addFnAttr(llvm::Attribute::NoUnwind);
    copy->addFnAttr("probe-stack", "inline-asm");
    copy->addFnAttr(llvm::Attribute::ReturnsTwice);
    copy->addFnAttr(llvm::Attribute::AlwaysInline);
    copy->addParamAttr(0, llvm::Attribute::NonNull);
    inline_copies_[i] = copy;
  }
}

void ModuleCodegen::declare_data_segments() {
  // Defined in the main partition, declared (hidden) in the others.
  for (size_t i = 0; i < wasm_->data_segments.size(); ++i) {
    const wabt::DataSegment* seg = wasm_->data_segments[i];
    llvm::ArrayType* type = llvm::ArrayType::get(i8(), data_segment_size(i));
    llvm::Constant* bytes = nullptr;
    if (options_.main_partition) {
      if (seg->data.size() != data_segment_size(i))
        fail("%s: internal error: data segment %zu without its bytes", options_.module_name.c_str(), i);
      bytes = llvm::ConstantDataArray::get(ctx_, llvm::ArrayRef<uint8_t>(seg->data.data(), seg->data.size()));
    }
    auto linkage = options_.partitioned ? llvm::GlobalValue::ExternalLinkage : llvm::GlobalValue::PrivateLinkage;
    auto* g = new llvm::GlobalVariable(*module_, type, true, linkage, bytes,
                                       options_.partitioned ? "wasm_data." + std::to_string(i) : "data_segment");
    if (options_.partitioned) g->setVisibility(llvm::GlobalValue::HiddenVisibility);
    data_globals_.push_back(g);
  }
}

// Every object references the runtime ABI stamp (abi.h): linked against a
// runtime of another ABI version, it fails with an undefined symbol.
void ModuleCodegen::stamp_abi_version() {
  auto* stamp = new llvm::GlobalVariable(*module_, i32(), true, llvm::GlobalValue::ExternalLinkage, nullptr,
                                         "wasixc_runtime_abi_v" + std::to_string(WASIXC_ABI_VERSION));
  auto* ref = new llvm::GlobalVariable(*module_, ptr(), true, llvm::GlobalValue::PrivateLinkage, stamp,
                                       "abi_stamp_ref");
  llvm::appendToCompilerUsed(*module_, {ref});
}

std::unique_ptr<llvm::Module> ModuleCodegen::generate(const std::string& info_symbol) {
  module_ = std::make_unique<llvm::Module>(options_.module_name, ctx_);
  if (wasm_->memories.size() > 1)
    fail("%s: multiple memories are not supported yet", options_.module_name.c_str());
  for (const wabt::Memory* mem : wasm_->memories)
    if (mem->page_limits.is_64)
      fail("%s: memory64 is not supported yet", options_.module_name.c_str());
  // A memory that starts below 4 GiB stays below it (the runtime's cap,
  // libwasix/runtime/memory.cc): 32-bit address IVs may be widened.
  if (fixed_memory_address() && wasm_->memories[0]->page_limits.initial < WASIXC_MAX_PAGES)
    module_->addModuleFlag(llvm::Module::Error, kWidenAddressIvsFlag, fixed_memory_address());
  checkpoints_ = plan_checkpoints(*wasm_, imports_, *facts_);
  uses_exceptions_ = find_exception_use();
  if (options_.tail_call_convention || find_tail_call_use()) guest_cc_ = llvm::CallingConv::Tail;
  declare_functions();
  uint32_t begin = std::max<uint32_t>(wasm_->num_func_imports, options_.first_function);
  uint32_t end = std::min<uint32_t>(wasm_->funcs.size(), options_.end_function);
  // This partition's functions first, in index order (the order of the
  // code in the object); others only as their calls need them.
  for (uint32_t i = begin; i < end; ++i) defined_function(i);
  declare_checkpoint_helpers();
  declare_data_segments();
  if (options_.safepoints) polls_ = std::make_unique<PollPlan>(*wasm_, *facts_);
  // Interruptible when the runtime can find the shadow-stack pointer: in
  // this instance's own cell (not an imported global's).
  int64_t sp = polls_ ? polls_->stack_pointer_global() : -1;
  interruptible_ = options_.safepoints && options_.interruptible &&
                   (sp < 0 || static_cast<uint64_t>(sp) >= wasm_->num_global_imports);
  if (interruptible_) module_->addModuleFlag(llvm::Module::Error, kInterruptibleFlag, 1);
  find_frozen_tables();
  for (uint32_t i = begin; i < end; ++i) {
    emit_function_body(*this, i, functions_[i]);
    // The standalone copy of a helper (reached through a table or an
    // export) takes its checkpoint in its own frame, which dies when it
    // returns: it reports that like any function calling setjmp.
    if (checkpoints_.checkpoint_frame[i] || checkpoints_.helper[i]) add_frame_exit_hooks(functions_[i]);
  }
  for (uint32_t i = wasm_->num_func_imports; i < wasm_->funcs.size(); ++i)
    if (inline_copies_[i]) emit_function_body(*this, i, inline_copies_[i]);
  stamp_abi_version();
  if (options_.main_partition) {
    emit_init();
    emit_segments_and_start();
    emit_descriptor(info_symbol);
  }
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*module_, &os))
    fail("%s: internal error: the generated LLVM IR does not verify:\n%s",
         options_.module_name.c_str(), problems.substr(0, 4000).c_str());
  return std::move(module_);
}

}  // namespace wasixc::aot::llvmgen
