// Where safepoint polls are needed (safepoints.cc emits them).
//
// A signal must reach a guest that never calls the host within a bounded
// time. Every unbounded execution either iterates a loop or recurses, so a
// poll is needed in every loop and on every cycle of the call graph, not
// at every function entry:
// - a function polls on entry only if it can call itself again (it sits in
//   a cycle of direct calls and call_indirect edges; a call_indirect reaches
//   only the address-taken functions of its own signature, as any other
//   would trap; calls to imports are host calls, which deliver signals on
//   return and need no poll);
// - a loop polls at its header unless each iteration first makes a direct
//   call to a function that polls on entry.
// Non-recursive loop-free functions (most small helpers) thus cost nothing,
// also after LLVM inlines them into a hot loop.
#pragma once

#include <cstdint>
#include <vector>

#include "aot/llvm/body_facts.h"
#include "wabt/cast.h"
#include "wabt/ir.h"

namespace wasixc::aot::llvmgen {

// The runtime function a poll's slow path calls (safepoints.cc); the
// poll-versioning passes find polls by it.
constexpr const char* kSafepointFunction = "wasixc_safepoint";

class PollPlan {
 public:
  // `m` may be a slice of the module: the bodies' call graph comes from
  // `facts`.
  PollPlan(const wabt::Module& m, const BodyFacts& facts);

  // Function index (imports included) polls at its entry.
  bool polls_on_entry(uint32_t func_index) const { return entry_[func_index]; }
  // The loop `body` reaches an entry-polling callee on every iteration
  // before it can branch back, so its header needs no poll of its own.
  bool loop_covered_by_call(const wabt::ExprList& body) const;
  // Index of the C shadow-stack pointer global (`__stack_pointer`, by name,
  // export or import), or -1. clang's wasm leaf functions keep up to 128
  // bytes of locals below it without moving it (a red zone), so a handler
  // run from a poll must start its frames below that.
  int64_t stack_pointer_global() const { return stack_pointer_; }

 private:
  const wabt::Module& m_;
  std::vector<bool> entry_;
  int64_t stack_pointer_ = -1;
};

}  // namespace wasixc::aot::llvmgen
