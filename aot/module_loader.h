// Reading and validating a .wasm file with libwabt, and finding out which
// post-MVP features it relies on.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aot/lowering/lowering.h"
#include "module_slices.h"
#include "wabt/feature.h"
#include "wabt/ir.h"

namespace wasixc::aot {

struct LoadedModule {
  std::string path;
  std::vector<uint8_t> bytes;
  std::unique_ptr<wabt::Module> module;  // validated, names generated
  // What the lowering pass (aot/lowering/) did before wabt read `bytes`
  // (then the rewritten module): the appended functions that are
  // intrinsics, and the features lowered ("wide arithmetic"), which the C
  // backend refuses by name.
  std::vector<lowering::IntrinsicFunction> intrinsics;
  std::vector<std::string> lowered_features;
  // Set when the module was read in slices (load_module_in_slices):
  // `module` then holds every function with a stub body (`unreachable`),
  // and read_slice() reads the real ones.
  std::shared_ptr<const ModuleSlicer> slicer;
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
// `check_imports`, if given, runs first on a module holding only the type
// and import sections (and, in `bytes`, the whole file for reader-only
// checks such as reads_with), so a refusal for imports or features costs
// no full read. `generate_names`: name every function, local and label and
// refer to them by name (the C writer needs it; the LLVM backend does
// not, and indices spare it a string per label and name lookups).
LoadedModule load_module(const std::string& path, const wabt::Features& features = wasixc_features(),
                         const std::function<void(const LoadedModule&)>& check_imports = {},
                         bool generate_names = true);

// Sees functions [first, end) of `slice`, whose bodies are real and valid.
using BodiesVisitor = std::function<void(const wabt::Module& slice, uint32_t first, uint32_t end)>;

// As load_module, for a compile whose memory must not grow with the
// module: the function bodies are read and validated a slice of about
// kValidationSliceBytes at a time (each slice freed before the next is
// read), `on_bodies` seeing each slice in order; the module returned holds
// everything but the bodies and the data segments' bytes (module_slices.h). Errors are load_module's,
// with the module's byte offsets. A module whose sections are not laid
// out as the binary format says is read whole, to report it.
constexpr size_t kValidationSliceBytes = 512 << 10;
LoadedModule load_module_in_slices(const std::string& path, const wabt::Features& features,
                                   const std::function<void(const LoadedModule&)>& check_imports,
                                   const BodiesVisitor& on_bodies);

// For a module from load_module_in_slices (its `module` may have been
// released since): a copy read into IR (not
// validated again: every body was) in which function f's body is real
// when keep(f) holds, stubs elsewhere; the data segments' bytes only
// `with_data` (else see ModuleSlicer::can_leave_data_out()).
std::unique_ptr<wabt::Module> read_slice(const LoadedModule& m, const wabt::Features& features,
                                         const std::function<bool(uint32_t func)>& keep, bool with_data);

// The features (by their spec names) the module needs among those that
// `supported` leaves out. Empty if it loads with `supported` alone, or if
// it does not load with any features (malformed or invalid).
std::vector<std::string> features_beyond(const LoadedModule& m,
                                         const wabt::Features& supported);

// The same for a module already known not to validate with `supported`
// (one full pass fewer: a refusal of a large module pays for each).
std::vector<std::string> features_beyond_failed(const LoadedModule& m, const wabt::Features& supported);

// The same for a module that reads with `loaded_with` and not with
// `supported` (the caller checked both with reads_with), probing with the
// binary reader alone (no IR, no validation): cheap, and exact for the
// features the reader checks (SIMD's opcodes and v128), which is what
// separates a backend's set from wasixc_features().
std::vector<std::string> reader_features_beyond(const LoadedModule& m, const wabt::Features& loaded_with,
                                                const wabt::Features& supported);

// Whether the binary reader accepts `bytes` with `features`, building
// nothing (no IR, no validation).
bool reads_with(const std::vector<uint8_t>& bytes, const wabt::Features& features);

// Whether the module exports a function called `name`.
bool exports_function(const LoadedModule& m, const std::string& name);

// "a, b, c"
std::string join(const std::vector<std::string>& items);

}  // namespace wasixc::aot
