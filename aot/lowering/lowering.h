// Lowering: a pass over a module's BYTES, before libwabt 1.0.32 reads them,
// that rewrites constructs wabt cannot read into ones it can (see
// aot/lowering/README.md). A module that needs no rewrite is passed through
// untouched (no copy). Helper functions a rewrite needs are appended at the
// end of the function index space, so no existing index changes; the side
// table says which appended functions are intrinsics, whose meaning the
// llvm backend emits inline (their wasm bodies are `unreachable`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasixc::aot::lowering {

// The intrinsics: name (for messages and IR), wasm params and results as
// letters (i i32, I i64, f f32, F f64, V v128, r funcref, e externref).
#define WASIXC_LOWERING_INTRINSICS(X)                \
  X(kI64Add128, "i64.add128", "IIII", "II")          \
  X(kI64Sub128, "i64.sub128", "IIII", "II")          \
  X(kI64MulWideS, "i64.mul_wide_s", "II", "II")      \
  X(kI64MulWideU, "i64.mul_wide_u", "II", "II")      \
  X(kExnCurrent, "exn.current", "", "e")             \
  X(kThrowRef, "throw_ref", "e", "")

enum class Intrinsic : uint16_t {
#define WASIXC_INTRINSIC_ENUM(id, name, params, results) id,
  WASIXC_LOWERING_INTRINSICS(WASIXC_INTRINSIC_ENUM)
#undef WASIXC_INTRINSIC_ENUM
};

struct IntrinsicInfo {
  const char* name;
  const char* params;
  const char* results;
};
const IntrinsicInfo& intrinsic_info(Intrinsic kind);

struct IntrinsicFunction {
  uint32_t func_index;  // in the lowered module's function index space
  Intrinsic kind;
};

struct LoweredModule {
  // The rewritten module; empty when nothing needed lowering (use the
  // original bytes, untouched).
  std::vector<uint8_t> bytes;
  // Appended functions that are intrinsics, by increasing index.
  std::vector<IntrinsicFunction> intrinsics;
  // What was lowered, by the proposals' names ("wide arithmetic").
  std::vector<std::string> features;
  bool rewritten() const { return !features.empty(); }
};

// Lowers `bytes` (the module read from `path`, for messages). A module the
// decoder cannot take apart is passed through untouched for wabt to report,
// unless it needed lowering before that point: then a CompileError
// "<path>: malformed module: <what> (at byte offset 0x..)".
LoweredModule lower_module(const std::string& path, const std::vector<uint8_t>& bytes);

// For tests: decodes every section and every instruction of every body
// without rewriting anything; the first error ("what at byte offset 0x..")
// or empty.
std::string first_decode_error(const std::vector<uint8_t>& bytes);

// The intrinsic function `func_index` is, if any.
std::optional<Intrinsic> find_intrinsic(const std::vector<IntrinsicFunction>& intrinsics, uint32_t func_index);

}  // namespace wasixc::aot::lowering
