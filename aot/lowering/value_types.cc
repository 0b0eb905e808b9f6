// Replacing a value type everywhere a module can name it (rewriter.h):
// function types, imports (tables, globals), tables, globals, element
// segments, constant expressions, body locals and the immediates of
// block/loop/if/try/try_table (block types), select t and ref.null. The
// exnref family uses it to turn exnref into externref, which wabt reads.
// Everything else is copied byte for byte.
#include "aot/lowering/rewriter.h"

namespace wasixc::aot::lowering {
namespace {

void raw(std::vector<uint8_t>& out, const std::vector<uint8_t>& bytes, size_t from, size_t to) {
  out.insert(out.end(), bytes.begin() + from, bytes.begin() + to);
}

// A value type read at `r`, mapped, written; whether it changed.
bool copy_value_type(ByteReader& r, const TypeMap& map, std::vector<uint8_t>& out) {
  ValType t = read_value_type(r);
  bool changed = map(t);
  write_value_type(out, t);
  return changed;
}

// A heap type (ref.null's immediate) is mapped as the nullable reference
// to it: exn -> (ref null exn) -> externref -> extern.
bool copy_heap_type(ByteReader& r, const TypeMap& map, std::vector<uint8_t>& out) {
  size_t at = r.pos();
  r.heap_type();
  ByteReader again(r.data(), at, r.pos());
  int64_t heap = again.sleb(33);
  if (heap >= 0) {
    raw(out, r.data(), at, r.pos());
    return false;
  }
  // An abstract heap type's code is its nullable reference's shorthand.
  ValType t{static_cast<uint8_t>(heap & 0x7f)};
  bool changed = map(t);
  if (t.code == 0x63 || t.code == 0x64) {  // mapped to (ref null? ht): ht
    std::vector<uint8_t> full;
    write_value_type(full, t);
    out.insert(out.end(), full.begin() + 1, full.end());
  } else {
    out.push_back(t.code);
  }
  return changed;
}

void copy_limits(ByteReader& r, std::vector<uint8_t>& out) {
  size_t at = r.pos();
  uint8_t flags = r.u8();
  bool is64 = flags & 0x04;
  r.uleb(is64 ? 64 : 32);
  if (flags & 0x01) r.uleb(is64 ? 64 : 32);
  if (flags & 0x08) r.u32();
  raw(out, r.data(), at, r.pos());
}

void copy_name(ByteReader& r, std::vector<uint8_t>& out) {
  size_t at = r.pos();
  r.skip(r.u32());
  raw(out, r.data(), at, r.pos());
}

void copy_u32(ByteReader& r, std::vector<uint8_t>& out) {
  size_t at = r.pos();
  r.u32();
  raw(out, r.data(), at, r.pos());
}

// A constant expression up to and including its `end`.
bool copy_const_expr(ByteReader& r, const TypeMap& map, std::vector<uint8_t>& out) {
  bool changed = false;
  while (true) {
    Instruction in = decode_instruction(r);
    changed |= instruction_types_change(r.data(), in, map);
    map_instruction_types(r.data(), in, map, out);
    if (in.is(kNoPrefix, op::kEnd)) return changed;
  }
}

}  // namespace

bool instruction_types_change(const std::vector<uint8_t>& bytes, const Instruction& in, const TypeMap& map) {
  if (in.prefix != kNoPrefix) return false;
  switch (in.code) {
    case op::kBlock: case op::kLoop: case op::kIf: case op::kTry: case op::kTryTable: case 0x1c: case 0xd0: {
      std::vector<uint8_t> out;
      map_instruction_types(bytes, in, map, out);
      return out.size() != in.size || !std::equal(out.begin(), out.end(), bytes.begin() + in.offset);
    }
    default: return false;
  }
}

void map_instruction_types(const std::vector<uint8_t>& bytes, const Instruction& in, const TypeMap& map,
                           std::vector<uint8_t>& out) {
  ByteReader r(bytes, in.immediates, in.offset + in.size);
  bool typed = in.prefix == kNoPrefix;
  switch (typed ? in.code : 0x100) {
    case op::kBlock: case op::kLoop: case op::kIf: case op::kTry: case op::kTryTable: {
      raw(out, bytes, in.offset, in.immediates);
      uint8_t code = r.peek();
      if (code == 0x40) {
        out.push_back(r.u8());
      } else if (code == 0x63 || code == 0x64 || ByteReader::is_value_type_code(code)) {
        copy_value_type(r, map, out);
      }  // else a type index: copied below with the rest
      raw(out, bytes, r.pos(), in.offset + in.size);
      return;
    }
    case 0x1c: {  // select t*
      raw(out, bytes, in.offset, in.immediates);
      uint32_t n = r.u32();
      write_uleb(out, n);
      for (uint32_t i = 0; i < n; ++i) copy_value_type(r, map, out);
      return;
    }
    case 0xd0:  // ref.null ht
      raw(out, bytes, in.offset, in.immediates);
      copy_heap_type(r, map, out);
      return;
  }
  raw(out, bytes, in.offset, in.offset + in.size);
}

bool map_section_types(const std::vector<uint8_t>& bytes, uint8_t id, size_t payload, size_t end,
                       const TypeMap& map, std::vector<uint8_t>& out) {
  enum : uint8_t { kType = 1, kImport = 2, kTable = 4, kGlobal = 6, kElem = 9 };
  if (id != kType && id != kImport && id != kTable && id != kGlobal && id != kElem) return false;
  ByteReader r(bytes, payload, end);
  bool changed = false;
  uint32_t n = r.u32();
  write_uleb(out, n);
  for (uint32_t i = 0; i < n; ++i) {
    switch (id) {
      case kType: {
        uint8_t form = r.u8();
        if (form != 0x60) r.error("type form " + std::to_string(form) + " (only function types are read)");
        out.push_back(form);
        for (int list = 0; list < 2; ++list) {
          uint32_t count = r.u32();
          write_uleb(out, count);
          for (uint32_t k = 0; k < count; ++k) changed |= copy_value_type(r, map, out);
        }
        break;
      }
      case kImport: {
        copy_name(r, out);
        copy_name(r, out);
        uint8_t kind = r.u8();
        out.push_back(kind);
        switch (kind) {
          case 0: copy_u32(r, out); break;
          case 1: changed |= copy_value_type(r, map, out); copy_limits(r, out); break;
          case 2: copy_limits(r, out); break;
          case 3: changed |= copy_value_type(r, map, out); out.push_back(r.u8()); break;
          case 4: out.push_back(r.u8()); copy_u32(r, out); break;
          default: r.error("invalid import kind " + std::to_string(kind));
        }
        break;
      }
      case kTable:
        if (r.peek() == 0x40) {  // a table with an initializer: 0x40 0x00 type limits expr
          out.push_back(r.u8());
          out.push_back(r.u8());
          changed |= copy_value_type(r, map, out);
          copy_limits(r, out);
          changed |= copy_const_expr(r, map, out);
        } else {
          changed |= copy_value_type(r, map, out);
          copy_limits(r, out);
        }
        break;
      case kGlobal:
        changed |= copy_value_type(r, map, out);
        out.push_back(r.u8());
        changed |= copy_const_expr(r, map, out);
        break;
      case kElem: {
        uint32_t flags = r.u32();
        write_uleb(out, flags);
        if (flags > 7) r.error("invalid element segment flags");
        bool passive_or_declared = flags & 1, explicit_table = flags & 2, exprs = flags & 4;
        if (!passive_or_declared && explicit_table) copy_u32(r, out);
        if (!passive_or_declared) changed |= copy_const_expr(r, map, out);
        if (passive_or_declared || explicit_table) {
          if (exprs) changed |= copy_value_type(r, map, out);
          else out.push_back(r.u8());  // elemkind
        }
        uint32_t count = r.u32();
        write_uleb(out, count);
        for (uint32_t k = 0; k < count; ++k) {
          if (exprs) changed |= copy_const_expr(r, map, out);
          else copy_u32(r, out);
        }
        break;
      }
    }
  }
  if (!r.at_end()) r.error("section size mismatch");
  return changed;
}

}  // namespace wasixc::aot::lowering
