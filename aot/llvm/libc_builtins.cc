// libc's memcpy, memmove and memset, recognised by name (name section) and
// C signature, are compiled as memory.copy / memory.fill, strlen as a host
// memchr bounded by the memory's size, and memcmp as the host's memcmp
// over the bytes in bounds: one bounds check and the host's vectorised
// routine instead of a byte/word loop compiled from wasm. This is what a
// libc built with bulk memory does itself (newer wasi-libc and
// wasix-libc); older builds (Debian's 2022 wasi-libc) carry the portable C
// loops. Differences: an out-of-bounds range traps before anything is
// written (memory.copy semantics) rather than part-way, and overlapping
// memcpy behaves as memmove (overlap is undefined in C).
//
// Direct calls to these functions are expanded at the call site as well,
// so the call and the callee's prologue go, LLVM sees constant sizes, and
// a module split into partitions (llvm_backend.cc) loses nothing where a
// caller and libc land in different ones. strcspn is expanded at call
// sites only, as a host strcspn when the memory is not shared and its last
// byte is NUL (every scan then stops inside the memory, exactly where the
// wasm loop would), else as the call it was.
#include <cstring>

#include "aot/llvm/function_codegen.h"

namespace wasixc::aot::llvmgen {

namespace {

bool signature_is(const wabt::FuncSignature& sig, size_t i32_params) {
  return sig.param_types == std::vector<wabt::Type>(i32_params, wabt::Type::I32) &&
         sig.result_types == std::vector<wabt::Type>{wabt::Type::I32};
}

}  // namespace

LibcBuiltin FunctionCodegen::libc_builtin_of(const wabt::Func& f) const {
  if (mc.wasm().memories.empty()) return LibcBuiltin::kNone;
  const char* name = f.name.c_str();
  const wabt::FuncSignature& sig = f.decl.sig;
  if (!strcmp(name, "$strlen") && signature_is(sig, 1)) return LibcBuiltin::kStrlen;
  if (!strcmp(name, "$strcspn") && signature_is(sig, 2)) return LibcBuiltin::kStrcspn;
  if (!signature_is(sig, 3)) return LibcBuiltin::kNone;
  if (!strcmp(name, "$memcmp")) return LibcBuiltin::kMemcmp;
  if (!strcmp(name, "$memcpy") || !strcmp(name, "$memmove")) return LibcBuiltin::kCopy;
  if (!strcmp(name, "$memset")) return LibcBuiltin::kFill;
  return LibcBuiltin::kNone;
}

// strlen(s): the NUL must lie inside the memory; no NUL before its end is
// an out-of-bounds read, as the wasm loop would have trapped.
void FunctionCodegen::emit_strlen(llvm::Value* s32) {
  llvm::Value* s = b.CreateZExt(s32, b.getInt64Ty());
  llvm::Value* size = memory_size_bytes();
  trap_if(b.CreateICmpUGE(s, size), WASIXC_TRAP_MEMORY_OOB);
  llvm::Value* start = b.CreateInBoundsGEP(b.getInt8Ty(), memory_base(), s);
  llvm::Function* memchr = mc.runtime_function(
      "memchr", llvm::FunctionType::get(mc.ptr(), {mc.ptr(), b.getInt32Ty(), b.getInt64Ty()}, false));
  llvm::Value* nul = b.CreateCall(memchr, {start, i32(0), b.CreateSub(size, s)});
  trap_if(b.CreateICmpEQ(nul, llvm::ConstantPointerNull::get(mc.ptr())), WASIXC_TRAP_MEMORY_OOB);
  push(b.CreateTrunc(b.CreatePtrDiff(b.getInt8Ty(), nul, start), b.getInt32Ty()));
}

// memcmp(a, b, n): the host's memcmp over the first min(n, bytes in bounds
// from a, from b) bytes; if those are equal and n reaches past the memory,
// the out-of-bounds trap the wasm byte loop would have hit there (a
// difference found earlier returns, as the loop did). The result is the
// host's: the difference of the first differing bytes as unsigned chars
// with glibc, as wasi-libc's loop returns (C promises only the sign).
void FunctionCodegen::emit_memcmp(llvm::Value* lhs32, llvm::Value* rhs32, llvm::Value* n32) {
  llvm::Value* lhs = b.CreateZExt(lhs32, b.getInt64Ty());
  llvm::Value* rhs = b.CreateZExt(rhs32, b.getInt64Ty());
  llvm::Value* n = b.CreateZExt(n32, b.getInt64Ty());
  llvm::Value* size = memory_size_bytes();
  auto room = [&](llvm::Value* p) {
    return b.CreateSelect(b.CreateICmpULT(p, size), b.CreateSub(size, p), b.getInt64(0));
  };
  llvm::Value* in_bounds = b.CreateBinaryIntrinsic(
      llvm::Intrinsic::umin, n, b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, room(lhs), room(rhs)));
  llvm::Function* memcmp = mc.runtime_function(
      "memcmp", llvm::FunctionType::get(b.getInt32Ty(), {mc.ptr(), mc.ptr(), b.getInt64Ty()}, false));
  // Plain GEPs: a start past the memory is never dereferenced (0 bytes).
  llvm::Value* result = b.CreateCall(memcmp, {b.CreateGEP(b.getInt8Ty(), memory_base(), lhs),
                                              b.CreateGEP(b.getInt8Ty(), memory_base(), rhs), in_bounds});
  trap_if(b.CreateAnd(b.CreateICmpEQ(result, i32(0)), b.CreateICmpULT(in_bounds, n)), WASIXC_TRAP_MEMORY_OOB);
  push(result);
}

