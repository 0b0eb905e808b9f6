// Reading and validating a .wasm file with libwabt, and finding out which
// post-MVP features it relies on.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "wabt/feature.h"
#include "wabt/ir.h"

namespace wasixc::aot {

struct LoadedModule {
  std::string path;
  std::vector<uint8_t> bytes;
  std::unique_ptr<wabt::Module> module;  // validated, names generated
};

// The proposals wasixc reads: the core spec (wabt's defaults: mutable
// globals, sign extension, saturating conversions, multi-value, bulk
// memory, reference types, SIMD) plus threads. Backends may support less
// (see features_beyond).
wabt::Features wasixc_features();

// Reads and validates `path` with wasixc_features(). A malformed or invalid
// module is a CompileError carrying wabt's message and the byte offset; a
// module that needs a proposal wasixc does not read is refused naming it.
// `features` other than the default serve test suites written against a
// single proposal (the threads proposal predates reference types).
LoadedModule load_module(const std::string& path, const wabt::Features& features = wasixc_features());

// The features (by their spec names) the module needs among those that
// `supported` leaves out. Empty if it loads with `supported` alone, or if
// it does not load with any features (malformed or invalid).
std::vector<std::string> features_beyond(const LoadedModule& m,
                                         const wabt::Features& supported);

// Whether the module exports a function called `name`.
bool exports_function(const LoadedModule& m, const std::string& name);

// "a, b, c"
std::string join(const std::vector<std::string>& items);

}  // namespace wasixc::aot
