// Reading the WebAssembly binary format: LEB128 integers, bytes and the
// value / block / heap types that instruction immediates and sections hold.
// Every read is bounds-checked; running off the end or an over-long LEB
// throws DecodeError with the byte offset (in the whole module).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wasixc::aot::lowering {

struct DecodeError {
  size_t offset;
  std::string message;
};

class ByteReader {
 public:
  // Reads bytes [begin, end) of `data` (a whole module, so offsets in
  // errors are the module's).
  ByteReader(const std::vector<uint8_t>& data, size_t begin, size_t end) : data_(data), pos_(begin), end_(end) {}

  const std::vector<uint8_t>& data() const { return data_; }
  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  bool at_end() const { return pos_ >= end_; }
  size_t remaining() const { return end_ - pos_; }
  [[noreturn]] void error(const std::string& what) const { throw DecodeError{pos_, what}; }

  uint8_t u8() {
    if (pos_ >= end_) error("unexpected end");
    return data_[pos_++];
  }
  uint8_t peek() const {
    if (pos_ >= end_) error("unexpected end");
    return data_[pos_];
  }
  void skip(size_t n) {
    if (n > end_ - pos_) error("unexpected end");
    pos_ += n;
  }
  // Unsigned LEB128 of at most `bits` bits (u32, u64), as the binary format
  // allows: at most ceil(bits/7) bytes, unused bits of the last byte zero.
  uint64_t uleb(unsigned bits) {
    if (pos_ < end_ && data_[pos_] < 0x80) return data_[pos_++];  // the common one-byte form
    uint64_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (shift >= bits) error("integer representation too long");
      uint8_t b = u8();
      uint64_t payload = b & 0x7f;
      if (bits - shift < 7 && (payload >> (bits - shift)) != 0) error("integer too large");
      value |= payload << shift;
      if (!(b & 0x80)) return value;
    }
  }
  // Signed LEB128 of at most `bits` bits (s32, s33, s64); unused bits of the
  // last byte must be the sign's extension.
  int64_t sleb(unsigned bits) {
    int64_t value = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (shift >= bits) error("integer representation too long");
      uint8_t b = u8();
      uint64_t payload = b & 0x7f;
      if (bits - shift < 7) {
        // The bits past `bits` (in this byte's payload) must copy the sign.
        unsigned used = bits - shift;  // 1..6 bits carry the value
        uint64_t high = payload >> (used - 1);  // the sign bit and what follows
        if (high != 0 && high != (0x7fu >> (used - 1))) error("integer too large");
      }
      value |= static_cast<int64_t>(payload << shift);
      if (!(b & 0x80)) {
        if (shift + 7 < 64 && (b & 0x40)) value |= -(static_cast<int64_t>(1) << (shift + 7));
        return value;
      }
    }
  }
  uint32_t u32() { return static_cast<uint32_t>(uleb(32)); }

  // A value type: a one-byte code, or a (ref null? ht) with a heap type.
  void value_type() {
    uint8_t code = u8();
    if (code == 0x63 || code == 0x64) return heap_type();
    if (!is_value_type_code(code)) { --pos_; error("invalid value type"); }
  }
  // A heap type: an abstract type's one-byte code or a type index (s33).
  void heap_type() {
    int64_t t = sleb(33);
    if (t < 0 && !is_value_type_code(static_cast<uint8_t>(t & 0x7f))) error("invalid heap type");
  }
  // A block type: empty (0x40), one value type, or a type index (s33).
  void block_type() {
    uint8_t code = peek();
    if (code == 0x40) return skip(1);
    if (code == 0x63 || code == 0x64 || is_value_type_code(code)) return value_type();
    if (sleb(33) < 0) error("invalid block type");
  }

  static bool is_value_type_code(uint8_t code) {
    // i32 i64 f32 f64 v128, and the abstract reference types (funcref
    // 0x70, externref 0x6f, exnref 0x69, and the GC proposal's 0x6a-0x74).
    return (code >= 0x7b && code <= 0x7f) || (code >= 0x69 && code <= 0x74);
  }

 private:
  const std::vector<uint8_t>& data_;
  size_t pos_, end_;
};

// Appends unsigned / signed LEB128 (shortest form).
inline void write_uleb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
}

}  // namespace wasixc::aot::lowering
