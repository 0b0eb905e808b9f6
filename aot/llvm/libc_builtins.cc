// libc's memcpy, memmove and memset, recognised by name (name section) and
// C signature, are compiled as memory.copy / memory.fill, and strlen as a
// host memchr bounded by the memory's size: one bounds check and the
// host's vectorised routine instead of a byte/word loop compiled from wasm. This is what a libc built with bulk memory does itself (newer
// wasi-libc and wasix-libc); older builds (Debian's 2022 wasi-libc) carry
// the portable C loops. Differences: an out-of-bounds range traps before
// anything is written (memory.copy semantics) rather than part-way, and
// overlapping memcpy behaves as memmove (overlap is undefined in C).
#include <cstring>

#include "aot/llvm/function_codegen.h"

namespace wasixc::aot::llvmgen {

namespace {

bool signature_is(const wabt::FuncSignature& sig, size_t i32_params) {
  return sig.param_types == std::vector<wabt::Type>(i32_params, wabt::Type::I32) &&
         sig.result_types == std::vector<wabt::Type>{wabt::Type::I32};
}

}  // namespace

// strlen(s): the NUL must lie inside the memory; no NUL before its end is
// an out-of-bounds read, as the wasm loop would have trapped.
void FunctionCodegen::emit_strlen() {
  llvm::Value* s = b.CreateZExt(b.CreateLoad(b.getInt32Ty(), locals_[0]), b.getInt64Ty());
  llvm::Value* size = memory_size_bytes();
  trap_if(b.CreateICmpUGE(s, size), WASIXC_TRAP_MEMORY_OOB);
  llvm::Value* start = b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), s);
  llvm::Function* memchr = mc.runtime_function(
      "memchr", llvm::FunctionType::get(mc.ptr(), {mc.ptr(), b.getInt32Ty(), b.getInt64Ty()}, false));
  llvm::Value* nul = b.CreateCall(memchr, {start, i32(0), b.CreateSub(size, s)});
  trap_if(b.CreateICmpEQ(nul, llvm::ConstantPointerNull::get(mc.ptr())), WASIXC_TRAP_MEMORY_OOB);
  push(b.CreateTrunc(b.CreatePtrDiff(b.getInt8Ty(), nul, start), b.getInt32Ty()));
}

bool FunctionCodegen::emit_libc_builtin() {
  if (mc.wasm().memories.empty()) return false;
  const char* name = func.name.c_str();
  const wabt::FuncSignature& sig = func.decl.sig;
  if (!strcmp(name, "$strlen") && signature_is(sig, 1)) {
    emit_strlen();
    return true;
  }
  bool copy = !strcmp(name, "$memcpy") || !strcmp(name, "$memmove");
  bool fill = !strcmp(name, "$memset");
  if ((!copy && !fill) || !signature_is(sig, 3)) return false;
  // (dst, src|byte, n) are parameters 0..2; the result is dst.
  for (uint32_t i = 0; i < 3; ++i) push(b.CreateLoad(b.getInt32Ty(), locals_[i]));
  if (copy)
    emit_memory_copy();
  else
    emit_memory_fill();
  push(b.CreateLoad(b.getInt32Ty(), locals_[0]));
  return true;
}

}  // namespace wasixc::aot::llvmgen
