// Implementation limits on what a module may declare, checked by a cheap
// first pass over the binary (libwabt's reader with a delegate that builds
// nothing) before any IR exists and before anything proportional to a
// declared count is allocated. A module over a limit is refused with a
// CompileError naming the limit and the byte offset.
//
// The numbers follow the limits the web engines agreed on (the JS API's
// "Limits" section, also V8's and wasmparser's): they are far above what
// compilers emit. wasixc adds its own where those would exhaust memory or
// stack here: structured-control nesting, because its IR (libwabt's) is a
// tree that several passes walk recursively; the total of locals over the
// whole module, because every local costs memory in every pass; fewer
// types and globals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wabt/feature.h"

namespace wasixc::aot {

struct ModuleLimits {
  static constexpr uint64_t kModuleBytes = 1ull << 30;      // JS API: 1 GiB
  // Types and globals: wasixc's own, a tenth of the JS API's 1,000,000:
  // each costs init code (a type id, a store), and 100,000 already take
  // ~500 MiB and 20-80 s to compile; real modules have a few thousand.
  static constexpr uint32_t kTypes = 100'000;
  static constexpr uint32_t kFunctions = 1'000'000;         // imported + defined, JS API
  static constexpr uint32_t kImports = 100'000;             // JS API
  static constexpr uint32_t kExports = 100'000;             // JS API
  static constexpr uint32_t kGlobals = 100'000;
  static constexpr uint32_t kDataSegments = 100'000;        // JS API
  static constexpr uint32_t kElemSegments = 100'000;        // wasmparser
  static constexpr uint32_t kTables = 100;                  // wasmparser
  static constexpr uint32_t kMemories = 100;                // wasmparser
  static constexpr uint32_t kTags = 1'000'000;              // JS API
  static constexpr uint32_t kParams = 1'000;                // per function type, JS API
  static constexpr uint32_t kResults = 1'000;               // per function type, JS API
  static constexpr uint64_t kFunctionBodyBytes = 7'654'321; // JS API
  static constexpr uint64_t kLocals = 50'000;               // params + locals per function, JS API
  static constexpr uint64_t kTableInitialSize = 10'000'000; // JS API
  static constexpr uint64_t kElemSegmentEntries = 10'000'000;  // JS API
  static constexpr uint32_t kBrTableTargets = 1'000'000;    // wasixc
  // Blocks, loops, ifs and trys open at once in a function body. wasixc's
  // own (the engines above have none: their IR is flat).
  static constexpr uint32_t kNestingDepth = 10'000;
  // Params + locals summed over every function of the module: at least this
  // many, or one per byte of the code section (real code uses each local).
  static constexpr uint64_t kModuleLocalsFloor = 1'000'000;
};

// Throws CompileError ("<path>: over an implementation limit: ...") when `bytes` breaks
// a limit. Malformed input is not reported here: the reader stops quietly
// and the full read that follows reports it.
void check_module_limits(const std::string& path, const std::vector<uint8_t>& bytes,
                         const wabt::Features& features);

}  // namespace wasixc::aot
