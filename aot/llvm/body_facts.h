// What the code generator of one partition needs to know about every
// function body of the module: the call graph (poll placement,
// checkpoint helpers), which functions have their reference taken, which
// tables an instruction can change (frozen tables) and each body's size
// (partitioning). Gathered once, a slice of bodies at a time, while the
// module is validated (module_loader.h, load_module's `on_bodies`), so no
// partition needs the other partitions' bodies in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wabt/ir.h"

namespace wasixc::aot::llvmgen {

class BodyFacts {
 public:
  // Adds the bodies of functions [first, end) of `m` (a module, or a slice
  // of one in which those bodies are real). Slices come in increasing
  // order of functions; imports have no body and no facts.
  void add(const wabt::Module& m, uint32_t first, uint32_t end);
  // Facts of every function of `m`.
  static BodyFacts of(const wabt::Module& m);

  size_t num_functions() const { return instructions_.size(); }
  // Instructions in the body plus one, blocks, loops and ifs counted with
  // their contents: the measure partitions are balanced by.
  size_t instructions(uint32_t f) const { return instructions_[f]; }
  // Every instruction (try blocks and handlers included): a checkpoint
  // helper's size.
  size_t all_instructions(uint32_t f) const { return all_instructions_[f]; }

  struct Call {
    uint32_t callee;
    bool tail;  // return_call
  };
  // Direct calls in the order they appear.
  const Call* calls_begin(uint32_t f) const { return calls_.data() + call_begin_[f]; }
  const Call* calls_end(uint32_t f) const { return calls_.data() + call_begin_[f + 1]; }
  // call_indirect or call_ref; return_call_indirect.
  bool calls_indirectly(uint32_t f) const { return flags_[f] & kIndirect; }
  bool tail_calls_indirectly(uint32_t f) const { return flags_[f] & kTailIndirect; }
  // What `f`'s indirect calls can reach. call_indirect and
  // return_call_indirect trap unless the callee's signature equals theirs,
  // so they reach only functions of the signature classes listed (sorted,
  // unique); call_ref is not narrowed (calls_any_signature).
  const uint32_t* indirect_classes_begin(uint32_t f) const { return classes_.data() + class_begin_[f]; }
  const uint32_t* indirect_classes_end(uint32_t f) const { return classes_.data() + class_begin_[f + 1]; }
  bool calls_any_signature(uint32_t f) const { return flags_[f] & kAnySignature; }
  // The class of a signature some indirect call uses, or kNoClass when no
  // indirect call uses it (a function of that signature is then reached by
  // no call_indirect). Equal signatures (any type index) share a class.
  static constexpr uint32_t kNoClass = UINT32_MAX;
  uint32_t signature_class(const wabt::FuncSignature& sig) const;
  // A body holds ref.func of function `f`.
  bool reference_taken_in_code(uint32_t f) const { return f < ref_taken_.size() && ref_taken_[f]; }
  // Some body holds try or rethrow (legacy exceptions); return_call or
  // return_call_indirect.
  bool any_try_or_rethrow() const { return any_try_; }
  bool any_tail_call() const { return any_tail_call_; }
  // An instruction can change table `t` (table.set/grow/fill, the
  // destination of table.copy, table.init).
  bool table_changed_by_code(uint32_t t) const { return t < table_changed_.size() && table_changed_[t]; }

 private:
  static constexpr uint8_t kIndirect = 1, kTailIndirect = 2, kAnySignature = 4;
  void grow_to(uint32_t n);
  uint32_t add_class(const wabt::FuncSignature& sig);
  std::vector<uint32_t> instructions_, all_instructions_;
  std::vector<uint8_t> flags_;
  std::vector<size_t> call_begin_{0};
  std::vector<Call> calls_;
  std::vector<size_t> class_begin_{0};
  std::vector<uint32_t> classes_;
  std::map<std::string, uint32_t> class_of_key_;
  std::vector<bool> ref_taken_, table_changed_;
  bool any_try_ = false, any_tail_call_ = false;
};

}  // namespace wasixc::aot::llvmgen
