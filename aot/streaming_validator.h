// Validation of a whole module in one pass over its bytes, with no wabt IR
// (memory: the validator's tables of types, functions and globals, not the
// code). The loader runs it before reading bodies into IR, so an invalid
// module is refused after one cheap pass, whatever its size.
#pragma once

#include <cstdint>
#include <vector>

#include "wabt/common.h"
#include "wabt/error.h"
#include "wabt/feature.h"

namespace wasixc::aot {

enum class StreamingValidation { kValid, kInvalid, kMalformed };

// `errors` receives wabt's messages (the first is the one to report), with
// byte offsets into `bytes`. The caller has checked the implementation
// limits (module_limits.h). `stop_at_first_error`: a probe that only
// needs the verdict stops reading at the first failed check (the messages
// are then not those of a full pass).
StreamingValidation validate_streaming(const std::vector<uint8_t>& bytes, const wabt::Features& features,
                                       wabt::Errors* errors, bool stop_at_first_error = false);

}  // namespace wasixc::aot
