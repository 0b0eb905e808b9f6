#include "aot/llvm/poll_placement.h"

#include <algorithm>
#include <utility>

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

// Strongly connected components of the call graph given by `successors`
// (Tarjan's, iteratively: call graphs of large modules are deep). Returns
// each function's component; `cyclic[f]` is set when f can call itself
// again (a component of more than one function, or a self edge).
template <typename Successors>
std::vector<uint32_t> components(uint32_t first, uint32_t n, Successors&& successors, std::vector<bool>& cyclic) {
  std::vector<uint32_t> index(n, UINT32_MAX), low(n, 0), comp(n, UINT32_MAX), stack;
  std::vector<bool> on_stack(n, false);
  cyclic.assign(n, false);
  uint32_t next_index = 0, next_comp = 0;
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
        if (g == fr.f) cyclic[g] = true;  // self edge
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
      std::vector<uint32_t> members;
      uint32_t g;
      do {
        g = stack.back();
        stack.pop_back();
        on_stack[g] = false;
        comp[g] = next_comp;
        members.push_back(g);
      } while (g != f);
      if (members.size() > 1)
        for (uint32_t c : members) cyclic[c] = true;
      ++next_comp;
    }
  }
  return comp;
}

const wabt::FuncSignature& declared_signature(const wabt::Module& m, const wabt::FuncDeclaration& decl) {
  const wabt::FuncType* type = decl.has_func_type ? m.GetFuncType(decl.type_var) : nullptr;
  return type ? type->sig : decl.sig;
}

}  // namespace

PollPlan::PollPlan(const wabt::Module& m, const BodyFacts& facts)
    : m_(m), facts_(facts), stack_pointer_(find_stack_pointer(m)) {
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
    uint32_t c = facts.signature_class(declared_signature(m, m.funcs[g]->decl));
    if (c == BodyFacts::kNoClass) continue;
    if (c >= taken_by_class.size()) taken_by_class.resize(c + 1);
    taken_by_class[c].push_back(g);
  }
  auto direct = [&](uint32_t f, auto&& visit) {
    for (const BodyFacts::Call* c = facts.calls_begin(f); c != facts.calls_end(f); ++c)
      if (c->callee >= first && c->callee < n) visit(c->callee);  // imports are host calls: no edge
  };
  auto all_edges = [&](uint32_t f, auto&& visit) {
    direct(f, visit);
    if (facts.calls_any_signature(f)) {
      for (uint32_t g : all_taken) visit(g);
      return;
    }
    for (const uint32_t* c = facts.indirect_classes_begin(f); c != facts.indirect_classes_end(f); ++c)
      if (*c < taken_by_class.size())
        for (uint32_t g : taken_by_class[*c]) visit(g);
  };

  // Entry polls for cycles of direct calls; a poll before each indirect
  // call that can reach its caller's component covers every other cycle.
  direct_only_component_ = components(first, n, direct, entry_);
  component_ = components(first, n, all_edges, cyclic_);
  for (uint32_t c = 0; c < taken_by_class.size(); ++c)
    for (uint32_t g : taken_by_class[c]) class_in_component_.insert({component_[g], c});
  for (uint32_t g : all_taken) any_in_component_.insert(component_[g]);
}

bool PollPlan::polls_before_indirect_call(int64_t caller, const wabt::FuncSignature* sig) const {
  if (caller < 0 || static_cast<size_t>(caller) >= component_.size()) return true;  // unknown caller
  if (!cyclic_[caller]) return false;
  uint32_t comp = component_[caller];
  if (!sig) return any_in_component_.count(comp) != 0;  // call_ref: any signature
  uint32_t c = facts_.signature_class(*sig);
  return c != BodyFacts::kNoClass && class_in_component_.count({comp, c}) != 0;
}

bool PollPlan::loop_covered_by_call(const wabt::ExprList& body, int64_t caller) const {
  // Straight-line prefix of the body only: any control instruction could
  // branch back to the header (or skip the call), so scanning stops there.
  for (const wabt::Expr& e : body) {
    switch (e.type()) {
      case wabt::ExprType::Call: {
        uint32_t f = m_.GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var);
        if (f >= m_.num_func_imports && entry_[f]) return true;
        break;
      }
      case wabt::ExprType::CallIndirect:
        if (polls_before_indirect_call(caller, &declared_signature(m_, wabt::cast<wabt::CallIndirectExpr>(&e)->decl)))
          return true;
        break;
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
