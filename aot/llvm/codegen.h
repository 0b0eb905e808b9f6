// The LLVM backend's code generator: one ModuleCodegen per wasm module,
// one FunctionCodegen per function body. Instruction families are emitted
// by separate files (emit_*.cc) from one dispatch switch
// (function_codegen.cc); the instance layout (what lives where in an
// instance) is computed once in instance_layout.cc and read by every
// emitter and by the generated init functions (instantiate.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aot/imports.h"
#include "aot/llvm/body_facts.h"
#include "aot/llvm/poll_placement.h"
#include "aot/llvm/stack_checkpoints.h"
#include "aot/module_loader.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "wabt/ir.h"

namespace wasixc::aot::llvmgen {

// The calling convention of every wasm function the LLVM backend emits
// (and of every call through a wasixc_funcref), ModuleCodegen::guest_cc():
// in a module with return_call or return_call_indirect, LLVM's tailcc,
// under which a call marked musttail is always a jump even when caller and
// callee take different parameters (the callee pops its stack arguments),
// so return_call never grows the stack; otherwise the C convention.
// tailcc is not free: on x86-64 every callee pops at least 8 bytes (its
// argument area is kept 16-byte aligned), a `ret $8` and a `sub $8, %rsp`
// after each call, which made call-heavy code (bench/guests/fib.c) 1.5x
// slower; modules that never tail-call do not pay it. Either way host
// functions never sit in a funcref themselves: a syscall gets an adapter
// of the guest convention there (emit_tail_calls.cc), and the runtime
// enters guest code only through the invoke thunks, which are C functions.

struct CodegenOptions {
  bool safepoints = true;
  // With safepoints: signals may interrupt the code anywhere (an executable
  // whose runtime supports it; interruptible.cc) rather than at polls.
  bool interruptible = false;
  // Executables bind non-syscall imports to trap stubs (with
  // --allow-missing-imports); embedders such as the spec harness fill them
  // at instantiation instead.
  bool dynamic_imports = false;
  std::string module_name;  // for messages
  // Large modules are split into partitions compiled in parallel: this
  // object holds the bodies of functions [first_function, end_function)
  // (all when partitioned is false), and partition 0 also holds the data
  // segments, init functions, thunks and the descriptor.
  bool partitioned = false;
  uint32_t first_function = 0, end_function = UINT32_MAX;
  bool main_partition = true;
  // tailcc for every guest function even in a module without tail calls:
  // for embedders whose modules share funcrefs with modules that have them
  // (all modules one embedder links must agree).
  bool tail_call_convention = false;
  // Memory 0 at WASIXC_FIXED_MEMORY_ADDRESS (abi.h), a constant in every
  // access, for executables: one instance of the module per process (its
  // threads share the memory). Embedders that instantiate modules side by
  // side (the spec harness) keep the base in the instance.
  bool fixed_memory_base = false;
  // Facts about every body of the module (body_facts.h), for a module
  // read a slice at a time; without them the module's own bodies (all of
  // them real) are looked at.
  std::shared_ptr<const BodyFacts> facts;
  // Each data segment's size, when the module's IR holds the segments
  // without their bytes (a slice that leaves data out, module_slices.h);
  // only the main partition's IR, which emits them, has the bytes.
  std::shared_ptr<const std::vector<uint64_t>> data_sizes;
};

// Byte offsets of everything an instance holds (see abi.h: an instance
// starts with a wasixc_ctx). Pointer slots are 8 bytes, cells 8 bytes.
struct InstanceLayout {
  uint32_t size = 0;
  uint32_t mem_base = 0;               // uint8_t*: data of memory 0 (cached)
  std::vector<uint32_t> memory_ptr;    // wasixc_memory* per memory
  std::vector<uint32_t> memory_store;  // own memories: inline wasixc_memory
  std::vector<uint32_t> table_ptr;     // wasixc_table* per table
  std::vector<uint32_t> table_store;   // own tables: inline wasixc_table
  std::vector<uint32_t> global_ptr;    // pointer to the global's cell
  std::vector<uint32_t> global_cell;   // own globals: inline 8-byte cell
  std::vector<uint32_t> func_ptr;      // wasixc_funcref* per function
  std::vector<uint32_t> func_record;   // own/bound functions: inline record
  std::vector<uint32_t> type_id;       // u32 canonical id per module type
  std::vector<uint32_t> elem_items;    // void*[n] per element segment
  std::vector<uint32_t> tag_ptr;       // tag identity: the address of a tag cell
  std::vector<uint32_t> tag_cell;      // own tags: inline 8-byte cell
  uint32_t data_dropped = 0;           // u8 per data segment
  uint32_t elem_dropped = 0;           // u8 per element segment
};

InstanceLayout compute_layout(const wabt::Module& m);

// Signature letters of a wasm function type: "iI:f" (params:results);
// r = funcref, e = externref.
std::string signature_string(const wabt::FuncSignature& sig);
char type_letter(wabt::Type t);

class ModuleCodegen {
 public:
  ModuleCodegen(const LoadedModule& loaded, const ImportPlan& imports,
                const CodegenOptions& options, llvm::LLVMContext& ctx);

