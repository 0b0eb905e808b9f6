// setjmp/longjmp for WASIX guests (stack_checkpoint / stack_restore,
// wasix-abi.md §3.3) as native setjmp does it.
//
// The guest's stack is the host stack, so a checkpoint is a real host
// jump context: the runtime's assembly entry for stack_checkpoint saves
// the callee-saved registers and the stack pointer of the function that
// called it, and stack_restore puts them back and returns from the
// checkpoint call a second time. That is sound only if the frame that
// made the call is still live when the restore comes, exactly like C's
// setjmp: so the libc functions between the guest's code and the import
// (wasix-libc: setjmp -> __wasilibc_setjmp -> stack_checkpoint) are
// *checkpoint helpers*, inlined into their callers, and every call that
// can return twice carries LLVM's returns_twice attribute, which keeps
// LLVM from optimising the caller as if it returned once (the rules
// clang follows for a C function that calls setjmp).
//
// The functions that call helpers tell the runtime when they return
// (wasixc_checkpoint_frame_exit), so a longjmp to a frame that has
// returned is a clean trap instead of a jump into a dead frame. So do the
// standalone copies of helpers (what a function pointer or an export
// reaches): setjmp through them works, a longjmp to it traps.
#pragma once

#include <cstdint>
#include <vector>

#include "aot/llvm/body_facts.h"
#include "wabt/ir.h"

namespace llvm {
class Function;
}

namespace wasixc::aot {
struct ImportPlan;
}

namespace wasixc::aot::llvmgen {

struct CheckpointPlan {
  // Per function index: imports flagged SYSCALL_RETURNS_TWICE, helpers,
  // and the functions that call helpers directly (their frames are the
  // ones checkpoints name).
  std::vector<bool> returns_twice_import, helper, checkpoint_frame;
  bool any() const;
};

// Helpers: functions that call a returns-twice import or another helper
// and make no other call, up to a size that inlining keeps small.
// `m` may be a slice of the module: the bodies' calls come from `facts`.
CheckpointPlan plan_checkpoints(const wabt::Module& m, const ImportPlan& imports, const BodyFacts& facts);

// Before every return of `fn`, a call telling the runtime the frame ends.
void add_frame_exit_hooks(llvm::Function* fn);

}  // namespace wasixc::aot::llvmgen