// strcspn(s, reject) at a call site: the host's when both start inside a
// memory nothing else can change during the call (not shared) whose last
// byte is NUL, else the guest's own function (`fallback`), which traps or
// returns exactly as before.
void FunctionCodegen::emit_strcspn(llvm::Value* s32, llvm::Value* reject32, llvm::Function* fallback,
                                   const wabt::FuncSignature& sig) {
  llvm::Value* s = b.CreateZExt(s32, b.getInt64Ty());
  llvm::Value* reject = b.CreateZExt(reject32, b.getInt64Ty());
  llvm::Value* size = memory_size_bytes();
  llvm::Value* base = memory_base();
  llvm::Value* in_memory = b.CreateAnd(b.CreateICmpULT(s, size), b.CreateICmpULT(reject, size));
  llvm::BasicBlock* check_end = llvm::BasicBlock::Create(mc.ctx(), "strcspn.end_check", fn);
  llvm::BasicBlock* host = llvm::BasicBlock::Create(mc.ctx(), "strcspn.host", fn);
  llvm::BasicBlock* guest = llvm::BasicBlock::Create(mc.ctx(), "strcspn.guest", fn);
  llvm::BasicBlock* done = llvm::BasicBlock::Create(mc.ctx(), "strcspn.done", fn);
  b.CreateCondBr(in_memory, check_end, guest);
  b.SetInsertPoint(check_end);
  // size >= 1 here (s < size): the last byte is in bounds.
  llvm::Value* last = b.CreateLoad(b.getInt8Ty(), b.CreateInBoundsGEP(b.getInt8Ty(), base, b.CreateSub(size, i64(1))));
  b.CreateCondBr(b.CreateICmpEQ(last, b.getInt8(0)), host, guest);
  b.SetInsertPoint(host);
  llvm::Function* strcspn = mc.runtime_function(
      "strcspn", llvm::FunctionType::get(b.getInt64Ty(), {mc.ptr(), mc.ptr()}, false));
  llvm::Value* host_result = b.CreateTrunc(
      b.CreateCall(strcspn, {b.CreateInBoundsGEP(b.getInt8Ty(), base, s), b.CreateInBoundsGEP(b.getInt8Ty(), base, reject)}),
      b.getInt32Ty());
  b.CreateBr(done);
  b.SetInsertPoint(guest);
  push(s32);
  push(reject32);
  emit_call(fallback, inst, sig);
  llvm::Value* guest_result = pop();
  llvm::BasicBlock* guest_end = b.GetInsertBlock();
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode* result = b.CreatePHI(b.getInt32Ty(), 2);
  result->addIncoming(host_result, host);
  result->addIncoming(guest_result, guest_end);
  push(result);
}

// Emits builtin `kind` over `args` (its C arguments, i32) and pushes its
// result.
void FunctionCodegen::emit_libc_builtin(LibcBuiltin kind, const std::vector<llvm::Value*>& args) {
  switch (kind) {
    case LibcBuiltin::kStrlen: emit_strlen(args[0]); return;
    case LibcBuiltin::kMemcmp: emit_memcmp(args[0], args[1], args[2]); return;
    case LibcBuiltin::kCopy:
    case LibcBuiltin::kFill:
      // (dst, src|byte, n); the result is dst.
      for (llvm::Value* a : args) push(a);
      if (kind == LibcBuiltin::kCopy)
        emit_memory_copy();
      else
        emit_memory_fill();
      push(args[0]);
      return;
    case LibcBuiltin::kStrcspn:  // call sites only (emit_libc_builtin_call)
    case LibcBuiltin::kNone: return;
  }
}

bool FunctionCodegen::emit_libc_builtin() {
  LibcBuiltin kind = libc_builtin_of(func);
  if (kind == LibcBuiltin::kNone || kind == LibcBuiltin::kStrcspn) return false;
  std::vector<llvm::Value*> args;
  for (size_t i = 0; i < func.decl.sig.param_types.size(); ++i) args.push_back(b.CreateLoad(b.getInt32Ty(), locals_[i]));
  emit_libc_builtin(kind, args);
  return true;
}

bool FunctionCodegen::emit_libc_builtin_call(const wabt::Func& callee, llvm::Function* direct) {
  LibcBuiltin kind = libc_builtin_of(callee);
  if (kind == LibcBuiltin::kNone) return false;
  // strcspn's fallback is a call: in tail position (return_call) it stays one.
  if (kind == LibcBuiltin::kStrcspn && (!direct || tail_position_ || mc.wasm().memories[0]->page_limits.is_shared))
    return false;
  std::vector<llvm::Value*> args = pop_n(callee.decl.sig.param_types.size());
  if (kind == LibcBuiltin::kStrcspn)
    emit_strcspn(args[0], args[1], direct, callee.decl.sig);
  else
    emit_libc_builtin(kind, args);
  return true;
}

}  // namespace wasixc::aot::llvmgen
