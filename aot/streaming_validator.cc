// One pass over a module's bytes that validates it without building wabt's
// IR: libwabt's binary reader calls a delegate for every section entry and
// instruction, and the delegate hands each one to wabt's SharedValidator,
// the same checker ValidateModule runs over the IR (so the messages are the
// same). The binary format orders sections so that everything a body refers
// to (types, functions, tables, memories, globals, tags, element segments,
// the data count) has been seen before the code section; one pass suffices.
#include "streaming_validator.h"

#include <optional>

#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"
#include "wabt/binary.h"
#include "wabt/shared-validator.h"

namespace wasixc::aot {
namespace {

using wabt::Address;
using wabt::Index;
using wabt::Opcode;
using wabt::Result;
using wabt::Type;
using wabt::Var;

wabt::SegmentKind segment_kind(uint8_t flags) {
  if ((flags & wabt::SegDeclared) == wabt::SegDeclared) return wabt::SegmentKind::Declared;
  if ((flags & wabt::SegPassive) == wabt::SegPassive) return wabt::SegmentKind::Passive;
  return wabt::SegmentKind::Active;
}

class ValidatingReader : public wabt::BinaryReaderNop {
 public:
  ValidatingReader(wabt::Errors* errors, const wabt::Features& features, bool stop_at_first_error)
      : errors_(errors), validator_(errors, wabt::ValidateOptions(features)), stop_at_first_error_(stop_at_first_error) {}

  bool invalid() const { return invalid_; }

  // The reader's own errors (malformed input). Once the validator has
  // refused something, the reader adds "X callback failed": not kept.
  bool OnError(const wabt::Error& error) override {
    if (!invalid_) errors_->push_back(error);
    return true;
  }

  // The data count section must match the data section (binary format
  // 5.5.16: "data count and data section have inconsistent lengths"),
  // which may be missing altogether; code generation relies on it.
  Result EndModule() override {
    if (data_count_ && *data_count_ != data_segments_) {
      if (!invalid_)
        errors_->emplace_back(wabt::ErrorLevel::Error, loc(), "data count and data section have inconsistent lengths");
      invalid_ = true;
      return Result::Error;
    }
    return check(validator_.EndModule());
  }
  Result OnDataSegmentCount(Index count) override {
    data_segments_ = count;
    return Result::Ok;
  }

  // --- declarations ---
  Result OnFuncType(Index index, Index param_count, Type* params, Index result_count, Type* results) override {
    return check(validator_.OnFuncType(loc(), param_count, params, result_count, results, index));
  }
  Result OnStructType(Index, Index field_count, wabt::TypeMut* fields) override {
    return check(validator_.OnStructType(loc(), field_count, fields));
  }
  Result OnArrayType(Index, wabt::TypeMut field) override { return check(validator_.OnArrayType(loc(), field)); }
  Result OnImportFunc(Index, std::string_view, std::string_view, Index, Index sig_index) override {
    return check(validator_.OnFunction(loc(), var(sig_index)));
  }
  Result OnImportTable(Index, std::string_view, std::string_view, Index, Type elem_type,
                       const wabt::Limits* limits) override {
    return check(validator_.OnTable(loc(), elem_type, *limits));
  }
  Result OnImportMemory(Index, std::string_view, std::string_view, Index, const wabt::Limits* limits) override {
    memory_is_64_.push_back(limits->is_64);
    return check(validator_.OnMemory(loc(), *limits));
  }
  Result OnImportGlobal(Index, std::string_view, std::string_view, Index, Type type, bool mutable_) override {
    return check(validator_.OnGlobalImport(loc(), type, mutable_));
  }
  Result OnImportTag(Index, std::string_view, std::string_view, Index, Index sig_index) override {
    return check(validator_.OnTag(loc(), var(sig_index)));
  }
  Result OnFunction(Index, Index sig_index) override { return check(validator_.OnFunction(loc(), var(sig_index))); }
  Result OnTable(Index, Type elem_type, const wabt::Limits* limits) override {
    return check(validator_.OnTable(loc(), elem_type, *limits));
  }
  Result OnMemory(Index, const wabt::Limits* limits) override {
    memory_is_64_.push_back(limits->is_64);
    return check(validator_.OnMemory(loc(), *limits));
  }
  Result BeginGlobal(Index, Type type, bool mutable_) override {
    global_type_ = type;
    return check(validator_.OnGlobal(loc(), type, mutable_));
  }
  Result BeginGlobalInitExpr(Index) override { return begin_init_expr(global_type_); }
  Result EndGlobalInitExpr(Index) override { return check(validator_.EndInitExpr()); }
  Result OnTagType(Index, Index sig_index) override { return check(validator_.OnTag(loc(), var(sig_index))); }
  Result OnExport(Index, wabt::ExternalKind kind, Index item_index, std::string_view name) override {
    return check(validator_.OnExport(loc(), kind, var(item_index), name));
  }
  Result OnStartFunction(Index func_index) override { return check(validator_.OnStart(loc(), var(func_index))); }

