#include "module_limits.h"

#include <algorithm>

#include "diagnostics.h"
#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"

namespace wasixc::aot {
namespace {

using wabt::Index;
using wabt::Offset;
using wabt::Result;

// Watches the reader's callbacks; the first limit broken stops the read.
class LimitChecker : public wabt::BinaryReaderNop {
 public:
  std::string violation;  // empty: within every limit (as far as it read)
  Offset violation_offset = 0;

  // The reader's own errors (malformed input) are the full read's to report.
  bool OnError(const wabt::Error&) override { return true; }

  Result OnTypeCount(Index count) override {
    if (count > ModuleLimits::kTypes) return over("types", count, ModuleLimits::kTypes);
    param_counts_.reserve(count);
    return Result::Ok;
  }
  Result OnFuncType(Index index, Index params, wabt::Type*, Index results, wabt::Type*) override {
    if (params > ModuleLimits::kParams)
      return over("parameters in a function type", params, ModuleLimits::kParams);
    if (results > ModuleLimits::kResults)
      return over("results in a function type", results, ModuleLimits::kResults);
    if (index >= param_counts_.size()) param_counts_.resize(index + 1, 0);
    param_counts_[index] = params;
    return Result::Ok;
  }

  Result OnImportCount(Index count) override {
    return count > ModuleLimits::kImports ? over("imports", count, ModuleLimits::kImports) : Result(Result::Ok);
  }
  Result OnImportFunc(Index, std::string_view, std::string_view, Index, Index sig) override {
    return add_function(sig);
  }
  Result OnImportTable(Index, std::string_view, std::string_view, Index, wabt::Type,
                       const wabt::Limits* limits) override {
    return add_table(*limits);
  }
  Result OnImportMemory(Index, std::string_view, std::string_view, Index, const wabt::Limits*) override {
    return add_memories(1);
  }
  Result OnImportGlobal(Index, std::string_view, std::string_view, Index, wabt::Type, bool) override {
    return add_globals(1);
  }
  Result OnImportTag(Index, std::string_view, std::string_view, Index, Index) override {
    return add_tags(1);
  }

  Result OnFunctionCount(Index count) override {
    if (uint64_t{functions_} + count > ModuleLimits::kFunctions)
      return over("functions", uint64_t{functions_} + count, ModuleLimits::kFunctions);
    function_types_.reserve(functions_ + count);
    return Result::Ok;
  }
  Result OnFunction(Index, Index sig) override { return add_function(sig); }

  Result OnTableCount(Index count) override {
    return uint64_t{tables_} + count > ModuleLimits::kTables
               ? over("tables", uint64_t{tables_} + count, ModuleLimits::kTables)
               : Result(Result::Ok);
  }
  Result OnTable(Index, wabt::Type, const wabt::Limits* limits) override { return add_table(*limits); }
  Result OnMemoryCount(Index count) override { return add_memories(count); }
  Result OnGlobalCount(Index count) override { return add_globals(count); }
  Result OnTagCount(Index count) override { return add_tags(count); }

  Result OnExportCount(Index count) override {
    return count > ModuleLimits::kExports ? over("exports", count, ModuleLimits::kExports) : Result(Result::Ok);
  }
  Result OnElemSegmentCount(Index count) override {
    return count > ModuleLimits::kElemSegments
               ? over("element segments", count, ModuleLimits::kElemSegments)
               : Result(Result::Ok);
  }
  Result OnElemSegmentElemExprCount(Index, Index count) override {
    return count > ModuleLimits::kElemSegmentEntries
               ? over("entries in an element segment", count, ModuleLimits::kElemSegmentEntries)
               : Result(Result::Ok);
  }
  Result OnDataSegmentCount(Index count) override {
    return count > ModuleLimits::kDataSegments
               ? over("data segments", count, ModuleLimits::kDataSegments)
               : Result(Result::Ok);
  }
  Result OnDataCount(Index count) override { return OnDataSegmentCount(count); }

  Result BeginCodeSection(Offset size) override {
    module_locals_limit_ = std::max<uint64_t>(ModuleLimits::kModuleLocalsFloor, size);
    return Result::Ok;
  }
  Result BeginFunctionBody(Index index, Offset size) override {
    if (size > ModuleLimits::kFunctionBodyBytes)
      return over(("bytes in the body of function " + std::to_string(index)).c_str(), size,
                  ModuleLimits::kFunctionBodyBytes);
    in_body_ = true;
    depth_ = 0;
    body_index_ = index;
    locals_ = 0;
    if (index < function_types_.size() && function_types_[index] < param_counts_.size())
      locals_ = param_counts_[function_types_[index]];
    return add_module_locals(locals_);
  }
  Result OnLocalDecl(Index, Index count, wabt::Type) override {
    locals_ += count;
    if (locals_ > ModuleLimits::kLocals)
      return over(("locals (with parameters) in function " + std::to_string(body_index_)).c_str(),
                  locals_, ModuleLimits::kLocals);
    return add_module_locals(count);
  }
  Result EndFunctionBody(Index) override {
    in_body_ = false;
    return Result::Ok;
  }

