// The instruction decoder: the opcode and the extent of every instruction
// of a function body, for every opcode wasixc may meet (core, 0xFC misc incl.
// saturating conversions, bulk memory, table ops and wide arithmetic,
// 0xFD SIMD incl. relaxed SIMD, 0xFE atomics, legacy and exnref exception
// handling, tail calls, reference types and typed function references).
// Immediates are checked for form (LEB sizes, types) and skipped; families
// that need them read them again with a ByteReader at `immediates`.
#pragma once

#include <cstddef>
#include <cstdint>

#include "aot/lowering/byte_reader.h"

namespace wasixc::aot::lowering {

// Opcode prefixes: single-byte opcodes have prefix 0.
enum Prefix : uint8_t { kNoPrefix = 0, kGcPrefix = 0xfb, kMiscPrefix = 0xfc, kSimdPrefix = 0xfd, kAtomicPrefix = 0xfe };

struct Instruction {
  size_t offset = 0;      // first byte, in the module
  size_t size = 0;        // opcode and immediates
  size_t immediates = 0;  // first byte after the opcode
  uint8_t prefix = kNoPrefix;
  uint32_t code = 0;      // the opcode (after the prefix)
  bool is(uint8_t p, uint32_t c) const { return prefix == p && code == c; }
};

// Single-byte opcodes the rewriters care about.
namespace op {
constexpr uint32_t kBlock = 0x02, kLoop = 0x03, kIf = 0x04, kElse = 0x05, kTry = 0x06, kCatch = 0x07,
                   kThrow = 0x08, kRethrow = 0x09, kThrowRef = 0x0a, kEnd = 0x0b, kBr = 0x0c, kBrIf = 0x0d,
                   kBrTable = 0x0e, kReturn = 0x0f, kCall = 0x10, kCallIndirect = 0x11, kReturnCall = 0x12,
                   kReturnCallIndirect = 0x13, kDelegate = 0x18, kCatchAll = 0x19, kTryTable = 0x1f;
// 0xFC wide arithmetic (the wide-arithmetic proposal).
constexpr uint32_t kI64Add128 = 19, kI64Sub128 = 20, kI64MulWideS = 21, kI64MulWideU = 22;
}  // namespace op

// Decodes the instruction at r.pos() and leaves r after it. Throws
// DecodeError on an unknown opcode or malformed immediates.
Instruction decode_instruction(ByteReader& r);

}  // namespace wasixc::aot::lowering