  // --- segments ---
  Result BeginElemSegment(Index, Index table_index, uint8_t flags) override {
    elem_segment_at_ = loc();
    return check(validator_.OnElemSegment(elem_segment_at_, var(table_index), segment_kind(flags)));
  }
  Result BeginElemSegmentInitExpr(Index) override { return begin_init_expr(Type::I32); }
  Result EndElemSegmentInitExpr(Index) override { return check(validator_.EndInitExpr()); }
  Result OnElemSegmentElemType(Index, Type elem_type) override {
    return check(validator_.OnElemSegmentElemType(elem_segment_at_, elem_type));
  }
  Result OnElemSegmentElemExpr_RefNull(Index, Type type) override {
    return check(validator_.OnElemSegmentElemExpr_RefNull(loc(), type));
  }
  Result OnElemSegmentElemExpr_RefFunc(Index, Index func_index) override {
    return check(validator_.OnElemSegmentElemExpr_RefFunc(loc(), var(func_index)));
  }
  Result OnDataCount(Index count) override {
    data_count_ = count;
    validator_.OnDataCount(count);
    return Result::Ok;
  }
  // An active segment is checked once the reader has seen there is a
  // memory at all ("no memory to copy data to" is the reader's error, and
  // comes first, as when the module is read into IR before validation).
  Result BeginDataSegment(Index, Index memory_index, uint8_t flags) override {
    data_memory_ = memory_index;
    data_segment_at_ = loc();
    data_kind_ = segment_kind(flags);
    if (data_kind_ != wabt::SegmentKind::Active)
      return check(validator_.OnDataSegment(data_segment_at_, var(memory_index), data_kind_));
    return Result::Ok;
  }
  Result BeginDataSegmentInitExpr(Index) override {
    check(validator_.OnDataSegment(data_segment_at_, var(data_memory_), data_kind_));
    bool is_64 = data_memory_ < memory_is_64_.size() && memory_is_64_[data_memory_];
    return begin_init_expr(is_64 ? Type::I64 : Type::I32);
  }
  Result EndDataSegmentInitExpr(Index) override { return check(validator_.EndInitExpr()); }

  // --- bodies ---
  Result BeginFunctionBody(Index index, wabt::Offset) override {
    open_blocks_ = 0;
    block_starts_.clear();
    last_top_level_ = state->offset;
    Result r = check(validator_.BeginFunctionBody(loc(), index));
    in_body_ = true;
    return r;
  }
  Result OnLocalDecl(Index, Index count, Type type) override {
    return check(validator_.OnLocalDecl(loc(), count, type));
  }
  // Errors found at the end of a body are reported where the IR path
  // reports them: at its last top-level instruction, or its start.
  Result EndFunctionBody(Index) override {
    in_body_ = false;
    return check(validator_.EndFunctionBody(wabt::Location(last_top_level_)));
  }