  // Emits every function, the init functions and the module descriptor
  // `info_symbol`. Throws CompileError on unsupported input.
  std::unique_ptr<llvm::Module> generate(const std::string& info_symbol);

  // --- used by the emitters ---
  const wabt::Module& wasm() const { return *wasm_; }
  const InstanceLayout& layout() const { return layout_; }
  const CodegenOptions& options() const { return options_; }
  const PollPlan& polls() const { return *polls_; }
  llvm::LLVMContext& ctx() { return ctx_; }
  llvm::Module& mod() { return *module_; }

  llvm::Type* value_type(wabt::Type t);
  llvm::FunctionType* function_type(const wabt::FuncSignature& sig);
  llvm::Type* result_type(const std::vector<wabt::Type>& results);
  // The function a direct call to `index` calls: for a checkpoint helper
  // (stack_checkpoints.h) its inlinable copy.
  llvm::Function* function(uint32_t index) {
    return inline_copies_[index] ? inline_copies_[index] : defined_function(index);
  }
  // The LLVM function of a module-defined function (null for an import),
  // declared on first use: a partition declares only what it defines or
  // references, not every function of the module.
  llvm::Function* defined_function(uint32_t index);
  // The intrinsic an appended function is (aot/lowering/lowering.h).
  std::optional<lowering::Intrinsic> intrinsic(uint32_t func_index) const {
    return lowering::find_intrinsic(loaded_.intrinsics, func_index);
  }
  bool is_checkpoint_helper(uint32_t index) const { return inline_copies_[index] != nullptr; }
  // Non-null when import `index` is bound at compile time to a syscall.
  llvm::Function* syscall_for(uint32_t func_index);
  llvm::Function* runtime_function(const char* name, llvm::FunctionType* type,
                                   bool noreturn = false);
  llvm::GlobalVariable* data_segment(uint32_t index) { return data_globals_[index]; }
  // Exceptions (emit_exceptions.cc): whether any function may throw or
  // catch (else every function stays nounwind and no landing pad exists),
  // a tag's parameter types, the runtime's exception entry points, and a
  // call from host-facing code (thunks, the start function) into guest
  // code that turns an escaping exception into a trap.
  bool uses_exceptions() const { return uses_exceptions_; }
  // The convention of guest functions and funcref calls (see above).
  llvm::CallingConv::ID guest_cc() const { return guest_cc_; }
  const wabt::FuncSignature& tag_signature(uint32_t tag_index) const;
  llvm::Function* exception_function(const char* name);
  llvm::Function* personality();
  llvm::CallBase* call_from_host(llvm::IRBuilder<>& b, llvm::FunctionCallee callee,
                                 llvm::ArrayRef<llvm::Value*> args);
  uint64_t data_segment_size(uint32_t index) const {
    return options_.data_sizes ? (*options_.data_sizes)[index] : wasm_->data_segments[index]->data.size();
  }
  uint32_t num_imported_functions() const { return wasm_->num_func_imports; }

  // TBAA access tags: guest linear memory and instance/host data are
  // disjoint (one is an mmap'd reservation, the other malloc'd), so LLVM
  // may keep a global in a register across a guest store and vice versa.
  llvm::MDNode* tbaa_guest_memory() { return tbaa_tag("guest memory", &tbaa_memory_); }
  llvm::MDNode* tbaa_instance() { return tbaa_tag("instance", &tbaa_instance_); }

  // The code pointer and closed-over instance of a wasixc_funcref*.
  struct FuncrefTarget {
    llvm::Value* code;
    llvm::Value* instance;
  };
  FuncrefTarget funcref_target(llvm::IRBuilder<>& b, llvm::Value* ref);

