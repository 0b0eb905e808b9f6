// 64-bit twins of 32-bit address induction variables.
//
// Wasm addresses are i32. A loop walking arrays keeps 32-bit pointers, and
// each access is `base + zext(p) + offset`. LLVM cannot prove that p never
// wraps, so the zero-extension stays inside the loop and the vectoriser
// cannot tell that successive accesses are consecutive (matmul's inner
// loop, unrolled by two by its producer: not vectorised, 2.1x native; the
// same loop with 64-bit pointers vectorises).
//
// The runtime never lets a memory that starts below 4 GiB grow to 4 GiB
// (libwasix/runtime/memory.cc: growing to the 65536th page fails, which the
// spec allows), so any access at an address >= 2^32 - 65536 traps. Take an
// i32 value v that evolves in a loop as {start, +, C}, a constant step
// 0 < C <= 65536, with a guest access at zext(v) + off (off >= 0) in a
// block that dominates the latch, so every iteration that goes round runs
// it: an *origin*. v wraps only after a value >= 2^32 - C, and then that
// access traps before the next iteration starts. So a 64-bit phi P
// (zext(start), stepping by C) equals zext(v) in every iteration that
// runs, and replaces zext(v) inside the loop. A value w evolving as
// {start + K, +, C}, for a constant 0 < K <= 65536 (the producer's unrolled
// copies: p + 8, i + 1), has zext(w) = P + K where an access at the origin
// comes first (dominates it): w wraps only when that access traps.
// (Negative K is left alone: P - K could point below the memory.)
//
// Uses outside the loop keep the 32-bit values: there zext(v) may be that
// of an earlier iteration than P's.
#include "aot/llvm/address_iv_widening.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "llvm/ADT/DenseMap.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/LoopIterator.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/IR/ValueHandle.h"
#include "llvm/Transforms/Utils/Local.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"

namespace wasixc::aot::llvmgen {
namespace {

constexpr uint64_t kMaxStep = 65536;         // the top page the runtime never maps
constexpr uint64_t kMaxOffset = uint64_t{1} << 32;  // keeps addresses inside the 8 GiB reservation

// Memory 0's fixed address, from the module flag; 0 when the pass is off.
uint64_t fixed_base(const llvm::Module& module) {
  auto* flag = llvm::mdconst::extract_or_null<llvm::ConstantInt>(module.getModuleFlag(kWidenAddressIvsFlag));
  return flag ? flag->getZExtValue() : 0;
}

std::optional<uint64_t> constant_address(const llvm::Value* v) {
  if (auto* ce = llvm::dyn_cast<llvm::ConstantExpr>(v); ce && ce->getOpcode() == llvm::Instruction::IntToPtr)
    if (auto* c = llvm::dyn_cast<llvm::ConstantInt>(ce->getOperand(0))) return c->getZExtValue();
  return std::nullopt;
}

std::optional<uint64_t> small_constant(const llvm::Value* v) {
  auto* c = llvm::dyn_cast<llvm::ConstantInt>(v);
  if (!c || c->getValue().getActiveBits() > 32) return std::nullopt;  // also rejects negatives
  return c->getZExtValue();
}

// The i32 index of a guest-memory pointer `base + zext(index) + offset`
// (byte GEPs over memory 0's fixed address, constants folded anywhere), or
// null for any other pointer.
llvm::Value* guest_index(llvm::Value* ptr, uint64_t base) {
  llvm::Value* index = nullptr;
  uint64_t offset = 0;
  for (;;) {
    if (std::optional<uint64_t> address = constant_address(ptr)) {
      if (!index || *address < base || *address - base >= kMaxOffset) return nullptr;
      offset += *address - base;
      break;
    }
    auto* gep = llvm::dyn_cast<llvm::GEPOperator>(ptr);
    if (!gep || gep->getNumIndices() != 1 || !gep->getSourceElementType()->isIntegerTy(8)) return nullptr;
    llvm::Value* part = gep->getOperand(1);
    ptr = gep->getPointerOperand();
    if (std::optional<uint64_t> c = small_constant(part)) {
      offset += *c;
      continue;
    }
    if (index) return nullptr;  // one variable part only
    if (auto* add = llvm::dyn_cast<llvm::BinaryOperator>(part);
        add && (add->getOpcode() == llvm::Instruction::Add ||
                (add->getOpcode() == llvm::Instruction::Or && llvm::cast<llvm::PossiblyDisjointInst>(add)->isDisjoint())))
      if (std::optional<uint64_t> c = small_constant(add->getOperand(1))) {
        offset += *c;
        part = add->getOperand(0);
      }
    auto* zext = llvm::dyn_cast<llvm::ZExtInst>(part);
    if (!zext || !zext->getSrcTy()->isIntegerTy(32)) return nullptr;
    index = zext->getOperand(0);
  }
  return offset < kMaxOffset ? index : nullptr;
}

// The block a use is evaluated in: a phi's incoming block, else the user's.
const llvm::BasicBlock* use_block(const llvm::Use& use) {
  if (auto* phi = llvm::dyn_cast<llvm::PHINode>(use.getUser())) return phi->getIncomingBlock(use);
  return llvm::cast<llvm::Instruction>(use.getUser())->getParent();
}

// The evolution of an i32 value in `loop`: {start, +, step} with a
// constant step 0 < step <= kMaxStep, else null.
const llvm::SCEVAddRecExpr* small_stride(llvm::Value* v, const llvm::Loop& loop, llvm::ScalarEvolution& se) {
  if (!v->getType()->isIntegerTy(32) || !se.isSCEVable(v->getType())) return nullptr;
  auto* ar = llvm::dyn_cast<llvm::SCEVAddRecExpr>(se.getSCEV(v));
  if (!ar || ar->getLoop() != &loop || !ar->isAffine()) return nullptr;
  auto* step = llvm::dyn_cast<llvm::SCEVConstant>(ar->getStepRecurrence(se));
  if (!step || step->getAPInt().isNegative() || step->getAPInt().isZero() ||
      step->getAPInt().getZExtValue() > kMaxStep)
    return nullptr;
  return ar;
}

// A stream origin: an address evolution {start, +, step} that a guest
// access at zext(value) + offset follows in a block every iteration runs,
// so the value cannot wrap without a trap first. Its 64-bit twin is `wide`.
struct Origin {
  const llvm::SCEV* start;
  const llvm::SCEV* step;
  std::vector<llvm::Instruction*> accesses;  // all accesses at exactly this evolution
  llvm::PHINode* wide = nullptr;
};

class LoopWidening {
 public:
  LoopWidening(llvm::Loop& loop, uint64_t base, llvm::LoopInfo& loop_info, llvm::ScalarEvolution& se,
               llvm::DominatorTree& dt)
      : loop_(loop), base_(base), loop_info_(loop_info), se_(se), dt_(dt) {}

