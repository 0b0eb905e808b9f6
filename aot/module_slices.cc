#include "module_slices.h"

#include <algorithm>

namespace wasixc::aot {
namespace {

constexpr size_t kHeader = 8;  // magic and version
constexpr uint8_t kCodeSection = 10, kDataSection = 11;
// What follows a stub's local declarations: unreachable, end. It
// validates whatever the signature.
constexpr uint8_t kStubCode[] = {0x00, 0x0b};

// LEB128 u32 at `pos`; false past the end or over 5 bytes.
bool read_u32(const std::vector<uint8_t>& bytes, size_t* pos, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift <= 28; shift += 7) {
    if (*pos >= bytes.size()) return false;
    uint8_t b = bytes[(*pos)++];
    *value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return *value <= UINT32_MAX;
  }
  return false;
}

// Skips a constant expression up to and including its `end`; false on an
// instruction a constant expression cannot hold (the reader reports it).
bool skip_const_expr(const std::vector<uint8_t>& bytes, size_t* pos) {
  uint64_t ignored;
  while (*pos < bytes.size()) {
    uint8_t op = bytes[(*pos)++];
    switch (op) {
      case 0x0b: return true;  // end
      case 0x41:               // i32.const, i64.const: signed LEB128
      case 0x42:
        while (*pos < bytes.size() && (bytes[*pos] & 0x80)) ++*pos;
        ++*pos;
        break;
      case 0x43: *pos += 4; break;  // f32.const
      case 0x44: *pos += 8; break;  // f64.const
      case 0x23:                    // global.get
      case 0xd2:                    // ref.func
        if (!read_u32(bytes, pos, &ignored)) return false;
        break;
      case 0xd0: ++*pos; break;  // ref.null heap type (one byte in these proposals)
      case 0x6a: case 0x6b: case 0x6c:  // i32 and i64 add, sub, mul (extended-const)
      case 0x7c: case 0x7d: case 0x7e: break;
      default: return false;
    }
  }
  return false;
}

// The data section's segments (flags, memory, offset, then the payload):
// false if anything is not as the format says.
bool scan_data_segments(const std::vector<uint8_t>& bytes, size_t pos, size_t end,
                        std::vector<ModuleSlicer::Segment>* out, size_t* first_segment) {
  uint64_t count;
  if (!read_u32(bytes, &pos, &count) || count > end - pos) return false;
  *first_segment = pos;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t flags, memory;
    if (!read_u32(bytes, &pos, &flags) || flags > 2) return false;
    if (flags == 2 && !read_u32(bytes, &pos, &memory)) return false;
    if (flags != 1 && !skip_const_expr(bytes, &pos)) return false;
    if (pos > end) return false;
    size_t payload = pos;
    uint64_t size;
    if (!read_u32(bytes, &pos, &size) || size > end - pos) return false;
    out->push_back({payload, pos - payload, size});
    pos += size;
  }
  return pos == end;
}

// The local declarations at the start of a body (a count, then pairs of
// a count and a value type); false if they do not parse.
bool skip_local_decls(const std::vector<uint8_t>& bytes, size_t* pos, size_t end) {
  uint64_t groups, count;
  if (!read_u32(bytes, pos, &groups)) return false;
  for (uint64_t i = 0; i < groups; ++i) {
    if (!read_u32(bytes, pos, &count) || *pos >= end) return false;
    uint8_t type = bytes[(*pos)++];
    if (type == 0x63 || type == 0x64) {  // (ref null? ht): a signed LEB128 heap type
      while (*pos < end && (bytes[*pos] & 0x80)) ++*pos;
      ++*pos;
    }
    if (*pos > end) return false;
  }
  return true;
}

size_t u32_size(uint64_t v) {
  size_t n = 1;
  while (v >>= 7) ++n;
  return n;
}

void write_u32(std::vector<uint8_t>* out, uint64_t value) {
  do {
    uint8_t b = value & 0x7f;
    value >>= 7;
    out->push_back(b | (value ? 0x80 : 0));
  } while (value);
}

}  // namespace

size_t ModuleSlicer::Range::stub_size() const {
  return u32_size(locals + sizeof kStubCode) + locals + sizeof kStubCode;
}

size_t ModuleSlice::original_offset(size_t offset) const {
  // The last run starting at or before `offset`.
  auto it = std::upper_bound(runs.begin(), runs.end(), offset,
                             [](size_t off, const Run& r) { return off < r.slice_begin; });
  if (it == runs.begin()) return offset;
  --it;
  if (offset - it->slice_begin < it->size) return it->original_begin + (offset - it->slice_begin);
  return code_section;
}

std::optional<size_t> ModuleSlicer::body_at(size_t offset) const {
  // The last body starting at or before `offset`.
  auto it = std::upper_bound(bodies_.begin(), bodies_.end(), offset,
                             [](size_t off, const Range& r) { return off < r.begin; });
  if (it == bodies_.begin()) return std::nullopt;
  --it;
  if (offset - it->begin >= it->prefix + it->size) return std::nullopt;
  return static_cast<size_t>(it - bodies_.begin());
}