  // --- instructions (bodies and constant expressions) ---
  Result OnBlockExpr(Type sig) override { return open(validator_.OnBlock(loc(), sig)); }
  Result OnLoopExpr(Type sig) override { return open(validator_.OnLoop(loc(), sig)); }
  Result OnIfExpr(Type sig) override { return open(validator_.OnIf(loc(), sig)); }
  Result OnTryExpr(Type sig) override {
    wabt::Location at = loc();
    return open(validator_.OnTry(at, sig), at.offset);
  }
  Result OnElseExpr() override { return check(validator_.OnElse(loc())); }
  Result OnCatchExpr(Index tag_index) override { return check(validator_.OnCatch(loc(), var(tag_index), false)); }
  Result OnCatchAllExpr() override { return check(validator_.OnCatch(loc(), Var(), true)); }
  // Reported at its try, as the IR path does.
  Result OnDelegateExpr(Index depth) override {
    wabt::Location at(block_starts_.empty() ? state->offset : block_starts_.back());
    close();  // delegate ends its try
    return check(validator_.OnDelegate(at, Var(depth, at)));
  }
  // The body's (or constant expression's) own final `end` closes no block:
  // BeginFunctionBody / EndFunctionBody stand for it.
  Result OnEndExpr() override {
    if (open_blocks_ == 0) return Result::Ok;
    wabt::Location at = loc();
    close();
    return check(validator_.OnEnd(at));
  }
  Result OnBrExpr(Index depth) override { return check(validator_.OnBr(loc(), var(depth))); }
  Result OnBrIfExpr(Index depth) override { return check(validator_.OnBrIf(loc(), var(depth))); }
  Result OnBrTableExpr(Index num_targets, Index* targets, Index default_target) override {
    Result r = validator_.BeginBrTable(loc());
    for (Index i = 0; i < num_targets; ++i) r |= validator_.OnBrTableTarget(loc(), var(targets[i]));
    r |= validator_.OnBrTableTarget(loc(), var(default_target));
    r |= validator_.EndBrTable(loc());
    return check(r);
  }
  Result OnReturnExpr() override { return check(validator_.OnReturn(loc())); }
  Result OnUnreachableExpr() override { return check(validator_.OnUnreachable(loc())); }
  Result OnNopExpr() override { return check(validator_.OnNop(loc())); }
  Result OnDropExpr() override { return check(validator_.OnDrop(loc())); }
  Result OnSelectExpr(Index result_count, Type* result_types) override {
    return check(validator_.OnSelect(loc(), result_count, result_types));
  }
  Result OnCallExpr(Index func_index) override { return check(validator_.OnCall(loc(), var(func_index))); }
  Result OnCallIndirectExpr(Index sig_index, Index table_index) override {
    return check(validator_.OnCallIndirect(loc(), var(sig_index), var(table_index)));
  }
  Result OnCallRefExpr() override {
    Index type_index;
    return check(validator_.OnCallRef(loc(), &type_index));
  }
  Result OnReturnCallExpr(Index func_index) override {
    return check(validator_.OnReturnCall(loc(), var(func_index)));
  }
  Result OnReturnCallIndirectExpr(Index sig_index, Index table_index) override {
    return check(validator_.OnReturnCallIndirect(loc(), var(sig_index), var(table_index)));
  }
  Result OnThrowExpr(Index tag_index) override { return check(validator_.OnThrow(loc(), var(tag_index))); }
  Result OnRethrowExpr(Index depth) override { return check(validator_.OnRethrow(loc(), var(depth))); }