  // Pointer to byte `offset` of the instance.
  llvm::Value* at(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t offset);
  // Evaluates a constant initializer expression (global init, segment
  // offset, element item) inside an init function.
  llvm::Value* eval_const_expr(llvm::IRBuilder<>& b, llvm::Value* inst,
                               const wabt::ExprList& expr, wabt::Type type);
  // Loads/stores a global's value.
  llvm::Value* load_global(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index);
  void store_global(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index, llvm::Value* v);
  // Marks a load of something fixed once the instance is initialised
  // (pointer slots, funcref records, canonical type ids, frozen tables), so
  // LLVM may hoist it out of loops and across calls.
  llvm::LoadInst* invariant(llvm::LoadInst* load);
  // A table no instruction or importer can change after instantiation:
  // defined here, not exported, never the target of table.set/grow/fill/
  // copy/init. Its size and elements are then invariant too.
  bool table_frozen(uint32_t index) const { return frozen_tables_[index]; }
  // The wasixc_memory* / wasixc_table* of an index.
  llvm::Value* memory_ptr(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index);
  llvm::Value* table_ptr(llvm::IRBuilder<>& b, llvm::Value* inst, uint32_t index);
  // Where memory 0 must live (CodegenOptions::fixed_memory_base), 0 if
  // anywhere or the module has no memory.
  uint64_t fixed_memory_address() const;

  llvm::Type* i8() { return llvm::Type::getInt8Ty(ctx_); }
  llvm::Type* i32() { return llvm::Type::getInt32Ty(ctx_); }
  llvm::Type* i64() { return llvm::Type::getInt64Ty(ctx_); }
  llvm::PointerType* ptr() { return llvm::PointerType::get(ctx_, 0); }

 private:
  void declare_functions();
  void declare_checkpoint_helpers();
  void find_frozen_tables();
  void stamp_abi_version();
  void declare_data_segments();
  void emit_init();                 // instantiate.cc
  void emit_segments_and_start();   // instantiate.cc
  void emit_descriptor(const std::string& info_symbol);  // instantiate.cc
  llvm::Function* emit_invoke_thunk(uint32_t func_index);  // instantiate.cc
  llvm::Function* emit_missing_import_stub(uint32_t func_index);
  llvm::Function* emit_syscall_adapter(uint32_t func_index);  // emit_tail_calls.cc
  llvm::Constant* c_string(const std::string& s);
  llvm::MDNode* tbaa_tag(const char* type_name, llvm::MDNode** cache);

  const LoadedModule& loaded_;
  const wabt::Module* wasm_;
  const ImportPlan& imports_;
  CodegenOptions options_;
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> module_;
  InstanceLayout layout_;
  std::shared_ptr<const BodyFacts> facts_;
  std::unique_ptr<PollPlan> polls_;
  std::vector<bool> frozen_tables_;
  std::vector<llvm::Function*> functions_;  // null for imports and until first use
  std::vector<std::string> function_names_;  // unique symbol names, "" for imports
  // Checkpoint helpers: the copy direct callers inline (the standalone
  // function serves tables and exports).
  CheckpointPlan checkpoints_;
  std::vector<llvm::Function*> inline_copies_;
  std::vector<llvm::GlobalVariable*> data_globals_;
  bool uses_exceptions_ = false;
  bool interruptible_ = false;  // see CodegenOptions::interruptible
  llvm::CallingConv::ID guest_cc_ = llvm::CallingConv::C;
  bool find_tail_call_use() const;  // emit_tail_calls.cc
  bool find_exception_use() const;  // emit_exceptions.cc
  llvm::MDNode* tbaa_memory_ = nullptr;
  llvm::MDNode* tbaa_instance_ = nullptr;
};

// Translates one defined function's body into `fn`.
void emit_function_body(ModuleCodegen& mc, uint32_t func_index, llvm::Function* fn);

// An intrinsic's meaning (emit_intrinsics.cc): its results from its wasm
// operands, and the body of the appended function itself.
std::vector<llvm::Value*> emit_intrinsic(llvm::IRBuilder<>& b, lowering::Intrinsic kind,
                                         const std::vector<llvm::Value*>& operands);
void emit_intrinsic_body(ModuleCodegen& mc, lowering::Intrinsic kind, llvm::Function* fn);

}  // namespace wasixc::aot::llvmgen
