// Interruptible code: how a signal reaches a guest that never calls the
// host, without a poll on every loop iteration.
//
// A poll (safepoints.cc) costs a load, a compare and a branch per loop
// iteration or call-cycle turn; on SQLite's speedtest1 that is 14 million
// polls and about 5% of the run time. In an executable, the runtime can
// instead run the guest's handler from the host signal handler itself,
// at whatever instruction of generated code the signal interrupted, as
// Linux runs a native program's handler (kernel/signals.cc; a signal that
// lands in runtime code waits for the next host call or a retry). Two
// things must then hold at every instruction, not only at polls:
//
// - The guest's shadow-stack pointer (`__stack_pointer`) in the instance
//   is never above the frames in use, so the handler's frames, started
//   128 bytes below it (clang's wasm red zone), overwrite nothing live.
//   LLVM would otherwise keep it in a register and drop or move stores to
//   it (an inlined callee's frame push and pop cancel out), so each store
//   is volatile between two compiler barriers (ModuleCodegen::
//   store_global): the frame's own stores stay after the push and before
//   the pop. About 0.02% more instructions on speedtest1.
// - What a handler writes to memory is seen by a loop that waits for it
//   (`while (!flag) {}`: C's `volatile sig_atomic_t` is lost in wasm, a
//   plain i32.load). The polls stay in the code until optimisation is
//   over, so LLVM keeps such loads in their loops exactly as the poll's
//   possible call into the runtime forced it to; afterwards each poll
//   becomes a compiler barrier (`fence syncscope("singlethread")`), which
//   emits no instruction but keeps the machine passes from moving memory
//   accesses across it.
//
// A signal that lands in host code the guest's code called (memset for
// memory.fill, memchr for strlen: the libc routines of libc_builtins.cc)
// cannot run the handler there, since runtime code may hold locks; the
// kernel retries every half millisecond, but a loop that spends nearly
// all its time in such routines would rarely be caught in its own code.
// So a real poll follows each call of them that can take long (a length
// not known to be small): two instructions after a routine of dozens.
//
// The runtime's side: libwasix/runtime/signal_glue.cc tells the kernel
// which code is interruptible and where the shadow-stack pointer lives.
#include "aot/llvm/interruptible.h"

#include <utility>
#include <vector>

#include "aot/llvm/safepoints.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/Local.h"
#include "wasixc/abi.h"

namespace wasixc::aot::llvmgen {
namespace {

// The poll's test once its branch is gone: the compare (or the compares
// LLVM merged), the volatile loads of the pending word, their addresses.
void erase_unused_test(llvm::Value* v) {
  auto* inst = llvm::dyn_cast<llvm::Instruction>(v);
  if (!inst || !inst->use_empty()) return;
  auto* load = llvm::dyn_cast<llvm::LoadInst>(inst);
  if (load) {
    if (load->isVolatile()) load->eraseFromParent();
    return;
  }
  if (!llvm::isa<llvm::CmpInst>(inst) && !llvm::isa<llvm::BinaryOperator>(inst) && !llvm::isa<llvm::CastInst>(inst) &&
      !llvm::isa<llvm::FreezeInst>(inst) && !llvm::isa<llvm::GetElementPtrInst>(inst))
    return;
  std::vector<llvm::Value*> operands(inst->op_begin(), inst->op_end());
  inst->eraseFromParent();
  for (llvm::Value* op : operands) erase_unused_test(op);
}

unsigned strip(llvm::Function& fn) {
  std::vector<std::pair<llvm::BranchInst*, llvm::BasicBlock*>> polls;
  for (llvm::BasicBlock& bb : fn) {
    if (!calls_safepoint(bb)) continue;
    for (llvm::BasicBlock* pred : llvm::predecessors(&bb)) {
      auto* br = llvm::dyn_cast<llvm::BranchInst>(pred->getTerminator());
      if (br && br->isConditional() && (br->getSuccessor(0) == &bb) != (br->getSuccessor(1) == &bb))
        polls.push_back({br, &bb});
    }
  }
  for (auto [br, slow] : polls) {
    llvm::BasicBlock* fast = br->getSuccessor(0) == slow ? br->getSuccessor(1) : br->getSuccessor(0);
    llvm::Value* test = br->getCondition();
    llvm::IRBuilder<> b(br);
    b.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent, llvm::SyncScope::SingleThread);
    b.CreateBr(fast);
    slow->removePredecessor(br->getParent());
    br->eraseFromParent();
    erase_unused_test(test);
  }
  if (!polls.empty()) llvm::removeUnreachableBlocks(fn);
  return static_cast<unsigned>(polls.size());
}

// Copies and fills up to this many bytes LLVM expands inline.
constexpr uint64_t kShortBytes = 256;

// A call into host code that may run long: a memcpy/memmove/memset whose
// length is not a small constant (LLVM calls the host's routine), or one
// of the host routines libc_builtins.cc calls.
bool long_host_routine(const llvm::CallInst& call) {
  if (auto* mem = llvm::dyn_cast<llvm::MemIntrinsic>(&call)) {
    auto* length = llvm::dyn_cast<llvm::ConstantInt>(mem->getLength());
    return !length || length->getZExtValue() > kShortBytes;
  }
  const llvm::Function* f = call.getCalledFunction();
  if (!f || !f->isDeclaration()) return false;
  llvm::StringRef name = f->getName();
  return name == "memchr" || name == "memcmp" || name == "strcspn";
}

// `if (ctx->pending) wasixc_safepoint(ctx)` right after `call`; `inst` is
// the function's instance (whose wasixc_ctx the pending word is in).
void poll_after(llvm::CallInst* call, llvm::Value* inst) {
  llvm::Module& module = *call->getModule();
  llvm::LLVMContext& ctx = module.getContext();
  llvm::BasicBlock* cont = llvm::SplitBlock(call->getParent(), call->getNextNode());
  llvm::BasicBlock* before = call->getParent();
  llvm::BasicBlock* slow = llvm::BasicBlock::Create(ctx, "interrupt.poll", before->getParent(), cont);
  before->getTerminator()->eraseFromParent();
  llvm::IRBuilder<> b(before);
  b.CreateCondBr(pending_is_set(b, inst), slow, cont, llvm::MDBuilder(ctx).createBranchWeights(1, 1 << 20));
  b.SetInsertPoint(slow);
  // No stack-pointer move here: the runtime starts the handlers below the
  // red zone itself for interruptible code (deliver_pending_in_guest_code).
  b.CreateCall(safepoint_function(module), {inst})->setCallingConv(llvm::CallingConv::PreserveMost);
  b.CreateBr(cont);
}

unsigned poll_after_host_routines(llvm::Function& fn) {
  if (fn.arg_empty() || !fn.getArg(0)->getType()->isPointerTy()) return 0;
  std::vector<llvm::CallInst*> calls;
  for (llvm::BasicBlock& bb : fn)
    for (llvm::Instruction& i : bb)
      if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i); call && long_host_routine(*call)) calls.push_back(call);
  for (llvm::CallInst* call : calls) poll_after(call, fn.getArg(0));
  return static_cast<unsigned>(calls.size());
}

}  // namespace

unsigned polls_to_barriers(llvm::Module& module) {
  unsigned n = 0;
  for (llvm::Function& fn : module) {
    if (fn.isDeclaration() || fn.getSection() != WASIXC_CODE_SECTION) continue;
    n += strip(fn);
    poll_after_host_routines(fn);
  }
  return n;
}

}  // namespace wasixc::aot::llvmgen
