// The lowering driver (lowering.h): walks the sections, scans every
// instruction of every function body for a construct a family must
// rewrite, and only then parses what a rewrite needs and rebuilds the
// module: rewritten bodies, the other bodies and sections copied as they
// are, appended types and functions at the ends of their index spaces.
#include <cstdio>
#include <cstring>
#include <map>

#include "aot/diagnostics.h"
#include "aot/lowering/rewriter.h"

namespace wasixc::aot::lowering {
namespace {

enum SectionId : uint8_t {
  kCustom = 0, kType = 1, kImport = 2, kFunction = 3, kCode = 10, kTag = 13,
};

struct Section {
  uint8_t id;
  size_t start;    // the id byte
  size_t payload;  // first payload byte
  size_t end;      // one past the payload
};

std::vector<std::unique_ptr<Lowering>> families() {
  std::vector<std::unique_ptr<Lowering>> all;
  all.push_back(make_wide_arithmetic_lowering());
  all.push_back(make_exnref_lowering());
  return all;
}

// The sections in order; throws DecodeError if the layout is broken.
std::vector<Section> split_sections(const std::vector<uint8_t>& bytes) {
  std::vector<Section> sections;
  ByteReader r(bytes, 8, bytes.size());
  while (!r.at_end()) {
    Section s;
    s.start = r.pos();
    s.id = r.u8();
    uint32_t size = r.u32();
    s.payload = r.pos();
    r.skip(size);
    s.end = r.pos();
    sections.push_back(s);
  }
  return sections;
}

const Section* find_section(const std::vector<Section>& sections, uint8_t id) {
  for (const Section& s : sections)
    if (s.id == id) return &s;
  return nullptr;
}

// The extent of each function body in the code section: [begin, end) of
// the body (locals and instructions), without its size.
struct Body {
  size_t entry;       // the size LEB
  size_t begin, end;
};

std::vector<Body> split_code(const std::vector<uint8_t>& bytes, const Section& code) {
  ByteReader r(bytes, code.payload, code.end);
  uint32_t count = r.u32();
  std::vector<Body> bodies;
  for (uint32_t i = 0; i < count; ++i) {  // each body takes at least a byte: bounded by the section
    size_t entry = r.pos();
    uint32_t size = r.u32();
    size_t begin = r.pos();
    r.skip(size);
    bodies.push_back({entry, begin, r.pos()});
  }
  if (!r.at_end()) r.error("section size mismatch in the code section");
  return bodies;
}

// Skips a body's local declarations; returns how many locals they declare.
uint64_t skip_locals(ByteReader& r) {
  uint32_t groups = r.u32();
  uint64_t locals = 0;
  for (uint32_t g = 0; g < groups; ++g) {
    locals += r.u32();
    r.value_type();
  }
  return locals;
}

void skip_limits(ByteReader& r) {
  uint8_t flags = r.u8();
  bool is64 = flags & 0x04;
  r.uleb(is64 ? 64 : 32);
  if (flags & 0x01) r.uleb(is64 ? 64 : 32);
  if (flags & 0x08) r.u32();  // custom page size (log2)
}

void skip_name(ByteReader& r) { r.skip(r.u32()); }

ModuleInfo parse_module_info(const std::vector<uint8_t>& bytes, const std::vector<Section>& sections) {
  ModuleInfo info;
  if (const Section* s = find_section(sections, kType)) {
    ByteReader r(bytes, s->payload, s->end);
    uint32_t n = r.u32();
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t form = r.u8();
      if (form != 0x60) r.error("type form " + std::to_string(form) + " (only function types are read)");
      FuncType t;
      for (uint32_t k = 0, np = r.u32(); k < np; ++k) t.params.push_back(read_value_type(r));
      for (uint32_t k = 0, nr = r.u32(); k < nr; ++k) t.results.push_back(read_value_type(r));
      info.types.push_back(std::move(t));
    }
  }
  if (const Section* s = find_section(sections, kImport)) {
    ByteReader r(bytes, s->payload, s->end);
    uint32_t n = r.u32();
    for (uint32_t i = 0; i < n; ++i) {
      skip_name(r);
      skip_name(r);
      switch (uint8_t kind = r.u8()) {
        case 0: info.func_types.push_back(r.u32()); ++info.num_imported_funcs; break;
        case 1: r.value_type(); skip_limits(r); break;
        case 2: skip_limits(r); break;
        case 3: r.value_type(); r.u8(); break;
        case 4: r.u8(); info.tag_types.push_back(r.u32()); break;
        default: r.error("invalid import kind " + std::to_string(kind));
      }
    }
  }
  if (const Section* s = find_section(sections, kFunction)) {
    ByteReader r(bytes, s->payload, s->end);
    for (uint32_t i = 0, n = r.u32(); i < n; ++i) info.func_types.push_back(r.u32());
  }
  if (const Section* s = find_section(sections, kTag)) {
    ByteReader r(bytes, s->payload, s->end);
    for (uint32_t i = 0, n = r.u32(); i < n; ++i) {
      r.u8();
      info.tag_types.push_back(r.u32());
    }
  }
  return info;
}

// A vector section with `extra` entries (already encoded) after its own.
// `old` is the section's payload (the original or its types mapped).
void write_extended_section(std::vector<uint8_t>& out, uint8_t id, const std::vector<uint8_t>& old,
                            uint32_t extra_count, const std::vector<uint8_t>& extra) {
  ByteReader r(old, 0, old.size());
  uint32_t count = r.u32();
  std::vector<uint8_t> payload;
  write_uleb(payload, static_cast<uint64_t>(count) + extra_count);
  payload.insert(payload.end(), old.begin() + r.pos(), old.end());
  payload.insert(payload.end(), extra.begin(), extra.end());
  out.push_back(id);
  write_uleb(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
}

// The rewritten body of function `func_index` (locals and instructions).
std::vector<uint8_t> rewrite_body(const std::vector<uint8_t>& bytes, const Body& body, uint32_t func_index,
                                  ModuleRewrite& module, std::vector<std::unique_ptr<Lowering>>& all) {
  ByteReader r(bytes, body.begin, body.end);
  uint32_t groups = r.u32();
  uint64_t locals = 0;
  std::vector<uint8_t> declarations;  // the body's own, types mapped
  for (uint32_t g = 0; g < groups; ++g) {
    uint32_t count = r.u32();
    locals += count;
    ValType t = read_value_type(r);
    module.map_type(t);
    write_uleb(declarations, count);
    write_value_type(declarations, t);
  }
  const ModuleInfo& info = module.info();
  uint64_t params = 0;
  if (func_index < info.func_types.size() && info.func_types[func_index] < info.types.size())
    params = info.types[info.func_types[func_index]].params.size();
  else
    r.error("function " + std::to_string(func_index) + " has no valid type");
  if (params + locals > UINT32_MAX) r.error("too many locals");
  BodyRewrite rewrite(module, bytes, func_index, static_cast<uint32_t>(params + locals));
  for (auto& f : all) f->begin_body(rewrite);
  while (!r.at_end()) {
    Instruction in = decode_instruction(r);
    bool done = false;
    for (auto& f : all)
      if ((done = f->rewrite(in, rewrite))) break;
    if (!done) rewrite.copy_mapped(in);
  }
  for (auto& f : all) f->end_body(rewrite);
  std::vector<uint8_t> out;
  write_uleb(out, static_cast<uint64_t>(groups) + rewrite.added_locals().size());
  out.insert(out.end(), declarations.begin(), declarations.end());
  for (ValType t : rewrite.added_locals()) {
    write_uleb(out, 1);
    write_value_type(out, t);
  }
  out.insert(out.end(), rewrite.out.begin(), rewrite.out.end());
  return out;
}

}  // namespace

ValType read_value_type(ByteReader& r) {
  size_t at = r.pos();
  r.value_type();
  ByteReader again(r.data(), at, r.pos());
  ValType t;
  t.code = again.u8();
  if (t.code == 0x63 || t.code == 0x64) t.heap = again.sleb(33);
  return t;
}

void BodyRewrite::copy_mapped(const Instruction& in) {
  if (!module_.maps_types()) return copy(in);
  map_instruction_types(bytes_, in, [this](ValType& t) { return module_.map_type(t); }, out);
}

void BodyRewrite::copy_block_type(ByteReader& r) {
  uint8_t code = r.peek();
  if (code == 0x40) return emit_byte(r.u8());
  if (code == 0x63 || code == 0x64 || ByteReader::is_value_type_code(code)) {
    ValType t = read_value_type(r);
    module_.map_type(t);
    return write_value_type(out, t);
  }
  size_t at = r.pos();
  r.block_type();  // a type index
  out.insert(out.end(), bytes_.begin() + at, bytes_.begin() + r.pos());
}

const IntrinsicInfo& intrinsic_info(Intrinsic kind) {
  static const IntrinsicInfo kInfo[] = {
#define WASIXC_INTRINSIC_INFO(id, name, params, results) {name, params, results},
      WASIXC_LOWERING_INTRINSICS(WASIXC_INTRINSIC_INFO)
#undef WASIXC_INTRINSIC_INFO
  };
  return kInfo[static_cast<size_t>(kind)];
}

std::optional<Intrinsic> find_intrinsic(const std::vector<IntrinsicFunction>& intrinsics, uint32_t func_index) {
  if (intrinsics.empty() || func_index < intrinsics.front().func_index) return std::nullopt;
  for (const IntrinsicFunction& f : intrinsics)
    if (f.func_index == func_index) return f.kind;
  return std::nullopt;
}

void write_value_type(std::vector<uint8_t>& out, ValType t) {
  out.push_back(t.code);
  if (t.code == 0x63 || t.code == 0x64) {  // heap type, s33
    int64_t v = t.heap;
    while (true) {
      uint8_t b = v & 0x7f;
      v >>= 7;
      bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
      out.push_back(done ? b : (b | 0x80));
      if (done) break;
    }
  }
}

void write_func_type(std::vector<uint8_t>& out, const FuncType& t) {
  out.push_back(0x60);
  write_uleb(out, t.params.size());
  for (ValType v : t.params) write_value_type(out, v);
  write_uleb(out, t.results.size());
  for (ValType v : t.results) write_value_type(out, v);
}

void BodyRewrite::emit_call_intrinsic(Intrinsic kind) {
  emit_byte(op::kCall);
  emit_u32(module_.intrinsic(kind));
}

uint32_t BodyRewrite::add_local(ValType t) {
  added_locals_.push_back(t);
  return num_locals_ + static_cast<uint32_t>(added_locals_.size() - 1);
}

namespace {
ValType letter_type(char c) {
  switch (c) {
    case 'i': return {0x7f};
    case 'I': return {0x7e};
    case 'f': return {0x7d};
    case 'F': return {0x7c};
    case 'V': return {0x7b};
    case 'r': return {0x70};
    case 'e': return {0x6f};
  }
  fail("internal error: intrinsic type letter '%c'", c);
}
}  // namespace

uint32_t ModuleRewrite::type_index(const FuncType& type) {
  for (size_t i = 0; i < new_types_.size(); ++i)
    if (new_types_[i].params == type.params && new_types_[i].results == type.results)
      return num_types_ + static_cast<uint32_t>(i);
  new_types_.push_back(type);
  return num_types_ + static_cast<uint32_t>(new_types_.size() - 1);
}

uint32_t ModuleRewrite::append_function(const FuncType& type, std::vector<uint8_t> body) {
  appended_.push_back({type_index(type), std::move(body)});
  return num_funcs_ + static_cast<uint32_t>(appended_.size() - 1);
}

uint32_t ModuleRewrite::intrinsic(Intrinsic kind) {
  for (const IntrinsicFunction& f : intrinsics_)
    if (f.kind == kind) return f.func_index;
  const IntrinsicInfo& info = intrinsic_info(kind);
  FuncType type;
  for (const char* p = info.params; *p; ++p) type.params.push_back(letter_type(*p));
  for (const char* p = info.results; *p; ++p) type.results.push_back(letter_type(*p));
  // No locals; `unreachable`: the backend emits the meaning (the side table).
  uint32_t index = append_function(type, {0x00, 0x00, op::kEnd});
  intrinsics_.push_back({index, kind});
  return index;
}

std::string first_decode_error(const std::vector<uint8_t>& bytes) {
  try {
    std::vector<Section> sections = split_sections(bytes);
    const Section* code = find_section(sections, kCode);
    if (!code) return "";
    for (const Body& b : split_code(bytes, *code)) {
      ByteReader r(bytes, b.begin, b.end);
      skip_locals(r);
      while (!r.at_end()) decode_instruction(r);
    }
    (void)parse_module_info(bytes, sections);
  } catch (const DecodeError& e) {
    char where[40];
    snprintf(where, sizeof where, " at byte offset 0x%zx", e.offset);
    return e.message + where;
  }
  return "";
}

LoweredModule lower_module(const std::string& path, const std::vector<uint8_t>& bytes) {
  static const uint8_t kHeader[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  LoweredModule result;
  if (bytes.size() < 8 || memcmp(bytes.data(), kHeader, 8) != 0) return result;  // wabt says why
  std::vector<std::unique_ptr<Lowering>> all = families();
  std::vector<Section> sections;
  std::vector<Body> bodies;
  std::vector<bool> needs_rewrite;
  std::vector<bool> family_used(all.size(), false);
  bool any = false;
  // Families that replace a value type everywhere; when one of them is
  // used, every body and every section naming value types is rewritten.
  std::vector<const Lowering*> mappers;
  for (auto& f : all)
    if (f->maps_value_types()) mappers.push_back(f.get());
  // Which mappers' target types the module names itself (see
  // Lowering::mapped_onto), noted during the scan.
  std::vector<bool> target_named(mappers.size(), false);
  auto names = [](const ValType& t, const ValType& target) {
    return t == target || ((t.code == 0x63 || t.code == 0x64) && t.heap == static_cast<int64_t>(target.code) - 0x80);
  };
  TypeMap map = [&](ValType& t) {
    for (size_t m = 0; m < mappers.size(); ++m)
      if (names(t, mappers[m]->mapped_onto())) target_named[m] = true;
    for (const Lowering* f : mappers)
      if (f->map_value_type(t)) return true;
    return false;
  };
  bool types_mapped = false;
  try {
    sections = split_sections(bytes);
    const Section* code = find_section(sections, kCode);
    if (!code) return result;
    bodies = split_code(bytes, *code);
    needs_rewrite.assign(bodies.size(), false);
    bool asks[256] = {};  // first bytes some family may rewrite
    for (auto& f : all)
      for (uint8_t b : f->first_bytes()) asks[b] = true;
    std::vector<uint8_t> scratch;
    // Instructions whose immediates may hold a value type.
    bool typed[256] = {};
    for (uint8_t b : {op::kBlock, op::kLoop, op::kIf, op::kTry, op::kTryTable, uint32_t{0x1c}, uint32_t{0xd0}})
      typed[b] = !mappers.empty();
    // The scan: every instruction of every body.
    for (size_t i = 0; i < bodies.size(); ++i) {
      ByteReader r(bytes, bodies[i].begin, bodies[i].end);
      if (mappers.empty()) {
        skip_locals(r);
      } else {
        for (uint32_t g = 0, groups = r.u32(); g < groups; ++g) {
          r.u32();
          ValType t = read_value_type(r);
          if (t.code >= 0x63 && t.code <= 0x74 && map(t)) types_mapped = any = true;
        }
      }
      while (!r.at_end()) {
        Instruction in = decode_instruction(r);
        // Only reference types are mapped (0x63-0x74): a block type, heap
        // type or select's count outside that range names none.
        if (typed[bytes[in.offset]] && in.immediates < bytes.size() &&
            (bytes[in.offset] == 0x1c || (bytes[in.immediates] >= 0x63 && bytes[in.immediates] <= 0x74)) &&
            instruction_types_change(bytes, in, map))
          types_mapped = any = true;
        if (!asks[bytes[in.offset]]) continue;
        for (size_t f = 0; f < all.size(); ++f)
          if (all[f]->needs(in)) {
            needs_rewrite[i] = true;
            family_used[f] = true;
            any = true;
          }
      }
    }
    // Sections naming value types (after the bodies: a section this
    // pass cannot take apart must not hide a body's instructions).
    if (!mappers.empty())
      for (const Section& s : sections) {
        scratch.clear();
        if (s.id != kCode && map_section_types(bytes, s.id, s.payload, s.end, map, scratch))
          types_mapped = any = true;
      }
  } catch (const DecodeError& e) {
    if (!any) return result;  // nothing to lower: wabt reports the error as usual
    fail("%s: malformed module: %s (at byte offset 0x%zx)", path.c_str(), e.message.c_str(), e.offset);
  }
  if (!any) return result;

  try {
    ModuleInfo info = parse_module_info(bytes, sections);
    uint32_t num_defined = static_cast<uint32_t>(info.func_types.size() - info.num_imported_funcs);
    if (num_defined != bodies.size())
      fail("%s: malformed module: %u function declarations but %zu bodies", path.c_str(), num_defined,
           bodies.size());
    ModuleRewrite module(info, static_cast<uint32_t>(info.types.size()),
                         static_cast<uint32_t>(info.func_types.size()));
    for (size_t f = 0; f < all.size(); ++f)
      if (all[f]->maps_value_types() && (family_used[f] || types_mapped)) {
        for (size_t m = 0; m < mappers.size(); ++m)
          if (mappers[m] == all[f].get() && target_named[m])
            fail("%s: the module uses %s together with %s, which wasixc does not support yet (the former "
                 "are read as the latter: wabt 1.0.32 knows no other reference type)",
                 path.c_str(), all[f]->feature(), mappers[m]->mapped_onto().code == 0x6f ? "externref" : "funcref");
        family_used[f] = true;
        module.set_type_mappers(mappers);
        needs_rewrite.assign(bodies.size(), true);  // locals and block types anywhere
      }
    // The code section's new payload first: it decides what is appended.
    std::vector<uint8_t> code_payload;
    std::vector<uint8_t> entries;
    for (size_t i = 0; i < bodies.size(); ++i) {
      if (!needs_rewrite[i]) {  // copied with its size, as encoded
        entries.insert(entries.end(), bytes.begin() + bodies[i].entry, bytes.begin() + bodies[i].end);
        continue;
      }
      std::vector<uint8_t> body =
          rewrite_body(bytes, bodies[i], info.num_imported_funcs + static_cast<uint32_t>(i), module, all);
      write_uleb(entries, body.size());
      entries.insert(entries.end(), body.begin(), body.end());
    }
    for (const ModuleRewrite::Appended& f : module.appended_functions()) {
      write_uleb(entries, f.body.size());
      entries.insert(entries.end(), f.body.begin(), f.body.end());
    }
    write_uleb(code_payload, bodies.size() + module.appended_functions().size());
    code_payload.insert(code_payload.end(), entries.begin(), entries.end());

    std::vector<uint8_t> new_types, new_funcs;
    for (const FuncType& t : module.appended_types()) write_func_type(new_types, t);
    for (const ModuleRewrite::Appended& f : module.appended_functions()) write_uleb(new_funcs, f.type_index);

    std::vector<uint8_t>& out = result.bytes;
    out.reserve(bytes.size() + code_payload.size() / 16 + 64);
    out.insert(out.end(), kHeader, kHeader + 8);
    for (const Section& s : sections) {
      std::vector<uint8_t> payload;
      bool mapped =
          module.maps_types() && s.id != kCode && map_section_types(bytes, s.id, s.payload, s.end, map, payload);
      if (!mapped && (s.id == kType || s.id == kFunction))
        payload.assign(bytes.begin() + s.payload, bytes.begin() + s.end);
      if (s.id == kType && !module.appended_types().empty()) {
        write_extended_section(out, s.id, payload, static_cast<uint32_t>(module.appended_types().size()), new_types);
      } else if (s.id == kFunction && !module.appended_functions().empty()) {
        write_extended_section(out, s.id, payload, static_cast<uint32_t>(module.appended_functions().size()),
                               new_funcs);
      } else if (mapped) {
        out.push_back(s.id);
        write_uleb(out, payload.size());
        out.insert(out.end(), payload.begin(), payload.end());
      } else if (s.id == kCode) {
        out.push_back(kCode);
        write_uleb(out, code_payload.size());
        out.insert(out.end(), code_payload.begin(), code_payload.end());
      } else {
        out.insert(out.end(), bytes.begin() + s.start, bytes.begin() + s.end);
      }
    }
    result.intrinsics = module.intrinsics();
  } catch (const DecodeError& e) {
    fail("%s: malformed module: %s (at byte offset 0x%zx)", path.c_str(), e.message.c_str(), e.offset);
  }
  for (size_t f = 0; f < all.size(); ++f)
    if (family_used[f]) result.features.push_back(all[f]->feature());
  return result;
}

}  // namespace wasixc::aot::lowering
