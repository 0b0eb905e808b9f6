// Pass pipelines for IR translated from wasm.
//
// The wasm was already optimised by the compiler that produced it (clang
// -O2 for wasm32, usually): inlined, loop-optimised, its globals and
// constants propagated. What the translation leaves undone is local: wasm
// locals and block results in allocas, address arithmetic in i32 with
// zero-extensions, loads of instance fields, a branch block per wasm block,
// safepoint polls in every loop. Code for the host can also gain what wasm
// could not express: vector instructions (the wasm had no SIMD unless the
// producer was told to emit it).
//
// So -O2 is LLVM's -O2 function pipeline, trimmed (pass_pipeline text below)
// with each cut measured on speedtest1 and the bench guests (instruction
// counts under cachegrind, compile time alternated; bench/results/
// compile-time.md): about 12% less compile time, the same code speed.
#include "aot/llvm/interruptible.h"
#include "aot/llvm/pass_pipeline.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "aot/diagnostics.h"
#include "aot/llvm/address_iv_widening.h"
#include "aot/llvm/poll_versioning.h"
#include "aot/llvm/stream_versioning.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassTimingInfo.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

namespace wasixc::aot::llvmgen {
namespace {

// -O1, the fast tier (wasixc run during development): only what the
// translation from wasm leaves undone runs, once, function by function:
// locals and block results from allocas into registers (SROA), repeated
// loads of instance fields and address arithmetic (EarlyCSE), folding the
// wasm-to-LLVM patterns (zext/add/gep chains, i32 compares) (InstCombine),
// and the branch blocks every wasm block leaves (SimplifyCFG). No inliner,
// no loop passes: polls stay in every loop. The always-inliner runs as at
// -O0 (setjmp helpers must be inlined into their callers).
constexpr const char* kFastTier =
    "always-inline,"
    "function(sroa<modify-cfg>,early-cse,instcombine<max-iterations=1;no-verify-fixpoint>,simplifycfg)";

// -O2: LLVM 19's default<O2> (opt -passes='default<O2>' -print-pipeline-passes,
// with the SLP vectoriser on as clang has it) minus what finds nothing to do
// in wasm-derived IR or repeats work:
//  - the interprocedural passes before the inliner (IPSCCP, called-value
//    propagation, dead-argument elimination, OpenMP, coroutines, profile
//    and attribute inference): a partition sees a part of the module, and
//    the producer already propagated constants across functions;
//  - five of the eight InstCombine runs (before inlining, after loop
//    rotation, at the end of each function's simplification, after SLP
//    vectorisation, after unrolling), the second
//    jump-threading and value-propagation round, aggressive-instcombine,
//    reassociate, constraint elimination, BDCE, libcall shrink-wrapping,
//    loop distribution and loop sinking;
//  - GVN's partial redundancy elimination: on speedtest1 the code without
//    it runs fewer instructions (800.7M against 806.8M) and GVN takes a
//    third less time.
// Kept although costly: the inliner (without it bintrees runs 5% and
// strings 15% more instructions: calls the producer kept are cheap to
// inline once the callee is translated), and the vectorisers (nbody 8%).
// Four wasixc passes sit where default<O2> offers extension points:
// short-loop poll removal before full unrolling, poll versioning after a
// function's scalar passes (poll_versioning.cc), and, just before the loop
// vectoriser, 64-bit address induction variables (address_iv_widening.cc)
// and loop versioning by address stream (stream_versioning.cc).
constexpr const char* kO2 =
    // Before inlining: allocas to registers, so the inliner's costs are right.
    "function<eager-inv>(simplifycfg,sroa<modify-cfg>,early-cse),"
    "globalopt,"
    "function<eager-inv>(mem2reg,simplifycfg<switch-range-to-icmp>),"
    "always-inline,"
    // Bottom-up over the call graph: inline, then simplify each function.
    "cgscc(devirt<4>(inline,function-attrs<skip-non-recursive-function-attrs>,"
    "function<eager-inv;no-rerun>("
    "sroa<modify-cfg>,early-cse<memssa>,jump-threading,correlated-propagation,"
    "simplifycfg<switch-range-to-icmp>,instcombine<max-iterations=1;no-verify-fixpoint>,"
    "tailcallelim,simplifycfg<switch-range-to-icmp>,"
    "loop-mssa(loop-instsimplify,loop-simplifycfg,licm<no-allowspeculation>,loop-rotate,"
    "licm<allowspeculation>,simple-loop-unswitch),"
    "simplifycfg<switch-range-to-icmp>,"
    "loop(loop-idiom,indvars,simple-loop-unswitch,loop-deletion,wasixc-short-loop-polls,"
    "loop-unroll-full),"
    "sroa<modify-cfg>,vector-combine,mldst-motion<no-split-footer-bb>,gvn<no-pre;no-load-pre>,"
    "sccp,instcombine<max-iterations=1;no-verify-fixpoint>,adce,memcpyopt,dse,"
    "loop-mssa(licm<allowspeculation>),wasixc-poll-versioning,"
    "simplifycfg<switch-range-to-icmp;hoist-common-insts;sink-common-insts>),"
    "function-attrs)),"
    "globalopt,globaldce,"
    // Code for the host: vectorise, unroll, clean up.
    "function<eager-inv>(lower-constant-intrinsics,loop(loop-rotate,loop-deletion),"
    "inject-tli-mappings,wasixc-widen-address-ivs,wasixc-stream-versioning,loop-vectorize,infer-alignment,loop-load-elim,"
    "instcombine<max-iterations=1;no-verify-fixpoint>,"
    "simplifycfg<forward-switch-cond;switch-range-to-icmp;switch-to-lookup;no-keep-loops;"
    "hoist-common-insts;sink-common-insts>,"
    "slp-vectorizer,vector-combine,loop-unroll<O2>,sroa<preserve-cfg>,infer-alignment,"
    "loop-mssa(licm<allowspeculation>),instsimplify,div-rem-pairs,tailcallelim,"
    "simplifycfg<switch-range-to-icmp;speculate-unpredictables>),"
    "globaldce";

// The wasixc passes by name, for the pipeline texts (and for printing them).
void register_wasixc_passes(llvm::PassBuilder& pb, llvm::PassInstrumentationCallbacks& instrumentation) {
  instrumentation.addClassToPassName(ShortLoopPollRemovalPass::name(), "wasixc-short-loop-polls");
  instrumentation.addClassToPassName(PollVersioningPass::name(), "wasixc-poll-versioning");
  pb.registerPipelineParsingCallback([](llvm::StringRef name, llvm::LoopPassManager& lpm,
                                        llvm::ArrayRef<llvm::PassBuilder::PipelineElement>) {
    if (name != "wasixc-short-loop-polls") return false;
    lpm.addPass(ShortLoopPollRemovalPass());
    return true;
  });
  instrumentation.addClassToPassName(AddressIvWideningPass::name(), "wasixc-widen-address-ivs");
  instrumentation.addClassToPassName(StreamVersioningPass::name(), "wasixc-stream-versioning");
  pb.registerPipelineParsingCallback([](llvm::StringRef name, llvm::FunctionPassManager& fpm,
                                        llvm::ArrayRef<llvm::PassBuilder::PipelineElement>) {
    if (name == "wasixc-poll-versioning") {
      fpm.addPass(PollVersioningPass());
      return true;
    }
    if (name == "wasixc-widen-address-ivs") {
      fpm.addPass(AddressIvWideningPass());
      return true;
    }
    if (name == "wasixc-stream-versioning") {
      fpm.addPass(StreamVersioningPass());
      return true;
    }
    return false;
  });
}

llvm::ModulePassManager parse(llvm::PassBuilder& pb, const char* text, const char* what) {
  llvm::ModulePassManager mpm;
  if (llvm::Error e = pb.parsePassPipeline(mpm, text))
    fail("%s: %s", what, llvm::toString(std::move(e)).c_str());
  return mpm;
}

}  // namespace

void optimize(llvm::Module& module, llvm::TargetMachine& tm, int opt_level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // WASIXC_LLVM_ARGS=-time-passes times each pass (with -j1: LLVM's timers
  // are per process); the instrumentation is only set up when asked for.
  llvm::PassInstrumentationCallbacks instrumentation;
  std::optional<llvm::StandardInstrumentations> standard;
  if (llvm::TimePassesIsEnabled) {
    standard.emplace(module.getContext(), /*DebugLogging=*/false);
    standard->registerCallbacks(instrumentation, &mam);
  }
  // -O3 is LLVM's default<O3>, with the SLP vectoriser on as clang has it.
  llvm::PipelineTuningOptions tuning;
  tuning.SLPVectorization = true;
  llvm::PassBuilder pb(&tm, tuning, std::nullopt, &instrumentation);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  register_wasixc_passes(pb, instrumentation);
  // The -O3 pipeline reaches the wasixc passes through extension points.
  pb.registerLateLoopOptimizationsEPCallback([](llvm::LoopPassManager& lpm, llvm::OptimizationLevel) {
    lpm.addPass(ShortLoopPollRemovalPass());
  });
  pb.registerScalarOptimizerLateEPCallback([](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel) {
    fpm.addPass(PollVersioningPass());
  });
  pb.registerVectorizerStartEPCallback([](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel) {
    fpm.addPass(AddressIvWideningPass());
    fpm.addPass(StreamVersioningPass());
  });

  llvm::ModulePassManager mpm;
  if (const char* text = getenv("WASIXC_PIPELINE"); text && *text && opt_level >= 1)
    mpm = parse(pb, text, "WASIXC_PIPELINE");
  else if (opt_level == 0)
    mpm = pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0);
  else if (opt_level == 1)
    mpm = parse(pb, kFastTier, "the -O1 pipeline");
  else if (opt_level == 2)
    mpm = parse(pb, kO2, "the -O2 pipeline");
  else
    mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  if (const char* print = getenv("WASIXC_PRINT_PIPELINE"); print && *print) {
    std::string text;
    llvm::raw_string_ostream os(text);
    mpm.printPipeline(os, [&](llvm::StringRef name) { return instrumentation.getPassNameForClassName(name); });
    fprintf(stderr, "%s\n", text.c_str());
  }
  mpm.run(module, mam);
  // Last, when signals may interrupt the code anywhere: the polls, which
  // kept LLVM from moving memory accesses across them, become barriers.
  if (module.getModuleFlag(kInterruptibleFlag)) polls_to_barriers(module);
}

}  // namespace wasixc::aot::llvmgen
