// Linear-memory instructions: loads and stores (no bounds checks: the
// guard reservation faults), memory.size/grow, the bulk-memory operations
// (explicitly checked, because the spec wants the trap before any byte is
// written), and the threads proposal's atomics, wait and notify.
#include "aot/diagnostics.h"
#include "aot/llvm/function_codegen.h"
#include "llvm/IR/Constants.h"

namespace wasixc::aot::llvmgen {

using wabt::Opcode;

namespace {

struct Access {
  unsigned bytes;      // size in memory
  bool sign_extend;    // narrow loads
};

Access load_access(Opcode op) {
  switch (op) {
    case Opcode::I32Load8S: case Opcode::I64Load8S: return {1, true};
    case Opcode::I32Load8U: case Opcode::I64Load8U: return {1, false};
    case Opcode::I32Load16S: case Opcode::I64Load16S: return {2, true};
    case Opcode::I32Load16U: case Opcode::I64Load16U: return {2, false};
    case Opcode::I64Load32S: return {4, true};
    case Opcode::I64Load32U: return {4, false};
    default: return {0, false};  // full width
  }
}

}  // namespace

void FunctionCodegen::emit_load(const wabt::LoadExpr& e) {
  llvm::Type* result = mc.value_type(e.opcode.GetResultType());
  Access a = load_access(e.opcode);
  llvm::Value* p = address(pop(), e.offset);
  llvm::Type* mem_type = a.bytes ? b.getIntNTy(a.bytes * 8) : result;
  llvm::LoadInst* load = b.CreateAlignedLoad(mem_type, p, llvm::Align(1));
  load->setMetadata(llvm::LLVMContext::MD_tbaa, mc.tbaa_guest_memory());
  guest_loads_.push_back(load);
  llvm::Value* v = load;
  if (a.bytes) v = a.sign_extend ? b.CreateSExt(v, result) : b.CreateZExt(v, result);
  push(v);
}

void FunctionCodegen::emit_store(const wabt::StoreExpr& e) {
  llvm::Value* value = pop();
  llvm::Value* p = address(pop(), e.offset);
  unsigned bytes = 0;
  switch (e.opcode) {
    case Opcode::I32Store8: case Opcode::I64Store8: bytes = 1; break;
    case Opcode::I32Store16: case Opcode::I64Store16: bytes = 2; break;
    case Opcode::I64Store32: bytes = 4; break;
    default: break;
  }
  if (bytes) value = b.CreateTrunc(value, b.getIntNTy(bytes * 8));
  b.CreateAlignedStore(value, p, llvm::Align(1))->setMetadata(llvm::LLVMContext::MD_tbaa, mc.tbaa_guest_memory());
}

// Current size in bytes of memory 0, as i64.
llvm::Value* FunctionCodegen::memory_size_bytes() {
  llvm::Value* mem = mc.memory_ptr(b, inst, 0);
  return b.CreateLoad(b.getInt64Ty(), b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), mem, offsetof(wasixc_memory, size)));
}

void FunctionCodegen::emit_memory_size() {
  llvm::Value* mem = mc.memory_ptr(b, inst, 0);
  push(b.CreateLoad(b.getInt32Ty(),
                    b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), mem, offsetof(wasixc_memory, pages))));
}

void FunctionCodegen::emit_memory_grow() {
  llvm::Value* delta = pop();
  llvm::Function* grow = mc.runtime_function(
      "wasixc_memory_grow", llvm::FunctionType::get(b.getInt32Ty(), {mc.ptr(), b.getInt32Ty()}, false));
  push(b.CreateCall(grow, {mc.memory_ptr(b, inst, 0), delta}));
}

// Traps unless [start, start + len) lies within `limit` bytes (all i64).
static void check_range(FunctionCodegen& f, llvm::Value* start, llvm::Value* len, llvm::Value* limit,
                        wasixc_trap_code code) {
  llvm::Value* end = f.b.CreateAdd(start, len);
  f.trap_if(f.b.CreateICmpUGT(end, limit), code);
}

void FunctionCodegen::emit_memory_fill() {
  llvm::Value* n = b.CreateZExt(pop(), b.getInt64Ty());
  llvm::Value* value = b.CreateTrunc(pop(), b.getInt8Ty());
  llvm::Value* dst = b.CreateZExt(pop(), b.getInt64Ty());
  check_range(*this, dst, n, memory_size_bytes(), WASIXC_TRAP_MEMORY_OOB);
  b.CreateMemSet(b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), dst), value, n, llvm::MaybeAlign(1));
}

