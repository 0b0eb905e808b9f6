#include "module_loader.h"

#include <sys/stat.h>

#include <cerrno>
#include <iterator>
#include <cstdio>
#include <cstring>
#include <optional>

#include "compile_report.h"
#include "diagnostics.h"
#include "module_limits.h"
#include "streaming_validator.h"
#include "wabt/apply-names.h"
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"
#include "wabt/cast.h"
#include "wabt/error.h"
#include "wabt/generate-names.h"
#include "wabt/validator.h"

namespace wasixc::aot {
namespace {

// The first error (not warning) wabt reported, if any.
const wabt::Error* first_error(const wabt::Errors& errors) {
  for (const wabt::Error& e : errors)
    if (e.error_level == wabt::ErrorLevel::Error) return &e;
  return nullptr;
}

// wabt's first error; offsets into a slice become the module's.
std::string describe(const wabt::Errors& errors, const ModuleSlice* slice = nullptr) {
  const wabt::Error* e = first_error(errors);
  if (!e) return "unknown error";
  if (e->loc.offset == wabt::kInvalidOffset) return e->message;
  return format("%s (at byte offset 0x%zx)", e->message.c_str(),
                slice ? slice->original_offset(e->loc.offset) : e->loc.offset);
}

template <typename Items>
void drop_bindings_beyond(wabt::BindingHash* bindings, const Items& items) {
  for (auto it = bindings->begin(); it != bindings->end();)
    it = static_cast<size_t>(it->second.index) < items.size() ? std::next(it) : bindings->erase(it);
}

// The name section is a custom section: nothing in it may make a module
// fail (the spec says so of custom sections), and wabt 1.0.32 trusts it too
// much: a local name whose index is past the function's locals aborts
// GenerateNames and the C writer (an assertion in
// MakeTypeBindingReverseMapping). Such names are dropped here, right after
// reading, before anything else looks at them.
void drop_names_out_of_range(wabt::Module* m) {
  for (wabt::Func* f : m->funcs) {
    for (auto it = f->bindings.begin(); it != f->bindings.end();)
      it = it->second.index < f->GetNumParamsAndLocals() ? std::next(it) : f->bindings.erase(it);
  }
  drop_bindings_beyond(&m->func_bindings, m->funcs);
  drop_bindings_beyond(&m->global_bindings, m->globals);
  drop_bindings_beyond(&m->type_bindings, m->types);
  drop_bindings_beyond(&m->export_bindings, m->exports);
  drop_bindings_beyond(&m->table_bindings, m->tables);
  drop_bindings_beyond(&m->memory_bindings, m->memories);
  drop_bindings_beyond(&m->data_segment_bindings, m->data_segments);
  drop_bindings_beyond(&m->elem_segment_bindings, m->elem_segments);
  drop_bindings_beyond(&m->tag_bindings, m->tags);
}

// Reads (and, with `validate`, validates); on failure returns false and
// leaves wabt's errors. The caller has checked the implementation limits.
bool read_and_validate_checked(const std::string& path, const std::vector<uint8_t>& bytes,
                               const wabt::Features& features, wabt::Module* out,
                               wabt::Errors* errors, bool* malformed, bool validate = true) {
  wabt::ReadBinaryOptions options(features, /*log_stream=*/nullptr,
                                  /*read_debug_names=*/true,
                                  /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/true);
  if (wabt::Failed(wabt::ReadBinaryIr(path.c_str(), bytes.data(), bytes.size(),
                                      options, errors, out))) {
    *malformed = true;
    return false;
  }
  drop_names_out_of_range(out);
  *malformed = false;
  if (!validate) return true;
  return wabt::Succeeded(wabt::ValidateModule(out, errors, wabt::ValidateOptions(features)));
}

struct FeatureToggle {
  const char* name;
  void (wabt::Features::*disable)();
  bool (wabt::Features::*enabled)() const;
};

const FeatureToggle kFeatures[] = {
    {"threads (shared memory, atomics)", &wabt::Features::disable_threads, &wabt::Features::threads_enabled},
    {"SIMD (v128)", &wabt::Features::disable_simd, &wabt::Features::simd_enabled},
    {"relaxed SIMD", &wabt::Features::disable_relaxed_simd, &wabt::Features::relaxed_simd_enabled},
    {"exception handling", &wabt::Features::disable_exceptions, &wabt::Features::exceptions_enabled},
    {"tail calls", &wabt::Features::disable_tail_call, &wabt::Features::tail_call_enabled},
    {"memory64", &wabt::Features::disable_memory64, &wabt::Features::memory64_enabled},
    {"multi-memory", &wabt::Features::disable_multi_memory, &wabt::Features::multi_memory_enabled},
    {"extended constant expressions", &wabt::Features::disable_extended_const, &wabt::Features::extended_const_enabled},
    {"typed function references", &wabt::Features::disable_function_references, &wabt::Features::function_references_enabled},
    {"garbage collection", &wabt::Features::disable_gc, &wabt::Features::gc_enabled},
    {"bulk memory", &wabt::Features::disable_bulk_memory, &wabt::Features::bulk_memory_enabled},
    {"reference types", &wabt::Features::disable_reference_types, &wabt::Features::reference_types_enabled},
    {"multi-value", &wabt::Features::disable_multi_value, &wabt::Features::multi_value_enabled},
};

constexpr const char* kUnknownFeatures = "a combination of post-MVP features";

// A copy of the module's header, type section and import section: what
// import resolution reads, without the code. Empty if the section layout
// is not as the binary format says (the full read then reports it).
std::vector<uint8_t> type_and_import_sections(const std::vector<uint8_t>& bytes) {
  constexpr size_t kHeader = 8;  // magic and version
  constexpr uint8_t kType = 1, kImport = 2, kCode = 10;
  if (bytes.size() < kHeader) return {};
  std::vector<uint8_t> out(bytes.begin(), bytes.begin() + kHeader);
  size_t pos = kHeader;
  while (pos < bytes.size()) {
    size_t start = pos;
    uint8_t id = bytes[pos++];
    uint64_t size = 0;
    for (int shift = 0;; shift += 7) {  // LEB128 u32
      if (pos >= bytes.size() || shift > 28) return {};
      uint8_t b = bytes[pos++];
      size |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    if (size > bytes.size() - pos) return {};
    pos += size;
    if (id == kType || id == kImport) out.insert(out.end(), bytes.begin() + start, bytes.begin() + pos);
    if (id == kImport || id == kCode) break;  // nothing later matters here
  }
  return out;
}

// Whether the binary reader accepts the module with `features`, building
// nothing: the features the reader checks (opcodes, value types such as
// v128, segment forms) without the cost of an IR.
}  // namespace

namespace {
// Builds nothing and prints nothing (wabt prints errors a delegate leaves
// unhandled): only whether the read succeeds matters.
class QuietReader : public wabt::BinaryReaderNop {
 public:
  bool OnError(const wabt::Error&) override { return true; }
};
}  // namespace

bool reads_with(const std::vector<uint8_t>& bytes, const wabt::Features& features) {
  QuietReader nothing;
  wabt::ReadBinaryOptions options(features, /*log_stream=*/nullptr, /*read_debug_names=*/false,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  return wabt::Succeeded(wabt::ReadBinary(bytes.data(), bytes.size(), &nothing, options));
}

namespace {

}  // namespace

bool exports_function(const LoadedModule& m, const std::string& name) {
  for (const wabt::Export* e : m.module->exports)
    if (e->kind == wabt::ExternalKind::Func && e->name == name) return true;
  return false;
}

wabt::Features wasixc_features() {
  wabt::Features f;  // wabt's defaults are the core spec's proposals
  f.enable_threads();
  f.enable_relaxed_simd();  // SIMD128 is a wabt default
  f.enable_extended_const();
  f.enable_tail_call();
  f.enable_exceptions();  // the legacy instructions (wabt 1.0.32 has no exnref)
  return f;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

namespace {

// The type of a constant offset expression. wabt 1.0.32's validator does
// not check that active segment offsets are i32; the spec requires it.
wabt::Type const_expr_type(const wabt::Module& m, const wabt::ExprList& expr) {
  if (expr.empty()) return wabt::Type::Void;
  const wabt::Expr& last = expr.back();
  switch (last.type()) {
    case wabt::ExprType::Const: return wabt::cast<wabt::ConstExpr>(&last)->const_.type();
    case wabt::ExprType::GlobalGet: {
      const wabt::Global* g = m.GetGlobal(wabt::cast<wabt::GlobalGetExpr>(&last)->var);
      return g ? g->type : wabt::Type(wabt::Type::Void);
    }
    case wabt::ExprType::RefNull:
    case wabt::ExprType::RefFunc: return wabt::Type::FuncRef;
    default: return wabt::Type::I32;  // extended-const arithmetic on i32
  }
}

void check_segment_offsets(const LoadedModule& m) {
  for (const wabt::ElemSegment* seg : m.module->elem_segments)
    if (seg->kind == wabt::SegmentKind::Active && const_expr_type(*m.module, seg->offset) != wabt::Type::I32)
      fail("%s: invalid module: type mismatch in an element segment's offset", m.path.c_str());
  for (const wabt::DataSegment* seg : m.module->data_segments)
    if (seg->kind == wabt::SegmentKind::Active && const_expr_type(*m.module, seg->offset) != wabt::Type::I32)
      fail("%s: invalid module: type mismatch in a data segment's offset", m.path.c_str());
}

}  // namespace

namespace {

// The file's bytes, and the cheap checks on them (imports, features).
LoadedModule read_and_check_imports(const std::string& path, const wabt::Features& features,
                                    const std::function<void(const LoadedModule&)>& check_imports) {
  LoadedModule m;
  m.path = path;
  std::optional<CompileReport::Scope> phase(std::in_place, compile_report(), Phase::kRead);
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) fail("%s: cannot open: %s", path.c_str(), strerror(errno));
  // Refused before reading it into memory.
  struct stat st;
  bool sized = fstat(fileno(f), &st) == 0;
  if (sized && static_cast<uint64_t>(st.st_size) > ModuleLimits::kModuleBytes) {
    fclose(f);
    fail("%s: module too large: %llu bytes (wasixc's limit is %llu)", path.c_str(),
         static_cast<unsigned long long>(st.st_size),
         static_cast<unsigned long long>(ModuleLimits::kModuleBytes));
  }
  if (sized && st.st_size > 0) m.bytes.reserve(static_cast<size_t>(st.st_size));  // no regrowth copies
  uint8_t chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && m.bytes.size() <= ModuleLimits::kModuleBytes)
    m.bytes.insert(m.bytes.end(), chunk, chunk + n);
  bool read_error = ferror(f);
  fclose(f);
  if (read_error) fail("%s: read error", path.c_str());
  phase.reset();

  // Cheap checks first: a module refused for its imports is refused
  // before its code is read (milliseconds, whatever its size).
  if (check_imports) {
    CompileReport::Scope imports_phase(compile_report(), Phase::kImports);
    LoadedModule head;
    head.path = path;
    head.bytes = type_and_import_sections(m.bytes);
    head.module = std::make_unique<wabt::Module>();
    wabt::Errors errors;
    wabt::ReadBinaryOptions options(features, nullptr, false, true, false);
    if (!head.bytes.empty() && wabt::Succeeded(wabt::ReadBinaryIr(path.c_str(), head.bytes.data(), head.bytes.size(),
                                                                  options, &errors, head.module.get()))) {
      head.bytes.swap(m.bytes);  // the whole file, for reader-only checks
      try {
        check_imports(head);
      } catch (...) {
        head.bytes.swap(m.bytes);
        throw;
      }
      head.bytes.swap(m.bytes);
    }
  }

  // Constructs wabt 1.0.32 cannot read are rewritten into ones it can
  // (aot/lowering/); a module without them is left as it is. After the
  // import check, which reads the import section alone (the rewrite only
  // appends to the type section) and so stays cheap.
  phase.emplace(compile_report(), Phase::kRead);
  lowering::LoweredModule lowered = lowering::lower_module(path, m.bytes);
  if (lowered.rewritten()) {
    m.bytes.swap(lowered.bytes);
    m.intrinsics = std::move(lowered.intrinsics);
    m.lowered_features = std::move(lowered.features);
  }
  return m;
}

// What the feature probes of a refusal need to read. Validation only gets
// more permissive as features are added, so the bodies before the one that
// failed (which validated) validate with any features too: when the first
// error is in a body, the probes read the module from that body on (the
// earlier ones stubbed, module_slices.h), so refusing a large module for
// its last function costs one full pass, not one per probe.
std::vector<uint8_t> probe_bytes(const std::vector<uint8_t>& bytes, const wabt::Errors& errors,
                                 const ModuleSlice* slice) {
  const wabt::Error* first = first_error(errors);
  if (slice || !first || first->loc.offset == wabt::kInvalidOffset) return bytes;
  std::optional<ModuleSlicer> slicer = ModuleSlicer::scan(bytes);
  if (!slicer) return bytes;
  std::optional<size_t> failed_body = slicer->body_at(first->loc.offset);
  if (!failed_body || *failed_body == 0) return bytes;
  return slicer->slice(bytes, [&](size_t body) { return body >= *failed_body; }, /*with_data=*/false).bytes;
}

// A refusal: the features the bytes need beyond `features` if that is why
// they fail, else wabt's first error at the module's byte offset.
[[noreturn]] void refuse(const std::string& path, const std::vector<uint8_t>& bytes, const wabt::Features& features,
                         bool malformed, const wabt::Errors& errors, const ModuleSlice* slice) {
  // Read with every feature there is nothing to name: no probes.
  bool all_enabled = true;
  for (const FeatureToggle& f : kFeatures) all_enabled = all_enabled && (features.*f.enabled)();
  std::vector<std::string> needed;
  if (!all_enabled) {
    LoadedModule failed;
    failed.path = path;
    failed.bytes = probe_bytes(bytes, errors, slice);
    needed = features_beyond_failed(failed, features);
  }
  if (!needed.empty())
    fail("%s: the module uses %s, which wasixc does not support yet", path.c_str(), join(needed).c_str());
  fail("%s: %s module: %s", path.c_str(), malformed ? "malformed" : "invalid", describe(errors, slice).c_str());
}

// Reads and validates `bytes` (the module, or a slice of it) into `out`;
// a failure is a refusal (above). `validate` false: the bytes were
// validated already (validate_streaming), only read them.
void read_or_fail(const std::string& path, const std::vector<uint8_t>& bytes, const wabt::Features& features,
                  bool limits_checked, std::unique_ptr<wabt::Module>& out, const ModuleSlice* slice = nullptr,
                  bool validate = true) {
  wabt::Errors errors;
  bool malformed = false;
  try {
    out = std::make_unique<wabt::Module>();
    if (!limits_checked) check_module_limits(path, bytes, features);
    if (!read_and_validate_checked(path, bytes, features, out.get(), &errors, &malformed, validate)) {
      out.reset();  // before the reads that look for features
      refuse(path, bytes, features, malformed, errors, slice);
    }
  } catch (const std::bad_alloc&) {
    out.reset();
    fail("%s: malformed module: a declared size is too large", path.c_str());
  }
}

// The whole module validated in one pass without IR (streaming_validator.h),
// so a module with an error anywhere is refused before any body is read.
void validate_or_fail(const std::string& path, const std::vector<uint8_t>& bytes, const wabt::Features& features) {
  wabt::Errors errors;
  StreamingValidation v;
  try {
    v = validate_streaming(bytes, features, &errors);
  } catch (const std::bad_alloc&) {
    fail("%s: malformed module: a declared size is too large", path.c_str());
  }
  if (v != StreamingValidation::kValid)
    refuse(path, bytes, features, v == StreamingValidation::kMalformed, errors, nullptr);
}

}  // namespace

LoadedModule load_module(const std::string& path, const wabt::Features& features,
                         const std::function<void(const LoadedModule&)>& check_imports, bool generate_names) {
  LoadedModule m = read_and_check_imports(path, features, check_imports);
  CompileReport::Scope phase(compile_report(), Phase::kValidate);
  read_or_fail(path, m.bytes, features, /*limits_checked=*/false, m.module);
  check_segment_offsets(m);
  if (generate_names) {
    // Every function, local and label gets a name: the C writer needs them.
    if (wabt::Failed(wabt::GenerateNames(m.module.get())))
      fail("%s: cannot generate names", path.c_str());
    (void)wabt::ApplyNames(m.module.get());
  }
  return m;
}

LoadedModule load_module_in_slices(const std::string& path, const wabt::Features& features,
                                   const std::function<void(const LoadedModule&)>& check_imports,
                                   const BodiesVisitor& on_bodies) {
  LoadedModule m = read_and_check_imports(path, features, check_imports);
  CompileReport::Scope phase(compile_report(), Phase::kValidate);
  std::optional<ModuleSlicer> slicer = ModuleSlicer::scan(m.bytes);
  if (!slicer) {
    // Not laid out as the format says: the whole read reports it. Should
    // it succeed anyway, the module is whole and every body is real.
    read_or_fail(path, m.bytes, features, /*limits_checked=*/false, m.module);
    check_segment_offsets(m);
    on_bodies(*m.module, m.module->num_func_imports, static_cast<uint32_t>(m.module->funcs.size()));
    return m;
  }
  check_module_limits(path, m.bytes, features);
  validate_or_fail(path, m.bytes, features);
  // The bodies, in runs of about kValidationSliceBytes: each run is read
  // (with everything else the module declares), shown to on_bodies and
  // freed before the next.
  uint32_t imports = 0;
  for (size_t begin = 0, end; begin < slicer->num_bodies(); begin = end) {
    size_t bytes = slicer->body_size(begin);
    for (end = begin + 1; end < slicer->num_bodies() && bytes + slicer->body_size(end) <= kValidationSliceBytes; ++end)
      bytes += slicer->body_size(end);
    ModuleSlice slice =
        slicer->slice(m.bytes, [&](size_t body) { return body >= begin && body < end; }, /*with_data=*/false);
    std::unique_ptr<wabt::Module> part;
    read_or_fail(path, slice.bytes, features, /*limits_checked=*/true, part, &slice, /*validate=*/false);
    imports = part->num_func_imports;
    on_bodies(*part, imports + static_cast<uint32_t>(begin), imports + static_cast<uint32_t>(end));
  }
  // What the compile keeps: everything but the bodies (and the data
  // segments' bytes).
  {
    ModuleSlice skeleton = slicer->slice(m.bytes, [](size_t) { return false; }, /*with_data=*/false);
    read_or_fail(path, skeleton.bytes, features, /*limits_checked=*/true, m.module, &skeleton,
                 /*validate=*/false);
  }
  check_segment_offsets(m);
  imports = m.module->num_func_imports;
  slicer->set_imported_functions(imports);
  m.slicer = std::make_shared<const ModuleSlicer>(std::move(*slicer));
  return m;
}

std::unique_ptr<wabt::Module> read_slice(const LoadedModule& m, const wabt::Features& features,
                                         const std::function<bool(uint32_t func)>& keep, bool with_data) {
  if (!m.slicer) fail("internal error: %s was not read in slices", m.path.c_str());
  const uint32_t imports = m.slicer->first_body_function();
  ModuleSlice slice = m.slicer->slice(
      m.bytes, [&](size_t body) { return keep(imports + static_cast<uint32_t>(body)); }, with_data);
  auto out = std::make_unique<wabt::Module>();
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(features, /*log_stream=*/nullptr, /*read_debug_names=*/true,
                                  /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/true);
  if (wabt::Failed(wabt::ReadBinaryIr(m.path.c_str(), slice.bytes.data(), slice.bytes.size(), options, &errors,
                                      out.get())))
    fail("%s: internal error: a slice of the module does not read again: %s", m.path.c_str(),
         describe(errors, &slice).c_str());
  drop_names_out_of_range(out.get());
  return out;
}

std::vector<std::string> reader_features_beyond(const LoadedModule& m, const wabt::Features& loaded_with,
                                                const wabt::Features& supported) {
  std::vector<std::string> needed, candidates;
  for (const FeatureToggle& f : kFeatures)
    if ((loaded_with.*f.enabled)() && !(supported.*f.enabled)()) candidates.push_back(f.name);
  // One feature apart: it is the one (the module reads with it, not without).
  if (candidates.size() == 1) return candidates;
  for (const FeatureToggle& f : kFeatures) {
    if (!(loaded_with.*f.enabled)() || (supported.*f.enabled)()) continue;
    wabt::Features all_but = loaded_with;
    (all_but.*f.disable)();
    if (!reads_with(m.bytes, all_but)) needed.push_back(f.name);
  }
  if (needed.empty()) needed.push_back(kUnknownFeatures);
  return needed;
}

namespace {

// Each probe validates in one pass without IR (streaming_validator.h).
// (The limits were checked when the module was loaded.)
bool validates_with(const LoadedModule& m, const wabt::Features& features) {
  wabt::Errors errors;
  return validate_streaming(m.bytes, features, &errors, /*stop_at_first_error=*/true) == StreamingValidation::kValid;
}

}  // namespace

std::vector<std::string> features_beyond(const LoadedModule& m,
                                         const wabt::Features& supported) {
  if (validates_with(m, supported)) return {};
  return features_beyond_failed(m, supported);
}

std::vector<std::string> features_beyond_failed(const LoadedModule& m, const wabt::Features& supported) {
  std::vector<std::string> needed;
  auto reads = [&](const wabt::Features& features) { return validates_with(m, features); };
  // Nothing to name if it fails even with every feature: it is simply
  // malformed or invalid.
  wabt::Features all;
  all.EnableAll();
  if (!reads(all)) return needed;
  // A feature is needed when the module fails with everything but it.
  for (const FeatureToggle& f : kFeatures) {
    if ((supported.*f.enabled)()) continue;
    wabt::Features all_but;
    all_but.EnableAll();
    (all_but.*f.disable)();
    if (!reads(all_but)) needed.push_back(f.name);
  }
  if (needed.empty()) needed.push_back(kUnknownFeatures);
  return needed;
}

}  // namespace wasixc::aot
