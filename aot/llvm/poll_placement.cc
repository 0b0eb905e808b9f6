#include "aot/llvm/poll_placement.h"

#include <algorithm>

#include "aot/llvm/expr_walk.h"

namespace wasixc::aot::llvmgen {
namespace {

void note_ref_funcs(const wabt::Module& m, const wabt::ExprList& list, std::vector<bool>& taken) {
  walk_exprs(list, [&](const wabt::Expr& e) {
    if (e.type() == wabt::ExprType::RefFunc) taken[m.GetFuncIndex(wabt::cast<wabt::RefFuncExpr>(&e)->var)] = true;
  });
}

int64_t find_stack_pointer(const wabt::Module& m) {
  const char* name = "__stack_pointer";
  for (size_t i = 0; i < m.globals.size(); ++i) {
    const wabt::Global* g = m.globals[i];
    if (g->mutable_ && g->type == wabt::Type::I32 && g->name == std::string("$") + name) return i;
  }
  for (const wabt::Export* e : m.exports)
    if (e->kind == wabt::ExternalKind::Global && e->name == name) return m.GetGlobalIndex(e->var);
  uint32_t global_index = 0;
  for (const wabt::Import* imp : m.imports) {
    if (imp->kind() != wabt::ExternalKind::Global) continue;
    if (imp->field_name == name) return global_index;
    ++global_index;
  }
  return -1;
}

}  // namespace

PollPlan::PollPlan(const wabt::Module& m, const BodyFacts& facts)
    : m_(m), entry_(m.funcs.size(), false), stack_pointer_(find_stack_pointer(m)) {
  const uint32_t n = static_cast<uint32_t>(m.funcs.size());
  const uint32_t first = m.num_func_imports;

  // Functions a call_indirect can reach: those whose reference is taken.
  std::vector<bool> taken(n, false);
  for (const wabt::ElemSegment* seg : m.elem_segments)
    for (const wabt::ExprList& item : seg->elem_exprs) note_ref_funcs(m, item, taken);
  for (const wabt::Global* g : m.globals) note_ref_funcs(m, g->init_expr, taken);
  for (uint32_t f = first; f < n; ++f)
    if (facts.reference_taken_in_code(f)) taken[f] = true;
  // Address-taken functions by the signature class of the indirect calls
  // that can reach them (a call_indirect of another signature traps).
  std::vector<std::vector<uint32_t>> taken_by_class;
  std::vector<uint32_t> all_taken;
  for (uint32_t g = first; g < n; ++g) {
    if (!taken[g]) continue;
    all_taken.push_back(g);
    const wabt::FuncDeclaration& decl = m.funcs[g]->decl;
    const wabt::FuncType* type = decl.has_func_type ? m.GetFuncType(decl.type_var) : nullptr;
    uint32_t c = facts.signature_class(type ? type->sig : decl.sig);
    if (c == BodyFacts::kNoClass) continue;
    if (c >= taken_by_class.size()) taken_by_class.resize(c + 1);
    taken_by_class[c].push_back(g);
  }
  auto successors = [&](uint32_t f, auto&& visit) {
    for (const BodyFacts::Call* c = facts.calls_begin(f); c != facts.calls_end(f); ++c)
      if (c->callee >= first && c->callee < n) visit(c->callee);  // imports are host calls: no edge
    if (facts.calls_any_signature(f)) {
      for (uint32_t g : all_taken) visit(g);
      return;
    }
    for (const uint32_t* c = facts.indirect_classes_begin(f); c != facts.indirect_classes_end(f); ++c)
      if (*c < taken_by_class.size())
        for (uint32_t g : taken_by_class[*c]) visit(g);
  };

  // Tarjan's strongly connected components, iteratively (call graphs of
  // large modules are deep). A function polls if its component has more
  // than one member or it calls itself.
  std::vector<uint32_t> index(n, UINT32_MAX), low(n, 0), stack;
  std::vector<bool> on_stack(n, false);
  uint32_t next_index = 0;
  struct Frame {
    uint32_t f;
    std::vector<uint32_t> succ;
    size_t pos = 0;
  };
  for (uint32_t root = first; root < n; ++root) {
    if (index[root] != UINT32_MAX) continue;
    std::vector<Frame> frames;
    auto enter = [&](uint32_t f) {
      index[f] = low[f] = next_index++;
      stack.push_back(f);
      on_stack[f] = true;
      Frame fr{f, {}, 0};
      successors(f, [&](uint32_t g) { fr.succ.push_back(g); });
      frames.push_back(std::move(fr));
    };
    enter(root);
    while (!frames.empty()) {
      Frame& fr = frames.back();
      if (fr.pos < fr.succ.size()) {
        uint32_t g = fr.succ[fr.pos++];
        if (g == fr.f) entry_[g] = true;  // direct self-recursion
        if (index[g] == UINT32_MAX)
          enter(g);
        else if (on_stack[g])
          low[fr.f] = std::min(low[fr.f], index[g]);
        continue;
      }
      uint32_t f = fr.f;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().f] = std::min(low[frames.back().f], low[f]);
      if (low[f] != index[f]) continue;
      std::vector<uint32_t> component;
      uint32_t g;
      do {
        g = stack.back();
        stack.pop_back();
        on_stack[g] = false;
        component.push_back(g);
      } while (g != f);
      if (component.size() > 1)
        for (uint32_t c : component) entry_[c] = true;
    }
  }
}

bool PollPlan::loop_covered_by_call(const wabt::ExprList& body) const {
  // Straight-line prefix of the body only: any control instruction could
  // branch back to the header (or skip the call), so scanning stops there.
  for (const wabt::Expr& e : body) {
    switch (e.type()) {
      case wabt::ExprType::Call: {
        uint32_t f = m_.GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var);
        if (f >= m_.num_func_imports && entry_[f]) return true;
        break;
      }
      case wabt::ExprType::Block: case wabt::ExprType::Loop: case wabt::ExprType::If:
      case wabt::ExprType::Try: case wabt::ExprType::Br: case wabt::ExprType::BrIf:
      case wabt::ExprType::BrTable: case wabt::ExprType::Return: case wabt::ExprType::Unreachable:
      case wabt::ExprType::Throw: case wabt::ExprType::Rethrow:
      case wabt::ExprType::ReturnCall: case wabt::ExprType::ReturnCallIndirect:
        return false;
      default:
        break;
    }
  }
  return false;
}

}  // namespace wasixc::aot::llvmgen