  bool run() {
    preheader_ = loop_.getLoopPreheader();
    latch_ = loop_.getLoopLatch();
    if (!preheader_ || !latch_) return false;
    find_origins();
    if (origins_.empty()) return false;
    std::vector<llvm::ZExtInst*> extends;
    for (llvm::BasicBlock* bb : loop_.blocks())
      for (llvm::Instruction& i : *bb)
        if (auto* z = llvm::dyn_cast<llvm::ZExtInst>(&i); z && z->getType()->isIntegerTy(64))
          extends.push_back(z);
    llvm::SmallVector<llvm::WeakTrackingVH, 16> maybe_dead;
    for (llvm::ZExtInst* z : extends) {
      const llvm::SCEVAddRecExpr* ar = small_stride(z->getOperand(0), loop_, se_);
      if (!ar) continue;
      auto [origin, distance] = origin_for(z, ar);
      if (!origin) continue;
      llvm::Value* wide = wide_value(*origin);
      if (distance) {
        llvm::IRBuilder<> b(z);
        wide = b.CreateAdd(wide, b.getInt64(distance), "", /*HasNUW=*/true, /*HasNSW=*/true);
      }
      z->replaceUsesWithIf(wide, [&](llvm::Use& use) { return loop_.contains(use_block(use)); });
      maybe_dead.push_back(z);
    }
    if (maybe_dead.empty()) return false;
    llvm::SmallVector<llvm::WeakVH, 8> phis;  // i32 IVs now only feeding their own step
    for (llvm::PHINode& phi : loop_.getHeader()->phis()) phis.emplace_back(&phi);
    llvm::RecursivelyDeleteTriviallyDeadInstructionsPermissive(maybe_dead);
    for (llvm::WeakVH& phi : phis)
      if (phi) llvm::RecursivelyDeleteDeadPHINode(llvm::cast<llvm::PHINode>(phi));
    se_.forgetLoop(&loop_);
    return true;
  }

