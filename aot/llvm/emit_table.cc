// Tables and references: call_indirect (bounds, null and signature
// checks), table.get/set/size/grow/fill/copy/init, elem.drop, ref.null,
// ref.is_null, ref.func. A reference is a pointer: a wasixc_funcref* for
// funcref (null for ref.null), an opaque pointer for externref.
#include "aot/diagnostics.h"
#include "aot/llvm/function_codegen.h"
#include "llvm/IR/Constants.h"
#include "wabt/cast.h"

namespace wasixc::aot::llvmgen {

namespace {

llvm::LoadInst* field(FunctionCodegen& f, llvm::Value* base, size_t offset, llvm::Type* type) {
  return f.b.CreateLoad(type, f.b.CreateConstInBoundsGEP1_64(f.b.getInt8Ty(), base, offset));
}

// A table's size and data pointer; invariant when the table is frozen.
// A frozen table of the module's own is the wasixc_table inline in the
// instance, its size fixed at the declared initial one: no load reaches
// its descriptor and the bounds check compares with a constant.
struct TableView {
  llvm::Value* table;
  bool frozen;
  llvm::Value* fixed_size;  // frozen own tables only
};

TableView table_view(FunctionCodegen& f, uint32_t table_index) {
  const wabt::Module& m = f.mc.wasm();
  if (f.mc.table_frozen(table_index) && table_index >= m.num_table_imports) {
    uint64_t size = m.tables[table_index]->elem_limits.initial;
    return {f.mc.at(f.b, f.inst, f.mc.layout().table_store[table_index]), true,
            f.i32(static_cast<uint32_t>(size))};
  }
  return {f.mc.table_ptr(f.b, f.inst, table_index), f.mc.table_frozen(table_index), nullptr};
}

llvm::LoadInst* maybe_invariant(FunctionCodegen& f, llvm::LoadInst* load, bool frozen) {
  return frozen ? f.mc.invariant(load) : load;
}

llvm::Value* table_size(FunctionCodegen& f, TableView t) {
  if (t.fixed_size) return t.fixed_size;
  return maybe_invariant(f, field(f, t.table, offsetof(wasixc_table, size), f.b.getInt32Ty()), t.frozen);
}

// Pointer to element `index` (i32) of the table, after a bounds check.
llvm::Value* element(FunctionCodegen& f, TableView t, llvm::Value* index, wasixc_trap_code code) {
  f.trap_if(f.b.CreateICmpUGE(index, table_size(f, t)), code);
  llvm::Value* data = maybe_invariant(f, field(f, t.table, offsetof(wasixc_table, data), f.mc.ptr()), t.frozen);
  return f.b.CreateInBoundsGEP(f.mc.ptr(), data, f.b.CreateZExt(index, f.b.getInt64Ty()));
}

// Calls a runtime helper that returns non-zero when a range is out of
// bounds, and traps in guest code if so.
void checked_helper(FunctionCodegen& f, const char* name, std::vector<llvm::Value*> args) {
  std::vector<llvm::Type*> types;
  for (llvm::Value* a : args) types.push_back(a->getType());
  llvm::Function* helper =
      f.mc.runtime_function(name, llvm::FunctionType::get(f.b.getInt32Ty(), types, false));
  f.trap_if(f.b.CreateICmpNE(f.b.CreateCall(helper, args), f.i32(0)), WASIXC_TRAP_TABLE_OOB);
}

}  // namespace

void FunctionCodegen::emit_call_indirect(const wabt::CallIndirectExpr& e) {
  uint32_t type_index = mc.wasm().GetFuncTypeIndex(e.decl);
  const wabt::FuncSignature& sig =
      e.decl.has_func_type ? mc.wasm().GetFuncType(e.decl.type_var)->sig : e.decl.sig;
  llvm::Value* index = pop();
  if (mc.options().safepoints && mc.polls().polls_before_indirect_call(func_index, &sig)) emit_safepoint(true);
  TableView table = table_view(*this, mc.wasm().GetTableIndex(e.table));
  llvm::Value* ref = maybe_invariant(
      *this, b.CreateLoad(mc.ptr(), element(*this, table, index, WASIXC_TRAP_UNDEFINED_ELEMENT)), table.frozen);
  trap_if(b.CreateICmpEQ(ref, llvm::ConstantPointerNull::get(mc.ptr())), WASIXC_TRAP_UNINITIALIZED_ELEMENT);
  // Signatures compare by canonical id: equal types from any module match.
  llvm::Value* expected =
      mc.invariant(b.CreateLoad(b.getInt32Ty(), mc.at(b, inst, mc.layout().type_id[type_index])));
  llvm::Value* actual = mc.invariant(field(*this, ref, offsetof(wasixc_funcref, type_id), b.getInt32Ty()));
  trap_if(b.CreateICmpNE(expected, actual), WASIXC_TRAP_INDIRECT_CALL_TYPE);
  ModuleCodegen::FuncrefTarget target = mc.funcref_target(b, ref);
  emit_call(llvm::FunctionCallee(mc.function_type(sig), target.code), target.instance, sig);
}

void FunctionCodegen::emit_table_op(const wabt::Expr& e) {
  const wabt::Module& m = mc.wasm();
  switch (e.type()) {
    case wabt::ExprType::TableGet: {
      TableView table = table_view(*this, m.GetTableIndex(wabt::cast<wabt::TableGetExpr>(&e)->var));
      llvm::Value* index = pop();
      push(b.CreateLoad(mc.ptr(), element(*this, table, index, WASIXC_TRAP_TABLE_OOB)));
      return;
    }
    case wabt::ExprType::TableSet: {
      TableView table = table_view(*this, m.GetTableIndex(wabt::cast<wabt::TableSetExpr>(&e)->var));
      llvm::Value* value = pop();
      llvm::Value* index = pop();
      b.CreateStore(value, element(*this, table, index, WASIXC_TRAP_TABLE_OOB));
      return;
    }
    case wabt::ExprType::TableSize: {
      TableView table = table_view(*this, m.GetTableIndex(wabt::cast<wabt::TableSizeExpr>(&e)->var));
      push(table_size(*this, table));
      return;
    }
    case wabt::ExprType::TableGrow: {
      TableView table = table_view(*this, m.GetTableIndex(wabt::cast<wabt::TableGrowExpr>(&e)->var));
      llvm::Value* delta = pop();
      llvm::Value* init = pop();
      llvm::Function* grow = mc.runtime_function(
          "wasixc_table_grow",
          llvm::FunctionType::get(b.getInt32Ty(), {mc.ptr(), b.getInt32Ty(), mc.ptr()}, false));
      push(b.CreateCall(grow, {table.table, delta, init}));
      return;
    }
    case wabt::ExprType::TableFill: {
      TableView table = table_view(*this, m.GetTableIndex(wabt::cast<wabt::TableFillExpr>(&e)->var));
      llvm::Value* n = pop();
      llvm::Value* value = pop();
      llvm::Value* at = pop();
      checked_helper(*this, "wasixc_table_fill", {table.table, at, value, n});
      return;
    }
    case wabt::ExprType::TableCopy: {
      const auto* c = wabt::cast<wabt::TableCopyExpr>(&e);
      llvm::Value* dst = mc.table_ptr(b, inst, m.GetTableIndex(c->dst_table));
      llvm::Value* src = mc.table_ptr(b, inst, m.GetTableIndex(c->src_table));
      llvm::Value* n = pop();
      llvm::Value* s = pop();
      llvm::Value* d = pop();
      checked_helper(*this, "wasixc_table_copy", {dst, d, src, s, n});
      return;
    }
    case wabt::ExprType::TableInit: {
      const auto* c = wabt::cast<wabt::TableInitExpr>(&e);
      uint32_t segment = m.GetElemSegmentIndex(c->segment_index);
      TableView table = table_view(*this, m.GetTableIndex(c->table_index));
      llvm::Value* n = pop();
      llvm::Value* s = pop();
      llvm::Value* d = pop();
      uint32_t len = static_cast<uint32_t>(m.elem_segments[segment]->elem_exprs.size());
      llvm::Value* dropped = b.CreateLoad(b.getInt8Ty(), mc.at(b, inst, mc.layout().elem_dropped + segment));
      llvm::Value* live_len = b.CreateSelect(b.CreateICmpNE(dropped, b.getInt8(0)), i32(0), i32(len));
      checked_helper(*this, "wasixc_table_init",
                     {table.table, d, mc.at(b, inst, mc.layout().elem_items[segment]), live_len, s, n});
      return;
    }
    case wabt::ExprType::ElemDrop: {
      uint32_t segment = m.GetElemSegmentIndex(wabt::cast<wabt::ElemDropExpr>(&e)->var);
      b.CreateStore(b.getInt8(1), mc.at(b, inst, mc.layout().elem_dropped + segment));
      return;
    }
    default:
      fail("%s: table instruction %s is not supported", mc.options().module_name.c_str(),
           wabt::GetExprTypeName(e));
  }
}

void FunctionCodegen::emit_ref(const wabt::Expr& e) {
  switch (e.type()) {
    case wabt::ExprType::RefNull: push(llvm::ConstantPointerNull::get(mc.ptr())); return;
    case wabt::ExprType::RefIsNull:
      push(to_i32(b.CreateICmpEQ(pop(), llvm::ConstantPointerNull::get(mc.ptr()))));
      return;
    case wabt::ExprType::RefFunc: {
      uint32_t f = mc.wasm().GetFuncIndex(wabt::cast<wabt::RefFuncExpr>(&e)->var);
      push(b.CreateLoad(mc.ptr(), mc.at(b, inst, mc.layout().func_ptr[f])));
      return;
    }
    default: return;
  }
}

}  // namespace wasixc::aot::llvmgen
