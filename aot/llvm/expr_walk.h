// Visiting every instruction of a wasm expression list, nested blocks
// included (for whole-module analyses such as poll placement and frozen
// tables).
#pragma once

#include "wabt/cast.h"
#include "wabt/ir.h"

namespace wasixc::aot::llvmgen {

template <typename Fn>
void walk_exprs(const wabt::ExprList& list, Fn&& fn) {
  for (const wabt::Expr& e : list) {
    fn(e);
    switch (e.type()) {
      case wabt::ExprType::Block:
        walk_exprs(wabt::cast<wabt::BlockExpr>(&e)->block.exprs, fn);
        break;
      case wabt::ExprType::Loop:
        walk_exprs(wabt::cast<wabt::LoopExpr>(&e)->block.exprs, fn);
        break;
      case wabt::ExprType::If: {
        auto* i = wabt::cast<wabt::IfExpr>(&e);
        walk_exprs(i->true_.exprs, fn);
        walk_exprs(i->false_, fn);
        break;
      }
      case wabt::ExprType::Try: {
        auto* t = wabt::cast<wabt::TryExpr>(&e);
        walk_exprs(t->block.exprs, fn);
        for (const wabt::Catch& c : t->catches) walk_exprs(c.exprs, fn);
        break;
      }
      default:
        break;
    }
  }
}

}  // namespace wasixc::aot::llvmgen