 private:
  // Origins in program order (blocks in reverse post-order): an access
  // following an earlier origin at a constant distance it can use (the
  // unrolled copy at p + 8 after the access at p) joins it instead, so the
  // copies share one 64-bit IV and LLVM sees their constant distance.
  void find_origins() {
    llvm::LoopBlocksRPO order(&loop_);
    order.perform(&loop_info_);
    llvm::SCEVExpander expander(se_, loop_.getHeader()->getModule()->getDataLayout(), "wasixc.wide");
    for (llvm::BasicBlock* bb : order)
      for (llvm::Instruction& i : *bb) {
        llvm::Value* ptr = llvm::getLoadStorePointerOperand(&i);
        llvm::Value* index = ptr ? guest_index(ptr, base_) : nullptr;
        const llvm::SCEVAddRecExpr* ar = index ? small_stride(index, loop_, se_) : nullptr;
        if (!ar) continue;
        auto [origin, distance] = origin_for(&i, ar);
        if (origin && distance == 0) origin->accesses.push_back(&i);
        if (origin || !dt_.dominates(bb, latch_) ||
            !expander.isSafeToExpandAt(ar->getStart(), preheader_->getTerminator()))
          continue;
        origins_.push_back({ar->getStart(), ar->getStepRecurrence(se_), {&i}, nullptr});
      }
  }

  // The origin whose twin gives zext(z), and the distance to add: zext(z)
  // follows an origin at a constant distance 0 <= d <= kMaxStep, and for
  // d > 0 an access at the origin comes first (dominates z).
  std::pair<Origin*, uint64_t> origin_for(llvm::Instruction* z, const llvm::SCEVAddRecExpr* ar) {
    Origin* best = nullptr;
    uint64_t best_distance = 0;
    for (Origin& o : origins_) {
      if (o.step != ar->getStepRecurrence(se_)) continue;
      std::optional<llvm::APInt> d = se_.computeConstantDifference(ar->getStart(), o.start);
      if (!d || d->isNegative() || d->getZExtValue() > kMaxStep) continue;
      uint64_t distance = d->getZExtValue();
      if (distance && std::none_of(o.accesses.begin(), o.accesses.end(),
                                   [&](llvm::Instruction* a) { return dt_.dominates(a, z); }))
        continue;
      if (!best || distance < best_distance) best = &o, best_distance = distance;
    }
    return {best, best_distance};
  }

  llvm::PHINode* wide_value(Origin& o) {
    if (o.wide) return o.wide;
    llvm::Type* i64 = llvm::Type::getInt64Ty(loop_.getHeader()->getContext());
    llvm::SCEVExpander expander(se_, loop_.getHeader()->getModule()->getDataLayout(), "wasixc.wide");
    llvm::Value* start = expander.expandCodeFor(o.start, o.start->getType(), preheader_->getTerminator());
    llvm::IRBuilder<> pre(preheader_->getTerminator());
    o.wide = llvm::PHINode::Create(i64, 2, "address.wide", loop_.getHeader()->begin());
    o.wide->addIncoming(pre.CreateZExt(start, i64), preheader_);
    uint64_t step = llvm::cast<llvm::SCEVConstant>(o.step)->getAPInt().getZExtValue();
    llvm::IRBuilder<> back(latch_->getTerminator());
    o.wide->addIncoming(back.CreateAdd(o.wide, back.getInt64(step), "", /*HasNUW=*/true, /*HasNSW=*/true), latch_);
    return o.wide;
  }

  llvm::Loop& loop_;
  uint64_t base_;
  llvm::LoopInfo& loop_info_;
  llvm::ScalarEvolution& se_;
  llvm::DominatorTree& dt_;
  llvm::BasicBlock* preheader_ = nullptr;
  llvm::BasicBlock* latch_ = nullptr;
  std::vector<Origin> origins_;
};

}  // namespace

llvm::PreservedAnalyses AddressIvWideningPass::run(llvm::Function& fn, llvm::FunctionAnalysisManager& fam) {
  uint64_t base = fixed_base(*fn.getParent());
  if (!base) return llvm::PreservedAnalyses::all();
  auto& loops = fam.getResult<llvm::LoopAnalysis>(fn);
  auto& dt = fam.getResult<llvm::DominatorTreeAnalysis>(fn);
  auto& se = fam.getResult<llvm::ScalarEvolutionAnalysis>(fn);
  bool changed = false;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) changed |= LoopWidening(*loop, base, loops, se, dt).run();
  if (!changed) return llvm::PreservedAnalyses::all();
  llvm::PreservedAnalyses kept;
  kept.preserveSet<llvm::CFGAnalyses>();
  return kept;
}

}  // namespace wasixc::aot::llvmgen
