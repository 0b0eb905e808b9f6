// Counted inner loops without polls.
//
// A loop-header poll costs little by itself, but its rare call into the
// runtime may read and write any memory, so LLVM can neither keep a value
// the loop updates in a register nor vectorise the loop. Most hot loops are
// counted, though: once their trip count is known, a signal waits at most
// one short loop run for the next poll outside. So, for every innermost
// loop that polls:
// - at most kMaxIterations iterations (a constant bound): the poll goes;
// - a trip count computable on entry, and memory accesses: the loop is
//   versioned, and a copy without the poll runs when the count is small
//   enough;
// - otherwise (a loop waiting on memory, say) the poll stays,
//   unless every way round the loop passes another poll (one before an
//   indirect call, or one inlined with a callee): then it is redundant.
// "Small enough" shrinks as the loop body grows, keeping the extra signal
// latency near a few million instructions (about a millisecond).
#include "aot/llvm/poll_versioning.h"

#include "aot/llvm/poll_placement.h"
#include "aot/llvm/safepoints.h"

#include <algorithm>
#include <vector>

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScalarEvolutionExpressions.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/ScalarEvolutionExpander.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

namespace wasixc::aot::llvmgen {
namespace {

constexpr uint64_t kMaxIterations = 65536;
constexpr uint64_t kMinIterations = 256;
constexpr uint64_t kInstructionBudget = uint64_t{1} << 22;

// A poll: `br (pending != 0), %safepoint, %cont` where %safepoint calls
// the runtime (safepoints.cc).
struct Poll {
  llvm::BranchInst* branch;
  unsigned slow_successor;
};

std::vector<Poll> polls_in(const llvm::Loop& loop) {
  std::vector<Poll> polls;
  for (llvm::BasicBlock* bb : loop.blocks()) {
    auto* br = llvm::dyn_cast<llvm::BranchInst>(bb->getTerminator());
    if (!br || !br->isConditional() || br->getMetadata(kIndirectCallPoll)) continue;
    for (unsigned s = 0; s < 2; ++s)
      if (calls_safepoint(*br->getSuccessor(s))) polls.push_back({br, s});
  }
  return polls;
}

// The branch always takes the fast side; the volatile load of the pending
// word goes with it (it would stop vectorisation). SimplifyCFG removes the
// dead slow block later; the CFG edges stay, so analyses remain valid.
void remove_poll(const Poll& p) {
  auto* cond = llvm::dyn_cast<llvm::Instruction>(p.branch->getCondition());
  p.branch->setCondition(llvm::ConstantInt::getBool(p.branch->getContext(), p.slow_successor == 1));
  if (!cond || !cond->use_empty()) return;
  auto* load = llvm::dyn_cast<llvm::LoadInst>(cond->getOperand(0));
  cond->eraseFromParent();
  if (load && load->use_empty()) load->eraseFromParent();
}

// The original (polling) copy of a versioned loop is marked, so it is not
// versioned again when its function is inlined and simplified once more.
constexpr const char* kVersionedMark = "wasixc.poll.versioned";

bool already_versioned(const std::vector<Poll>& polls) {
  for (const Poll& p : polls)
    if (p.branch->getMetadata(kVersionedMark)) return true;
  return false;
}

uint64_t iteration_limit(const llvm::Loop& loop) {
  uint64_t size = 0;
  for (const llvm::BasicBlock* bb : loop.blocks()) size += bb->size();
  return std::clamp<uint64_t>(kInstructionBudget / std::max<uint64_t>(size, 1), kMinIterations, kMaxIterations);
}

// Versioning pays off through memory: values the loop loads and stores can
// then live in registers, and the loop can be vectorised. A loop computing
// in registers only gains a load and a branch per iteration, not worth
// doubling its code (and its compile time).
bool touches_memory(const llvm::Loop& loop) {
  for (const llvm::BasicBlock* bb : loop.blocks())
    for (const llvm::Instruction& i : *bb) {
      if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&i); load && !load->isVolatile()) return true;
      if (llvm::isa<llvm::StoreInst>(i)) return true;
    }
  return false;
}

