// Loop versioning by address stream, for the loop vectoriser.
//
// All of guest memory is one LLVM object (the memory base), so LLVM's loop
// access analysis cannot tell arrays apart by their base pointers as it
// does in native code. When it cannot prove two accesses independent, it
// falls back to checking at run time every pair of pointers that may
// alias, each pointer on its own. A loop its producer unrolled (matmul's
// inner loop: c[j] += a * b[j]; c[j + 1] += a * b[j + 1]) then has c[j]
// checked against c[j + 1]: always overlapping, so its vector loop never
// runs. Here such loops are versioned with checks between *streams*
// instead: pointers at constant distances from each other (c[j] and
// c[j + 1]) form one stream, as LLVM groups pointers when it knows their
// dependences. The checked copy tells LLVM that different streams do not
// alias (scoped noalias metadata); the vectoriser then needs no checks of
// its own and analyses each stream's accesses by their distances. The
// unchecked copy, for overlapping streams, is not vectorised (its checks
// would fail).
#include "aot/llvm/stream_versioning.h"

#include <vector>

#include "llvm/Analysis/LoopAccessAnalysis.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/LoopVersioning.h"

namespace wasixc::aot::llvmgen {
namespace {

// Bounds on the run-time checks' cost, paid on each entry to the loop.
constexpr size_t kMaxPointers = 16;
constexpr size_t kMaxChecks = 8;

bool has_write(const llvm::RuntimeCheckingPtrGroup& stream, const llvm::RuntimePointerChecking& rt) {
  for (unsigned member : stream.Members)
    if (rt.getPointerInfo(member).IsWritePtr) return true;
  return false;
}

// Scoped noalias metadata for the checked copy: a scope per stream, each
// access in its stream's scope and not aliasing the streams checked against
// it. (LoopVersioning's own annotation knows only LLVM's pointer groups.)
void annotate_streams(llvm::Loop& loop, const llvm::RuntimePointerChecking& rt,
                      const std::vector<llvm::RuntimeCheckingPtrGroup>& streams,
                      const std::vector<llvm::RuntimePointerCheck>& checks) {
  llvm::LLVMContext& ctx = loop.getHeader()->getContext();
  llvm::MDBuilder md(ctx);
  llvm::MDNode* domain = md.createAnonymousAliasScopeDomain("wasixc streams");
  std::vector<llvm::MDNode*> scope;
  for (size_t i = 0; i < streams.size(); ++i) scope.push_back(md.createAnonymousAliasScope(domain));
  auto index_of = [&](const llvm::RuntimeCheckingPtrGroup* g) { return static_cast<size_t>(g - streams.data()); };
  std::vector<std::vector<llvm::Metadata*>> not_aliasing(streams.size());
  for (const llvm::RuntimePointerCheck& check : checks) {
    not_aliasing[index_of(check.first)].push_back(scope[index_of(check.second)]);
    not_aliasing[index_of(check.second)].push_back(scope[index_of(check.first)]);
  }
  llvm::DenseMap<const llvm::Value*, size_t> stream_of;
  for (size_t i = 0; i < streams.size(); ++i)
    for (unsigned member : streams[i].Members) stream_of[rt.getPointerInfo(member).PointerValue] = i;
  for (llvm::BasicBlock* bb : loop.blocks())
    for (llvm::Instruction& inst : *bb) {
      const llvm::Value* ptr = llvm::getLoadStorePointerOperand(&inst);
      auto found = ptr ? stream_of.find(ptr) : stream_of.end();
      if (found == stream_of.end()) continue;
      size_t i = found->second;
      inst.setMetadata(llvm::LLVMContext::MD_alias_scope,
                       llvm::MDNode::concatenate(inst.getMetadata(llvm::LLVMContext::MD_alias_scope),
                                                 llvm::MDNode::get(ctx, {scope[i]})));
      if (!not_aliasing[i].empty())
        inst.setMetadata(llvm::LLVMContext::MD_noalias,
                         llvm::MDNode::concatenate(inst.getMetadata(llvm::LLVMContext::MD_noalias),
                                                   llvm::MDNode::get(ctx, not_aliasing[i])));
    }
}

bool version_by_streams(llvm::Loop& loop, llvm::LoopAccessInfoManager& lais, llvm::LoopInfo& li,
                        llvm::DominatorTree& dt, llvm::ScalarEvolution& se) {
  // LoopVersioning's requirements: one exit, simplified and LCSSA form.
  if (!loop.isInnermost() || !loop.isLoopSimplifyForm() || !loop.getExitBlock() || !loop.isLCSSAForm(dt))
    return false;
  const llvm::LoopAccessInfo& lai = lais.getInfo(loop);
  const llvm::RuntimePointerChecking* rt = lai.getRuntimePointerChecking();
  if (!lai.canVectorizeMemory() || !rt->Need || rt->Pointers.size() > kMaxPointers) return false;

  // Streams: pointers of one alias set at constant distances. (The group
  // type's constructor takes the checking object non-const; it only reads.)
  auto& checking = const_cast<llvm::RuntimePointerChecking&>(*rt);
  std::vector<llvm::RuntimeCheckingPtrGroup> streams;
  streams.reserve(rt->Pointers.size());  // the checks below point into it
  for (unsigned i = 0; i < rt->Pointers.size(); ++i) {
    bool joined = false;
    for (llvm::RuntimeCheckingPtrGroup& stream : streams)
      if (rt->Pointers[stream.Members[0]].AliasSetId == rt->Pointers[i].AliasSetId &&
          stream.addPointer(i, checking)) {
        joined = true;
        break;
      }
    if (!joined) streams.emplace_back(i, checking);
  }
  // Only worth it where LLVM's own checks would compare two pointers of
  // one written stream.
  bool split_write_stream = false;
  for (const llvm::RuntimeCheckingPtrGroup& stream : streams)
    split_write_stream |= stream.Members.size() > 1 && has_write(stream, *rt);
  if (!split_write_stream) return false;

  std::vector<llvm::RuntimePointerCheck> checks;
  for (size_t i = 0; i < streams.size(); ++i)
    for (size_t j = i + 1; j < streams.size(); ++j)
      if (rt->Pointers[streams[i].Members[0]].AliasSetId == rt->Pointers[streams[j].Members[0]].AliasSetId &&
          (has_write(streams[i], *rt) || has_write(streams[j], *rt)))
        checks.emplace_back(&streams[i], &streams[j]);
  if (checks.empty() || checks.size() > kMaxChecks) return false;

  llvm::LoopVersioning versioning(lai, checks, &loop, &li, &dt, &se);
  versioning.versionLoop();
  annotate_streams(loop, *rt, streams, checks);
  llvm::addStringMetadataToLoop(versioning.getNonVersionedLoop(), "llvm.loop.vectorize.enable", 0);
  return true;
}

}  // namespace

llvm::PreservedAnalyses StreamVersioningPass::run(llvm::Function& fn, llvm::FunctionAnalysisManager& fam) {
  auto& li = fam.getResult<llvm::LoopAnalysis>(fn);
  if (li.empty()) return llvm::PreservedAnalyses::all();
  auto& dt = fam.getResult<llvm::DominatorTreeAnalysis>(fn);
  auto& se = fam.getResult<llvm::ScalarEvolutionAnalysis>(fn);
  auto& lais = fam.getResult<llvm::LoopAccessAnalysis>(fn);
  bool changed = false;
  // getLoopsInPreorder returns a copy: the loops versioning adds are not visited.
  for (llvm::Loop* loop : li.getLoopsInPreorder())
    if (version_by_streams(*loop, lais, li, dt, se)) {
      changed = true;
      lais.clear();  // the versioned loop's analysis is stale
    }
  if (!changed) return llvm::PreservedAnalyses::all();
  llvm::PreservedAnalyses kept;  // LoopVersioning keeps loops and dominators up to date
  kept.preserve<llvm::LoopAnalysis>();
  kept.preserve<llvm::DominatorTreeAnalysis>();
  return kept;
}

}  // namespace wasixc::aot::llvmgen