void FunctionCodegen::emit_memory_copy() {
  llvm::Value* n = b.CreateZExt(pop(), b.getInt64Ty());
  llvm::Value* src = b.CreateZExt(pop(), b.getInt64Ty());
  llvm::Value* dst = b.CreateZExt(pop(), b.getInt64Ty());
  llvm::Value* size = memory_size_bytes();
  check_range(*this, src, n, size, WASIXC_TRAP_MEMORY_OOB);
  check_range(*this, dst, n, size, WASIXC_TRAP_MEMORY_OOB);
  b.CreateMemMove(b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), dst), llvm::MaybeAlign(1),
                  b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), src), llvm::MaybeAlign(1), n);
}

// A data segment's current length: 0 once dropped (data.drop, or applied
// as an active segment at instantiation).
static llvm::Value* data_length(FunctionCodegen& f, uint32_t segment) {
  uint64_t len = f.mc.data_segment_size(segment);
  llvm::Value* dropped = f.b.CreateLoad(
      f.b.getInt8Ty(), f.mc.at(f.b, f.inst, f.mc.layout().data_dropped + segment));
  return f.b.CreateSelect(f.b.CreateICmpNE(dropped, f.b.getInt8(0)), f.i64(0), f.i64(len));
}

void FunctionCodegen::emit_memory_init(const wabt::MemoryInitExpr& e) {
  uint32_t segment = mc.wasm().GetDataSegmentIndex(e.var);
  llvm::Value* n = b.CreateZExt(pop(), b.getInt64Ty());
  llvm::Value* src = b.CreateZExt(pop(), b.getInt64Ty());
  llvm::Value* dst = b.CreateZExt(pop(), b.getInt64Ty());
  check_range(*this, src, n, data_length(*this, segment), WASIXC_TRAP_MEMORY_OOB);
  check_range(*this, dst, n, memory_size_bytes(), WASIXC_TRAP_MEMORY_OOB);
  b.CreateMemCpy(b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), dst), llvm::MaybeAlign(1),
                 b.CreateInBoundsGEP(b.getInt8Ty(), mc.data_segment(segment), src), llvm::MaybeAlign(1), n);
}

void FunctionCodegen::emit_data_drop(const wabt::DataDropExpr& e) {
  uint32_t segment = mc.wasm().GetDataSegmentIndex(e.var);
  b.CreateStore(b.getInt8(1), mc.at(b, inst, mc.layout().data_dropped + segment));
}

// ---- threads proposal --------------------------------------------------------

namespace {

// Bytes accessed by an atomic instruction.
unsigned atomic_bytes(Opcode op) {
  uint32_t size = op.GetMemorySize();
  return size ? size : 4;
}

llvm::AtomicRMWInst::BinOp rmw_op(Opcode op) {
  std::string name = op.GetName();
  if (name.find(".add") != std::string::npos) return llvm::AtomicRMWInst::Add;
  if (name.find(".sub") != std::string::npos) return llvm::AtomicRMWInst::Sub;
  if (name.find(".and") != std::string::npos) return llvm::AtomicRMWInst::And;
  if (name.find(".or") != std::string::npos) return llvm::AtomicRMWInst::Or;
  if (name.find(".xor") != std::string::npos) return llvm::AtomicRMWInst::Xor;
  return llvm::AtomicRMWInst::Xchg;
}

}  // namespace