// Puts a copy of `loop` without polls in front of it, entered when the
// backedge-taken count is below `limit`. Returns the copy's polls (those
// of `polls`, the loop's, in the copy), or nothing when the loop's shape
// does not allow it.
std::vector<Poll> version(llvm::Loop& loop, const std::vector<Poll>& polls, const llvm::SCEV* count,
                          uint64_t limit, llvm::LoopInfo& li, llvm::DominatorTree& dt, llvm::ScalarEvolution& se) {
  llvm::BasicBlock* preheader = loop.getLoopPreheader();
  llvm::BasicBlock* exit = loop.getExitBlock();
  if (!preheader || !exit || !loop.isLoopSimplifyForm() || !loop.isLCSSAForm(dt)) return {};
  const llvm::DataLayout& dl = preheader->getModule()->getDataLayout();
  llvm::SCEVExpander expander(se, dl, "poll.count");
  if (!expander.isSafeToExpand(count)) return {};

  // check: count < limit ? fast copy : the original loop (keeps its polls).
  llvm::BasicBlock* check = preheader;
  llvm::BasicBlock* slow_preheader =
      llvm::SplitBlock(check, check->getTerminator(), &dt, &li, nullptr, "poll.versioned");
  llvm::ValueToValueMapTy vmap;
  llvm::SmallVector<llvm::BasicBlock*, 16> blocks;
  llvm::Loop* fast = llvm::cloneLoopWithPreheader(slow_preheader, check, &loop, vmap, ".nopoll", &li, &dt, blocks);
  llvm::remapInstructionsInBlocks(blocks, vmap);
  llvm::Value* n = expander.expandCodeFor(count, count->getType(), check->getTerminator());
  llvm::IRBuilder<> b(check->getTerminator());
  llvm::Value* short_run = b.CreateICmpULT(n, llvm::ConstantInt::get(count->getType(), limit));
  b.CreateCondBr(short_run, fast->getLoopPreheader(), slow_preheader);
  check->getTerminator()->eraseFromParent();

  // Both copies leave through the one exit block: its LCSSA phis get the
  // copy's values too.
  for (llvm::PHINode& phi : exit->phis()) {
    unsigned n_in = phi.getNumIncomingValues();
    for (unsigned i = 0; i < n_in; ++i) {
      llvm::BasicBlock* from = phi.getIncomingBlock(i);
      if (!loop.contains(from)) continue;
      llvm::Value* v = phi.getIncomingValue(i);
      auto mapped = vmap.find(v);
      llvm::Value* copy = mapped != vmap.end() ? static_cast<llvm::Value*>(mapped->second) : v;
      phi.addIncoming(copy, llvm::cast<llvm::BasicBlock>(vmap[from]));
    }
  }
  dt.changeImmediateDominator(exit, check);
  se.forgetLoop(&loop);

  std::vector<Poll> copies;
  for (const Poll& p : polls) {
    copies.push_back({llvm::cast<llvm::BranchInst>(vmap[p.branch]), p.slow_successor});
    p.branch->setMetadata(kVersionedMark, llvm::MDNode::get(p.branch->getContext(), {}));
  }
  return copies;
}

// A block ending in a poll that still polls (any poll: a loop's, or one
// before an indirect call).
bool ends_in_live_poll(const llvm::BasicBlock* bb) {
  auto* br = llvm::dyn_cast<llvm::BranchInst>(bb->getTerminator());
  return br && br->isConditional() && !llvm::isa<llvm::Constant>(br->getCondition()) &&
         (calls_safepoint(*br->getSuccessor(0)) || calls_safepoint(*br->getSuccessor(1)));
}

