// State while translating one function body: the wasm value stack (LLVM
// values), the control stack, locals (allocas that mem2reg promotes), and
// helpers the emitters share. Block results travel through allocas too, so
// no phi bookkeeping is needed; SROA/mem2reg turn them into SSA.
#pragma once

#include <deque>
#include <map>
#include <vector>

#include "aot/llvm/codegen.h"
#include "wasixc/abi.h"

namespace wasixc::aot::llvmgen {

struct Control {
  enum Kind { kFunction, kBlock, kLoop, kIf } kind;
  std::string label;
  llvm::BasicBlock* branch_target;       // loop: header; others: end
  std::vector<llvm::AllocaInst*> branch_slots;  // values a branch carries
  llvm::BasicBlock* end;                 // fallthrough continuation
  std::vector<llvm::AllocaInst*> result_slots;
  std::vector<wabt::Type> result_types;
  size_t stack_height;                   // value stack size at entry (params removed)
  // Exceptions (emit_exceptions.cc): where a throw inside this control
  // goes (null: out of the function), and, while one of a try's catch
  // bodies runs, the slot holding the exception it caught.
  struct UnwindTarget* unwind_inside = nullptr;
  bool catching = false;
  llvm::AllocaInst* caught = nullptr;
};

// A place in the function an exception thrown by a call can reach: a try's
// handler, or a catch body's cleanup (it releases the caught exception).
// `landing` is the LLVM landing pad (made on first use); it and inner
// targets hand the exception to `dispatch` through `incoming`.
struct UnwindTarget {
  llvm::BasicBlock* landing = nullptr;
  llvm::BasicBlock* dispatch = nullptr;
  llvm::AllocaInst* incoming = nullptr;
};

// libc routines compiled as host routines (libc_builtins.cc).
enum class LibcBuiltin { kNone, kCopy, kFill, kStrlen, kMemcmp, kStrcspn };

class FunctionCodegen {
 public:
  FunctionCodegen(ModuleCodegen& mc, const wabt::Func& func, llvm::Function* fn);
  // entry_poll: the function may recurse, so it polls on entry (poll_placement.h).
  void emit(bool entry_poll);

  // --- shared with emit_*.cc ---
  ModuleCodegen& mc;
  const wabt::Func& func;
  llvm::Function* fn;
  llvm::IRBuilder<> b;
  llvm::Value* inst;  // the instance (first parameter)
  int64_t func_index = -1;  // the body's function (-1: an inline copy)

  void push(llvm::Value* v) { stack_.push_back(v); }
  llvm::Value* pop() {
    llvm::Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  llvm::Value* top() { return stack_.back(); }
  // Pops n values, returned bottom-first.
  std::vector<llvm::Value*> pop_n(size_t n);

  // Branches to a trap of `code` when `cond` holds.
  void trap_if(llvm::Value* cond, wasixc_trap_code code);
  void trap(wasixc_trap_code code);  // unconditional; ends the block
  // Starts a new basic block (after a conditional branch).
  void continue_in(const char* name);

  // Memory 0's base (loaded once per function; it never moves).
  llvm::Value* memory_base();
  // Effective address of a memory access: base + zext(index) + offset.
  llvm::Value* address(llvm::Value* index, uint64_t offset);
  llvm::Value* i32(uint32_t v) { return b.getInt32(v); }
  llvm::Value* i64(uint64_t v) { return b.getInt64(v); }
  llvm::Value* to_i32(llvm::Value* cond) { return b.CreateZExt(cond, b.getInt32Ty()); }
  llvm::Function* intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Type*> types);

  // Calls `callee` (the wasm signature `sig`) and pushes its results.
  // In tail position (return_call*) a call to guest code is a musttail
  // call followed by ret; a host function is called normally and its
  // results returned.
  // `host_callee`: a syscall (the C convention, never throws).
  void emit_call(llvm::FunctionCallee callee, llvm::Value* callee_instance,
                 const wabt::FuncSignature& sig, bool host_callee = false);
  void emit_direct_call(uint32_t func_index);
  void emit_return_call(const wabt::Expr& e);  // emit_tail_calls.cc
  // Exceptions (emit_exceptions.cc).
  void emit_try(const wabt::TryExpr& e);
  void emit_exnref_intrinsic(lowering::Intrinsic kind);
  void emit_throw(const wabt::ThrowExpr& e);
  void emit_rethrow(const wabt::RethrowExpr& e);
  // A call that becomes an invoke inside a try (the exception lands in the
  // innermost handler); continues after it.
  llvm::CallBase* call_or_invoke(llvm::FunctionCallee callee, llvm::ArrayRef<llvm::Value*> args);
  // Before control leaves the catch bodies above `target` (a branch, a
  // return, a tail call), their exceptions are released.
  void release_caught_leaving(const Control& target);