std::optional<ModuleSlicer> ModuleSlicer::scan(const std::vector<uint8_t>& bytes) {
  ModuleSlicer s;
  if (bytes.size() < kHeader) return std::nullopt;
  size_t pos = kHeader;
  while (pos < bytes.size()) {
    size_t start = pos;
    uint8_t id = bytes[pos++];
    uint64_t size;
    if (!read_u32(bytes, &pos, &size) || size > bytes.size() - pos) return std::nullopt;
    size_t end = pos + size;
    if (id == kCodeSection) {
      if (s.has_code_) return std::nullopt;  // a second code section: malformed
      s.has_code_ = true;
      s.code_begin_ = start;
      s.code_end_ = end;
      uint64_t count;
      if (!read_u32(bytes, &pos, &count) || count > size) return std::nullopt;  // each body takes a byte
      s.bodies_.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        size_t body = pos;
        uint64_t body_size;
        if (!read_u32(bytes, &pos, &body_size) || body_size > end - pos) return std::nullopt;
        size_t locals = pos;
        if (!skip_local_decls(bytes, &locals, pos + body_size)) return std::nullopt;
        s.bodies_.push_back({body, body_size, pos - body, locals - pos});
        pos += body_size;
      }
      if (pos != end) return std::nullopt;  // the reader says how
    } else if (id == kDataSection && !s.has_data_) {
      s.has_data_ = true;
      s.data_begin_ = start;
      s.data_end_ = end;
      s.data_payload_begin_ = pos;
      s.data_understood_ = scan_data_segments(bytes, pos, end, &s.segments_, &s.data_segments_begin_);
      if (!s.data_understood_) s.segments_.clear();
    }
    pos = end;
  }
  return s;
}

ModuleSlice ModuleSlicer::slice(const std::vector<uint8_t>& module, const std::function<bool(size_t body)>& keep,
                                bool with_data) const {
  ModuleSlice out;
  out.code_section = code_begin_;
  size_t from = 0;  // the module's bytes up to here are in the slice
  // Copies the module's bytes up to `to`, one run where contiguous.
  auto copy_to = [&](size_t to) {
    if (to <= from) return;
    if (!out.runs.empty() && out.runs.back().original_begin + out.runs.back().size == from &&
        out.runs.back().slice_begin + out.runs.back().size == out.bytes.size())
      out.runs.back().size += to - from;
    else
      out.runs.push_back({out.bytes.size(), from, to - from});
    out.bytes.insert(out.bytes.end(), module.begin() + from, module.begin() + to);
    from = to;
  };
  auto section_header = [&](uint8_t id, size_t payload) {
    out.bytes.push_back(id);
    write_u32(&out.bytes, payload);
  };
  bool leave_data_out = !with_data && data_understood_ && (!has_code_ || data_begin_ > code_end_);
  if (has_code_) {
    std::vector<bool> real(bodies_.size());
    size_t payload = u32_size(bodies_.size());
    for (size_t i = 0; i < bodies_.size(); ++i) {
      real[i] = keep(i);
      payload += real[i] ? bodies_[i].prefix + bodies_[i].size : bodies_[i].stub_size();
    }
    copy_to(code_begin_);
    section_header(kCodeSection, payload);
    write_u32(&out.bytes, bodies_.size());
    for (size_t i = 0; i < bodies_.size(); ++i) {
      if (real[i]) {
        from = bodies_[i].begin;
        copy_to(bodies_[i].begin + bodies_[i].prefix + bodies_[i].size);
      } else {
        const Range& r = bodies_[i];
        write_u32(&out.bytes, r.locals + sizeof kStubCode);
        auto locals = module.begin() + r.begin + r.prefix;  // no run: nothing in it can be wrong
        out.bytes.insert(out.bytes.end(), locals, locals + r.locals);
        out.bytes.insert(out.bytes.end(), std::begin(kStubCode), std::end(kStubCode));
      }
    }
    from = code_end_;
  }
  if (leave_data_out) {
    // The segment count, each segment's header (flags, memory, offset) as
    // it is, and an empty payload.
    size_t payload = data_segments_begin_ - data_payload_begin_;
    size_t header_begin = data_segments_begin_;
    for (const Segment& seg : segments_) {
      payload += seg.payload - header_begin + 1;
      header_begin = seg.payload + seg.prefix + seg.size;
    }
    copy_to(data_begin_);
    section_header(kDataSection, payload);
    from = data_payload_begin_;
    for (const Segment& seg : segments_) {
      copy_to(seg.payload);
      out.bytes.push_back(0);
      from = seg.payload + seg.prefix + seg.size;
    }
    from = data_end_;
  }
  copy_to(module.size());
  return out;
}

}  // namespace wasixc::aot