  Result OnI32ConstExpr(uint32_t) override { return check(validator_.OnConst(loc(), Type::I32)); }
  Result OnI64ConstExpr(uint64_t) override { return check(validator_.OnConst(loc(), Type::I64)); }
  Result OnF32ConstExpr(uint32_t) override { return check(validator_.OnConst(loc(), Type::F32)); }
  Result OnF64ConstExpr(uint64_t) override { return check(validator_.OnConst(loc(), Type::F64)); }
  Result OnV128ConstExpr(v128) override { return check(validator_.OnConst(loc(), Type::V128)); }
  Result OnUnaryExpr(Opcode op) override { return check(validator_.OnUnary(loc(), op)); }
  Result OnBinaryExpr(Opcode op) override { return check(validator_.OnBinary(loc(), op)); }
  Result OnTernaryExpr(Opcode op) override { return check(validator_.OnTernary(loc(), op)); }
  Result OnCompareExpr(Opcode op) override { return check(validator_.OnCompare(loc(), op)); }
  Result OnConvertExpr(Opcode op) override { return check(validator_.OnConvert(loc(), op)); }

  Result OnLocalGetExpr(Index i) override { return check(validator_.OnLocalGet(loc(), var(i))); }
  Result OnLocalSetExpr(Index i) override { return check(validator_.OnLocalSet(loc(), var(i))); }
  Result OnLocalTeeExpr(Index i) override { return check(validator_.OnLocalTee(loc(), var(i))); }
  Result OnGlobalGetExpr(Index i) override { return check(validator_.OnGlobalGet(loc(), var(i))); }
  Result OnGlobalSetExpr(Index i) override { return check(validator_.OnGlobalSet(loc(), var(i))); }

