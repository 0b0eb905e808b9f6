#include "aot/llvm/body_facts.h"

#include <algorithm>

#include "aot/diagnostics.h"
#include "aot/llvm/expr_walk.h"

namespace wasixc::aot::llvmgen {
namespace {

// Blocks, loops and ifs counted with their contents (try blocks are not
// looked into: the partition measure predates them).
size_t count_exprs(const wabt::ExprList& list) {
  size_t n = 0;
  for (const wabt::Expr& e : list) {
    ++n;
    if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&e)) n += count_exprs(b->block.exprs);
    else if (auto* l = wabt::dyn_cast<wabt::LoopExpr>(&e)) n += count_exprs(l->block.exprs);
    else if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&e)) n += count_exprs(i->true_.exprs) + count_exprs(i->false_);
  }
  return n;
}

// Signatures compare by their value types (a typed reference by its kind
// only: coarser classes only add call-graph edges).
std::string signature_key(const wabt::FuncSignature& sig) {
  std::string key;
  auto add = [&](const std::vector<wabt::Type>& types) {
    for (wabt::Type t : types) key += std::to_string(static_cast<int>(static_cast<wabt::Type::Enum>(t))) + ",";
    key += ";";
  };
  add(sig.param_types);
  add(sig.result_types);
  return key;
}

const wabt::FuncSignature& call_signature(const wabt::Module& m, const wabt::FuncDeclaration& decl) {
  if (decl.has_func_type) {
    if (const wabt::FuncType* t = m.GetFuncType(decl.type_var)) return t->sig;
  }
  return decl.sig;
}

}  // namespace

uint32_t BodyFacts::add_class(const wabt::FuncSignature& sig) {
  auto [it, fresh] = class_of_key_.emplace(signature_key(sig), static_cast<uint32_t>(class_of_key_.size()));
  (void)fresh;
  return it->second;
}

uint32_t BodyFacts::signature_class(const wabt::FuncSignature& sig) const {
  auto it = class_of_key_.find(signature_key(sig));
  return it == class_of_key_.end() ? kNoClass : it->second;
}

void BodyFacts::grow_to(uint32_t n) {
  // Imports and functions not added yet: no body facts.
  while (instructions_.size() < n) {
    instructions_.push_back(0);
    all_instructions_.push_back(0);
    flags_.push_back(0);
    call_begin_.push_back(calls_.size());
    class_begin_.push_back(classes_.size());
  }
}

void BodyFacts::add(const wabt::Module& m, uint32_t first, uint32_t end) {
  if (first < instructions_.size()) fail("internal error: function bodies added out of order");
  grow_to(first);
  ref_taken_.resize(m.funcs.size(), false);
  table_changed_.resize(m.tables.size(), false);
  for (uint32_t f = first; f < end; ++f) {
    const wabt::ExprList& body = m.funcs[f]->exprs;
    uint32_t all = 0;
    uint8_t flags = 0;
    std::vector<uint32_t> classes;
    auto changed = [&](const wabt::Var& v) { table_changed_[m.GetTableIndex(v)] = true; };
    walk_exprs(body, [&](const wabt::Expr& e) {
      ++all;
      switch (e.type()) {
        case wabt::ExprType::Call:
          calls_.push_back({m.GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var), false});
          break;
        case wabt::ExprType::ReturnCall:
          calls_.push_back({m.GetFuncIndex(wabt::cast<wabt::ReturnCallExpr>(&e)->var), true});
          any_tail_call_ = true;
          break;
        case wabt::ExprType::Try:
        case wabt::ExprType::Rethrow: any_try_ = true; break;
        case wabt::ExprType::CallIndirect:
          flags |= kIndirect;
          classes.push_back(add_class(call_signature(m, wabt::cast<wabt::CallIndirectExpr>(&e)->decl)));
          break;
        case wabt::ExprType::CallRef: flags |= kIndirect | kAnySignature; break;
        case wabt::ExprType::ReturnCallIndirect:
          flags |= kTailIndirect;
          classes.push_back(add_class(call_signature(m, wabt::cast<wabt::ReturnCallIndirectExpr>(&e)->decl)));
          any_tail_call_ = true;
          break;
        case wabt::ExprType::RefFunc:
          ref_taken_[m.GetFuncIndex(wabt::cast<wabt::RefFuncExpr>(&e)->var)] = true;
          break;
        case wabt::ExprType::TableSet: changed(wabt::cast<wabt::TableSetExpr>(&e)->var); break;
        case wabt::ExprType::TableGrow: changed(wabt::cast<wabt::TableGrowExpr>(&e)->var); break;
        case wabt::ExprType::TableFill: changed(wabt::cast<wabt::TableFillExpr>(&e)->var); break;
        case wabt::ExprType::TableCopy: changed(wabt::cast<wabt::TableCopyExpr>(&e)->dst_table); break;
        case wabt::ExprType::TableInit: changed(wabt::cast<wabt::TableInitExpr>(&e)->table_index); break;
        default: break;
      }
    });
    instructions_.push_back(static_cast<uint32_t>(count_exprs(body) + 1));
    all_instructions_.push_back(all);
    flags_.push_back(flags);
    call_begin_.push_back(calls_.size());
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    classes_.insert(classes_.end(), classes.begin(), classes.end());
    class_begin_.push_back(classes_.size());
  }
}

BodyFacts BodyFacts::of(const wabt::Module& m) {
  BodyFacts facts;
  facts.add(m, m.num_func_imports, static_cast<uint32_t>(m.funcs.size()));
  return facts;
}

}  // namespace wasixc::aot::llvmgen