  Result OnBlockExpr(wabt::Type) override { return open_block(); }
  Result OnLoopExpr(wabt::Type) override { return open_block(); }
  Result OnIfExpr(wabt::Type) override { return open_block(); }
  Result OnTryExpr(wabt::Type) override { return open_block(); }
  Result OnEndExpr() override { return close_block(); }
  Result OnDelegateExpr(Index) override { return close_block(); }  // ends its try
  Result OnBrTableExpr(Index targets, Index*, Index) override {
    return targets > ModuleLimits::kBrTableTargets
               ? over("br_table targets", targets, ModuleLimits::kBrTableTargets)
               : Result(Result::Ok);
  }

 private:
  Result over(const char* what, uint64_t count, uint64_t limit) {
    if (violation.empty()) {
      violation = format("%llu %s (wasixc's limit is %llu)", static_cast<unsigned long long>(count), what,
                         static_cast<unsigned long long>(limit));
      violation_offset = state ? state->offset : 0;
    }
    return Result::Error;
  }
  Result add_function(Index sig) {
    if (++functions_ > ModuleLimits::kFunctions)
      return over("functions", functions_, ModuleLimits::kFunctions);
    function_types_.push_back(sig);
    return Result::Ok;
  }
  Result add_table(const wabt::Limits& limits) {
    if (++tables_ > ModuleLimits::kTables) return over("tables", tables_, ModuleLimits::kTables);
    if (limits.initial > ModuleLimits::kTableInitialSize)
      return over("initial table elements", limits.initial, ModuleLimits::kTableInitialSize);
    return Result::Ok;
  }
  Result add_memories(uint64_t n) {
    memories_ += n;
    return memories_ > ModuleLimits::kMemories ? over("memories", memories_, ModuleLimits::kMemories)
                                               : Result(Result::Ok);
  }
  Result add_globals(uint64_t n) {
    globals_ += n;
    return globals_ > ModuleLimits::kGlobals ? over("globals", globals_, ModuleLimits::kGlobals) : Result(Result::Ok);
  }
  Result add_tags(uint64_t n) {
    tags_ += n;
    return tags_ > ModuleLimits::kTags ? over("tags", tags_, ModuleLimits::kTags) : Result(Result::Ok);
  }
  Result add_module_locals(uint64_t n) {
    module_locals_ += n;
    return module_locals_ > module_locals_limit_
               ? over("locals (with parameters) in the whole module", module_locals_, module_locals_limit_)
               : Result(Result::Ok);
  }
  Result open_block() {
    if (in_body_ && ++depth_ > ModuleLimits::kNestingDepth)
      return over(("nested blocks in function " + std::to_string(body_index_)).c_str(), depth_,
                  ModuleLimits::kNestingDepth);
    return Result::Ok;
  }
  Result close_block() {
    if (in_body_ && depth_ > 0) --depth_;
    return Result::Ok;
  }

  std::vector<Index> param_counts_;    // per type index
  std::vector<Index> function_types_;  // per function index (imports first)
  uint64_t functions_ = 0, tables_ = 0, memories_ = 0, globals_ = 0, tags_ = 0;
  uint64_t module_locals_ = 0, module_locals_limit_ = ModuleLimits::kModuleLocalsFloor;
  bool in_body_ = false;
  uint32_t depth_ = 0;
  Index body_index_ = 0;
  uint64_t locals_ = 0;
};

}  // namespace

void check_module_limits(const std::string& path, const std::vector<uint8_t>& bytes,
                         const wabt::Features& features) {
  if (bytes.size() > ModuleLimits::kModuleBytes)
    fail("%s: module too large: %zu bytes (wasixc's limit is %llu)", path.c_str(), bytes.size(),
         static_cast<unsigned long long>(ModuleLimits::kModuleBytes));
  LimitChecker checker;
  wabt::ReadBinaryOptions options(features, /*log_stream=*/nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  (void)wabt::ReadBinary(bytes.data(), bytes.size(), &checker, options);
  if (!checker.violation.empty())
    fail("%s: over an implementation limit: %s (at byte offset 0x%llx)", path.c_str(), checker.violation.c_str(),
         static_cast<unsigned long long>(checker.violation_offset));
}

}  // namespace wasixc::aot