void FunctionCodegen::emit_atomic(const wabt::Expr& e) {
  if (e.type() == wabt::ExprType::AtomicFence) {
    b.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent);
    return;
  }
  // Every other atomic is a LoadStoreExpr: an access that must be aligned.
  Opcode op = Opcode::Nop;
  uint64_t offset = 0;
  switch (e.type()) {
#define ACCESS(KIND)                                                            \
  case wabt::ExprType::KIND: {                                                  \
    const auto* x = static_cast<const wabt::LoadStoreExpr<wabt::ExprType::KIND>*>(&e); \
    op = x->opcode;                                                             \
    offset = x->offset;                                                         \
    break;                                                                      \
  }
    ACCESS(AtomicLoad) ACCESS(AtomicStore) ACCESS(AtomicRmw) ACCESS(AtomicRmwCmpxchg)
    ACCESS(AtomicWait) ACCESS(AtomicNotify)
#undef ACCESS
    default: break;
  }
  unsigned bytes = atomic_bytes(op);
  llvm::Type* mem_type = b.getIntNTy(bytes * 8);
  llvm::Type* result = op.GetResultType() == wabt::Type::Void ? nullptr : mc.value_type(op.GetResultType());
  llvm::Align align(bytes);
  const auto seq_cst = llvm::AtomicOrdering::SequentiallyConsistent;

  // Operands above the address, popped first.
  std::vector<llvm::Value*> operands;
  switch (e.type()) {
    case wabt::ExprType::AtomicLoad: break;
    case wabt::ExprType::AtomicStore:
    case wabt::ExprType::AtomicRmw:
    case wabt::ExprType::AtomicNotify: operands = pop_n(1); break;
    case wabt::ExprType::AtomicRmwCmpxchg:
    case wabt::ExprType::AtomicWait: operands = pop_n(2); break;
    default: break;
  }
  llvm::Value* index = pop();
  llvm::Value* ea = b.CreateAdd(b.CreateZExt(index, b.getInt64Ty()), i64(offset));
  if (bytes > 1)
    trap_if(b.CreateICmpNE(b.CreateAnd(ea, i64(bytes - 1)), i64(0)), WASIXC_TRAP_UNALIGNED_ATOMIC);
  llvm::Value* p = b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), ea);
  auto widen = [&](llvm::Value* v) { return v->getType() == result ? v : b.CreateZExt(v, result); };
  auto narrow = [&](llvm::Value* v) { return v->getType() == mem_type ? v : b.CreateTrunc(v, mem_type); };

  switch (e.type()) {
    case wabt::ExprType::AtomicLoad: {
      llvm::LoadInst* load = b.CreateAlignedLoad(mem_type, p, align);
      load->setAtomic(seq_cst);
      push(widen(load));
      return;
    }
    case wabt::ExprType::AtomicStore: {
      llvm::StoreInst* store = b.CreateAlignedStore(narrow(operands[0]), p, align);
      store->setAtomic(seq_cst);
      return;
    }
    case wabt::ExprType::AtomicRmw:
      push(widen(b.CreateAtomicRMW(rmw_op(op), p, narrow(operands[0]), align, seq_cst)));
      return;
    case wabt::ExprType::AtomicRmwCmpxchg: {
      llvm::Value* pair = b.CreateAtomicCmpXchg(p, narrow(operands[0]), narrow(operands[1]), align,
                                                seq_cst, seq_cst);
      push(widen(b.CreateExtractValue(pair, {0})));
      return;
    }
    case wabt::ExprType::AtomicWait:
    case wabt::ExprType::AtomicNotify: {
      // Touch the word first so an out-of-bounds address traps here, in
      // guest code, rather than inside the runtime.
      guest_loads_.push_back(b.CreateAlignedLoad(mem_type, p, align));
      llvm::Value* mem = mc.memory_ptr(b, inst, 0);
      llvm::Value* r;
      if (e.type() == wabt::ExprType::AtomicNotify) {
        llvm::Function* f = mc.runtime_function(
            "wasixc_atomic_notify",
            llvm::FunctionType::get(b.getInt32Ty(), {mc.ptr(), b.getInt64Ty(), b.getInt32Ty()}, false));
        r = b.CreateCall(f, {mem, ea, operands[0]});
      } else {
        bool wide = bytes == 8;
        llvm::Function* f = mc.runtime_function(
            wide ? "wasixc_atomic_wait64" : "wasixc_atomic_wait32",
            llvm::FunctionType::get(b.getInt32Ty(),
                                    {mc.ptr(), b.getInt64Ty(), mem_type, b.getInt64Ty()}, false));
        r = b.CreateCall(f, {mem, ea, operands[0], operands[1]});
        // 3: wait on an unshared memory, which the spec makes a trap.
        trap_if(b.CreateICmpEQ(r, i32(3)), WASIXC_TRAP_WAIT_ON_UNSHARED);
      }
      push(r);
      return;
    }
    default:
      fail("%s: atomic instruction %s is not supported", mc.options().module_name.c_str(), op.GetName());
  }
}

}  // namespace wasixc::aot::llvmgen
