// Where safepoint polls are needed (safepoints.cc emits them).
//
// A signal must reach a guest that never calls the host within a bounded
// time. Every unbounded execution either iterates a loop or recurses, so a
// poll is needed in every loop and on every cycle of the call graph, not
// at every function entry:
// - a function polls on entry only if it can call itself again through
//   direct calls (it sits in a cycle of them; calls to imports are host
//   calls, which deliver signals on return and need no poll);
// - a call_indirect polls just before the call when it can reach a function
//   of its caller's component of the whole call graph (call_indirect edges
//   included: one reaches only the address-taken functions of its own
//   signature, as any other would trap). Every cycle of calls thus polls at
//   least once per turn: one made of direct calls only at each entry, any
//   other at its indirect call. Functions that recurse only through a
//   function pointer (an address-taken function called back by whatever
//   calls through the table) no longer poll at every entry; these polls
//   are never taken out of a loop (poll_versioning.cc skips them);
// - a loop polls at its header unless each iteration first makes a direct
//   call to a function that polls on entry, or a call_indirect that polls.
// Non-recursive loop-free functions (most small helpers) thus cost nothing,
// also after LLVM inlines them into a hot loop.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "aot/llvm/body_facts.h"
#include "wabt/cast.h"
#include "wabt/ir.h"

namespace wasixc::aot::llvmgen {

// The runtime function a poll's slow path calls (safepoints.cc); the
// poll-versioning passes find polls by it.
constexpr const char* kSafepointFunction = "wasixc_safepoint";
// Metadata on the branch of a poll guarding an indirect call: the cycle it
// breaks may run through any loop around it, so it is never removed.
constexpr const char* kIndirectCallPoll = "wasixc.poll.indirect_call";

class PollPlan {
 public:
  // `m` may be a slice of the module: the bodies' call graph comes from
  // `facts`.
  PollPlan(const wabt::Module& m, const BodyFacts& facts);

  // Function index (imports included) polls at its entry.
  bool polls_on_entry(uint32_t func_index) const { return entry_[func_index]; }
  // A call_indirect (sig, or null for call_ref: any signature) in function
  // `caller` (-1: unknown) polls just before the call.
  bool polls_before_indirect_call(int64_t caller, const wabt::FuncSignature* sig) const;
  // The loop `body` (in function `caller`) reaches an entry-polling callee
  // or a polling call_indirect on every iteration before it can branch
  // back, so its header needs no poll of its own.
  bool loop_covered_by_call(const wabt::ExprList& body, int64_t caller) const;
  // Index of the C shadow-stack pointer global (`__stack_pointer`, by name,
  // export or import), or -1. clang's wasm leaf functions keep up to 128
  // bytes of locals below it without moving it (a red zone), so a handler
  // run from a poll must start its frames below that.
  int64_t stack_pointer_global() const { return stack_pointer_; }

 private:
  const wabt::Module& m_;
  const BodyFacts& facts_;
  std::vector<bool> entry_, cyclic_;
  std::vector<uint32_t> component_, direct_only_component_;
  std::set<std::pair<uint32_t, uint32_t>> class_in_component_;  // (component, signature class)
  std::set<uint32_t> any_in_component_;
  int64_t stack_pointer_ = -1;
};

}  // namespace wasixc::aot::llvmgen
