#include "aot/command_exports.h"

#include <vector>

#include "wabt/cast.h"

namespace wasixc::aot {
namespace {

bool takes_nothing(const wabt::Module& m, const wabt::Var& callee) {
  const wabt::Func* f = m.GetFunc(callee);
  return f && f->decl.sig.param_types.empty() && f->decl.sig.result_types.empty();
}

}  // namespace

uint32_t export_call_target(const wabt::Module& m, const wabt::Export& e) {
  uint32_t func_index = m.GetFuncIndex(e.var);
  if (e.name == "_start" || e.name == "_initialize") return func_index;
  if (func_index < m.num_func_imports || func_index >= m.funcs.size()) return func_index;
  const wabt::Func* wrapper = m.funcs[func_index];
  if (wrapper->local_types.size() != 0) return func_index;
  // [call ctors] local.get 0 .. n-1  call F  call dtors
  std::vector<const wabt::Expr*> body;
  for (const wabt::Expr& e : wrapper->exprs) body.push_back(&e);
  size_t at = 0;
  const size_t n = wrapper->GetNumParams();
  if (body.size() == n + 3) {
    if (body[0]->type() != wabt::ExprType::Call || !takes_nothing(m, wabt::cast<wabt::CallExpr>(body[0])->var))
      return func_index;
    at = 1;
  }
  if (body.size() != at + n + 2) return func_index;
  for (size_t i = 0; i < n; ++i) {
    const wabt::Expr* e = body[at + i];
    if (e->type() != wabt::ExprType::LocalGet ||
        wrapper->GetLocalIndex(wabt::cast<wabt::LocalGetExpr>(e)->var) != static_cast<wabt::Index>(i))
      return func_index;
  }
  const wabt::Expr* call = body[at + n];
  const wabt::Expr* dtors = body[at + n + 1];
  if (call->type() != wabt::ExprType::Call || dtors->type() != wabt::ExprType::Call ||
      !takes_nothing(m, wabt::cast<wabt::CallExpr>(dtors)->var))
    return func_index;
  uint32_t inner = m.GetFuncIndex(wabt::cast<wabt::CallExpr>(call)->var);
  if (inner < m.num_func_imports || inner >= m.funcs.size() ||
      !(m.funcs[inner]->decl.sig == wrapper->decl.sig))
    return func_index;
  return inner;
}

}  // namespace wasixc::aot