  // Emitter families (emit_numeric.cc, emit_memory.cc, emit_table.cc).
  void emit_const(const wabt::ConstExpr& e);
  void emit_unary(wabt::Opcode op);
  void emit_binary(wabt::Opcode op);
  void emit_compare(wabt::Opcode op);
  void emit_convert(wabt::Opcode op);
  void emit_load(const wabt::LoadExpr& e);
  void emit_store(const wabt::StoreExpr& e);
  void emit_memory_size();
  void emit_memory_grow();
  void emit_memory_fill();
  void emit_memory_copy();
  // libc_builtins.cc: a function body, or a direct call to `callee`
  // (`direct` its code), compiled as the libc routine it is; false if it
  // is none of them.
  bool emit_libc_builtin();
  bool emit_libc_builtin_call(const wabt::Func& callee, llvm::Function* direct);
  LibcBuiltin libc_builtin_of(const wabt::Func& f) const;
  void emit_libc_builtin(LibcBuiltin kind, const std::vector<llvm::Value*>& args);
  void emit_strlen(llvm::Value* s);
  void emit_memcmp(llvm::Value* lhs, llvm::Value* rhs, llvm::Value* n);
  void emit_strcspn(llvm::Value* s, llvm::Value* reject, llvm::Function* fallback, const wabt::FuncSignature& sig);
  llvm::Value* memory_size_bytes();  // emit_memory.cc
  void emit_memory_init(const wabt::MemoryInitExpr& e);
  void emit_data_drop(const wabt::DataDropExpr& e);
  void emit_atomic(const wabt::Expr& e);
  void emit_call_indirect(const wabt::CallIndirectExpr& e);
  void emit_table_op(const wabt::Expr& e);
  void emit_ref(const wabt::Expr& e);
  // safepoints.cc; a poll guarding an indirect call (`indirect_call`)
  // carries kIndirectCallPoll, so poll versioning leaves it in place.
  void emit_safepoint(bool indirect_call = false);
  bool emit_simd(const wabt::Expr& e);  // emit_simd.cc: false if `e` is not SIMD
  llvm::Value* quiet_nan(llvm::Value* v);
  llvm::Value* quiet_if_const(llvm::Value* r, llvm::Value* x, llvm::Value* y);

 private:
  void emit_list(const wabt::ExprList& list);
  void emit_expr(const wabt::Expr& e);
  void emit_block(const wabt::Block& block, Control::Kind kind);
  void emit_if(const wabt::IfExpr& e);
  void emit_branch(const wabt::Var& target);
  void emit_br_if(const wabt::Var& target);
  void emit_br_table(const wabt::BrTableExpr& e);
  void emit_return();
  // Enters control `c`'s end: stores fallthrough results, continues in `end`.
  void finish_block(Control& c);
  Control& resolve(const wabt::Var& label);
  void branch_to(Control& c);
  std::vector<llvm::AllocaInst*> make_slots(const std::vector<wabt::Type>& types,
                                            const char* name);
  std::pair<std::vector<wabt::Type>, std::vector<wabt::Type>> block_signature(
      const wabt::BlockDeclaration& decl);
  bool terminated() { return b.GetInsertBlock()->getTerminator() != nullptr; }
  bool tail_position_ = false;  // the call being emitted is a return_call*
  UnwindTarget* unwind_ = nullptr;  // where a throw here lands (null: the caller)
  std::deque<UnwindTarget> unwind_targets_;
  UnwindTarget* new_unwind_target(const char* name);
  llvm::BasicBlock* landing_pad(UnwindTarget* target);
  // Hands `exn` (a landed exception) to `target`, or re-raises it to the caller.
  void forward_exception(llvm::Value* exn, UnwindTarget* target);

  std::vector<llvm::Value*> stack_;
  std::vector<Control> controls_;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<wabt::Type> local_types_;
  llvm::IRBuilder<> alloca_builder_;
  llvm::Value* memory_base_ = nullptr;
  // Loads from guest memory: those whose value turns out unused become
  // volatile so their out-of-bounds trap survives (trap_preservation.cc).
 public:
  std::vector<llvm::LoadInst*> guest_loads_;

 private:
  std::map<int, llvm::BasicBlock*> trap_blocks_;
};

// Makes guest loads whose values are unused volatile (trap_preservation.cc).
void preserve_load_traps(llvm::Function& fn, const std::vector<llvm::LoadInst*>& guest_loads);

}  // namespace wasixc::aot::llvmgen