  Result OnLoadExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnLoad(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnStoreExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnStore(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnLoadSplatExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnLoadSplat(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnLoadZeroExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnLoadZero(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnSimdLoadLaneExpr(Opcode op, Index mem, Address align_log2, Address, uint64_t lane) override {
    return check(validator_.OnSimdLoadLane(loc(), op, var(mem), alignment(align_log2), lane));
  }
  Result OnSimdStoreLaneExpr(Opcode op, Index mem, Address align_log2, Address, uint64_t lane) override {
    return check(validator_.OnSimdStoreLane(loc(), op, var(mem), alignment(align_log2), lane));
  }
  Result OnSimdLaneOpExpr(Opcode op, uint64_t lane) override {
    return check(validator_.OnSimdLaneOp(loc(), op, lane));
  }
  Result OnSimdShuffleOpExpr(Opcode op, v128 lanes) override {
    return check(validator_.OnSimdShuffleOp(loc(), op, lanes));
  }
  Result OnMemorySizeExpr(Index mem) override { return check(validator_.OnMemorySize(loc(), var(mem))); }
  Result OnMemoryGrowExpr(Index mem) override { return check(validator_.OnMemoryGrow(loc(), var(mem))); }
  Result OnMemoryCopyExpr(Index src, Index dst) override {
    return check(validator_.OnMemoryCopy(loc(), var(src), var(dst)));
  }
  Result OnMemoryFillExpr(Index mem) override { return check(validator_.OnMemoryFill(loc(), var(mem))); }
  Result OnMemoryInitExpr(Index segment, Index mem) override {
    return check(validator_.OnMemoryInit(loc(), var(segment), var(mem)));
  }
  Result OnDataDropExpr(Index segment) override { return check(validator_.OnDataDrop(loc(), var(segment))); }

  Result OnAtomicLoadExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnAtomicLoad(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnAtomicStoreExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnAtomicStore(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnAtomicRmwExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnAtomicRmw(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnAtomicRmwCmpxchgExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnAtomicRmwCmpxchg(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnAtomicWaitExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnAtomicWait(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnAtomicNotifyExpr(Opcode op, Index mem, Address align_log2, Address) override {
    return check(validator_.OnAtomicNotify(loc(), op, var(mem), alignment(align_log2)));
  }
  Result OnAtomicFenceExpr(uint32_t consistency_model) override {
    return check(validator_.OnAtomicFence(loc(), consistency_model));
  }

  Result OnTableGetExpr(Index t) override { return check(validator_.OnTableGet(loc(), var(t))); }
  Result OnTableSetExpr(Index t) override { return check(validator_.OnTableSet(loc(), var(t))); }
  Result OnTableGrowExpr(Index t) override { return check(validator_.OnTableGrow(loc(), var(t))); }
  Result OnTableSizeExpr(Index t) override { return check(validator_.OnTableSize(loc(), var(t))); }
  Result OnTableFillExpr(Index t) override { return check(validator_.OnTableFill(loc(), var(t))); }
  Result OnTableCopyExpr(Index dst, Index src) override {
    return check(validator_.OnTableCopy(loc(), var(dst), var(src)));
  }
  Result OnTableInitExpr(Index segment, Index table) override {
    return check(validator_.OnTableInit(loc(), var(segment), var(table)));
  }
  Result OnElemDropExpr(Index segment) override { return check(validator_.OnElemDrop(loc(), var(segment))); }
  Result OnRefFuncExpr(Index func_index) override { return check(validator_.OnRefFunc(loc(), var(func_index))); }
  Result OnRefNullExpr(Type type) override { return check(validator_.OnRefNull(loc(), type)); }
  Result OnRefIsNullExpr() override { return check(validator_.OnRefIsNull(loc())); }

 private:
  // Every instruction's check asks for its location: a top-level one is
  // noted for EndFunctionBody.
  wabt::Location loc() {
    if (in_body_ && open_blocks_ == 0) last_top_level_ = state->offset;
    return wabt::Location(state->offset);
  }
  // The reader passes log2 of a memory access's alignment, the validator
  // takes bytes; an exponent past 31 can only be too large.
  static Address alignment(Address log2) { return log2 < 32 ? Address{1} << log2 : ~uint32_t{0}; }
  Var var(Index index) { return Var(index, loc()); }
  // A refusal does not stop the pass: like ValidateModule, which checks
  // everything and reports in order, so the first message is the same
  // (some checks fail without a message of their own).
  Result check(Result r) {
    if (!wabt::Failed(r)) return Result::Ok;
    invalid_ = true;
    return stop_at_first_error_ ? Result::Error : Result::Ok;
  }
  Result open(Result r, wabt::Offset start = 0) {
    ++open_blocks_;
    block_starts_.push_back(start);
    return check(r);
  }
  void close() {
    --open_blocks_;
    if (!block_starts_.empty()) block_starts_.pop_back();
  }
  Result begin_init_expr(Type type) {
    open_blocks_ = 0;
    block_starts_.clear();
    return check(validator_.BeginInitExpr(loc(), type));
  }

  wabt::Errors* errors_;
  wabt::SharedValidator validator_;
  bool stop_at_first_error_;
  bool invalid_ = false;
  Index open_blocks_ = 0;
  Type global_type_ = Type::I32;
  Index data_memory_ = 0;
  wabt::Location data_segment_at_;
  wabt::SegmentKind data_kind_ = wabt::SegmentKind::Active;
  std::vector<wabt::Offset> block_starts_;  // per open block; a try's start
  wabt::Location elem_segment_at_;
  bool in_body_ = false;
  wabt::Offset last_top_level_ = 0;
  std::vector<bool> memory_is_64_;
  std::optional<Index> data_count_;  // the data count section's, if any
  Index data_segments_ = 0;
};

}  // namespace

StreamingValidation validate_streaming(const std::vector<uint8_t>& bytes, const wabt::Features& features,
                                       wabt::Errors* errors, bool stop_at_first_error) {
  ValidatingReader reader(errors, features, stop_at_first_error);
  wabt::ReadBinaryOptions options(features, /*log_stream=*/nullptr, /*read_debug_names=*/true,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/true);
  Result r = wabt::ReadBinary(bytes.data(), bytes.size(), &reader, options);
  if (reader.invalid()) return StreamingValidation::kInvalid;
  return wabt::Succeeded(r) ? StreamingValidation::kValid : StreamingValidation::kMalformed;
}

}  // namespace wasixc::aot