// Whether every way round innermost `loop` from poll `p` back to it passes
// another live poll. Then each iteration still polls (signals wait at most
// one iteration, and that poll's runtime call still makes the loop re-read
// memory a handler may write). Ways round an outer loop pass its own poll,
// which this never removes (innermost loops only).
bool redundant(const Poll& p, const llvm::Loop& loop) {
  const llvm::BasicBlock* start = p.branch->getParent();
  llvm::SmallPtrSet<const llvm::BasicBlock*, 32> seen;
  llvm::SmallVector<const llvm::BasicBlock*, 32> work = {p.branch->getSuccessor(1 - p.slow_successor)};
  while (!work.empty()) {
    const llvm::BasicBlock* bb = work.pop_back_val();
    if (bb == start) return false;  // round again without polling
    if (!loop.contains(bb) || !seen.insert(bb).second || ends_in_live_poll(bb)) continue;
    for (const llvm::BasicBlock* next : llvm::successors(bb)) work.push_back(next);
  }
  return true;
}

bool has_small_constant_bound(llvm::Loop& loop, llvm::ScalarEvolution& se, uint64_t limit) {
  auto* c = llvm::dyn_cast<llvm::SCEVConstant>(se.getConstantMaxBackedgeTakenCount(&loop));
  return c && c->getAPInt().ult(limit);
}

}  // namespace

llvm::PreservedAnalyses ShortLoopPollRemovalPass::run(llvm::Loop& loop, llvm::LoopAnalysisManager&,
                                                      llvm::LoopStandardAnalysisResults& ar, llvm::LPMUpdater&) {
  if (!loop.isInnermost()) return llvm::PreservedAnalyses::all();
  std::vector<Poll> polls = polls_in(loop);
  if (polls.empty() || !has_small_constant_bound(loop, ar.SE, iteration_limit(loop)))
    return llvm::PreservedAnalyses::all();
  for (const Poll& p : polls) remove_poll(p);
  return llvm::getLoopPassPreservedAnalyses();  // the CFG is unchanged
}

llvm::PreservedAnalyses PollVersioningPass::run(llvm::Function& fn, llvm::FunctionAnalysisManager& fam) {
  bool has_polls = false;
  for (const llvm::BasicBlock& bb : fn) has_polls |= calls_safepoint(bb);
  if (!has_polls) return llvm::PreservedAnalyses::all();
  auto& li = fam.getResult<llvm::LoopAnalysis>(fn);
  auto& dt = fam.getResult<llvm::DominatorTreeAnalysis>(fn);
  auto& se = fam.getResult<llvm::ScalarEvolutionAnalysis>(fn);

  std::vector<Poll> to_remove;
  bool removed_redundant = false;
  // getLoopsInPreorder returns a copy: the copies versioning adds are not visited.
  for (llvm::Loop* loop : li.getLoopsInPreorder()) {
    if (!loop->isInnermost()) continue;
    std::vector<Poll> polls = polls_in(*loop);
    // One at a time: a poll removed no longer vouches for another.
    for (auto p = polls.begin(); p != polls.end();) {
      if (!redundant(*p, *loop)) {
        ++p;
        continue;
      }
      remove_poll(*p);
      removed_redundant = true;
      p = polls.erase(p);
    }
    if (polls.empty()) continue;
    uint64_t limit = iteration_limit(*loop);
    if (has_small_constant_bound(*loop, se, limit)) {
      to_remove.insert(to_remove.end(), polls.begin(), polls.end());
      continue;
    }
    const llvm::SCEV* count = se.getBackedgeTakenCount(loop);
    if (llvm::isa<llvm::SCEVCouldNotCompute>(count) || already_versioned(polls) || !touches_memory(*loop))
      continue;
    std::vector<Poll> copies = version(*loop, polls, count, limit, li, dt, se);
    to_remove.insert(to_remove.end(), copies.begin(), copies.end());
  }
  if (to_remove.empty() && !removed_redundant) return llvm::PreservedAnalyses::all();
  for (const Poll& p : to_remove) remove_poll(p);
  return llvm::PreservedAnalyses::none();
}

}  // namespace wasixc::aot::llvmgen
