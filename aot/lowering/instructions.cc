// The instruction decoder (instructions.h). Encodings: the core spec's
// binary format (5.4), the threads, SIMD, relaxed SIMD, exception handling
// (legacy and exnref), tail call, typed function references and
// wide-arithmetic proposals.
#include "aot/lowering/instructions.h"

#include <cstdio>
#include <string>

namespace wasixc::aot::lowering {
namespace {

// memarg: alignment flags (bit 6: a memory index follows, multi-memory),
// then the offset (u64 under memory64; wabt checks the range).
void memarg(ByteReader& r) {
  uint32_t flags = r.u32();
  if (flags & 0x40) r.u32();
  r.uleb(64);
}

[[noreturn]] void unknown(ByteReader&, size_t at, const char* prefix, uint32_t code) {
  char text[48];
  snprintf(text, sizeof text, "unknown opcode %s0x%x", prefix, code);
  throw DecodeError{at, text};
}

void misc_immediates(ByteReader& r, size_t at, uint32_t code) {
  switch (code) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:  // trunc_sat
      return;
    case 8: r.u32(); r.u32(); return;   // memory.init data memory
    case 9: r.u32(); return;            // data.drop data
    case 10: r.u32(); r.u32(); return;  // memory.copy dst src
    case 11: r.u32(); return;           // memory.fill memory
    case 12: r.u32(); r.u32(); return;  // table.init elem table
    case 13: r.u32(); return;           // elem.drop elem
    case 14: r.u32(); r.u32(); return;  // table.copy dst src
    case 15: case 16: case 17: r.u32(); return;  // table.grow/size/fill table
    case op::kI64Add128: case op::kI64Sub128: case op::kI64MulWideS: case op::kI64MulWideU:
      return;
    default: unknown(r, at, "0xfc ", code);
  }
}

void simd_immediates(ByteReader& r, size_t at, uint32_t code) {
  if (code <= 11) return memarg(r);                      // v128.load* / v128.store
  if (code == 12 || code == 13) return r.skip(16);       // v128.const, i8x16.shuffle
  if (code >= 21 && code <= 34) return r.skip(1);        // extract/replace_lane: lane
  if (code >= 84 && code <= 91) { memarg(r); r.skip(1); return; }  // load/store_lane
  if (code == 92 || code == 93) return memarg(r);        // load32/64_zero
  if (code <= 255) return;                               // the rest take none
  if (code >= 0x100 && code <= 0x113) return;            // relaxed SIMD
  unknown(r, at, "0xfd ", code);
}

void atomic_immediates(ByteReader& r, size_t at, uint32_t code) {
  if (code <= 0x02) return memarg(r);  // notify, wait32, wait64
  if (code == 0x03) {                  // atomic.fence: a reserved zero byte
    if (r.u8() != 0) r.error("atomic.fence: reserved byte must be 0");
    return;
  }
  if (code >= 0x10 && code <= 0x4e) return memarg(r);  // loads, stores, rmw, cmpxchg
  unknown(r, at, "0xfe ", code);
}

}  // namespace

Instruction decode_instruction(ByteReader& r) {
  Instruction in;
  in.offset = r.pos();
  uint8_t b = r.u8();
  switch (b) {
    case kMiscPrefix:
    case kSimdPrefix:
    case kAtomicPrefix:
      in.prefix = b;
      in.code = r.u32();
      in.immediates = r.pos();
      if (b == kMiscPrefix) misc_immediates(r, in.offset, in.code);
      else if (b == kSimdPrefix) simd_immediates(r, in.offset, in.code);
      else atomic_immediates(r, in.offset, in.code);
      in.size = r.pos() - in.offset;
      return in;
    default: break;
  }
  in.code = b;
  in.immediates = r.pos();
  switch (b) {
    case 0x00: case 0x01: case 0x05: case op::kThrowRef: case op::kEnd: case op::kReturn:
    case op::kCatchAll: case 0x1a: case 0x1b:  // drop, select
    case 0xd1: case 0xd3: case 0xd4:           // ref.is_null, ref.eq, ref.as_non_null
      break;
    case op::kBlock: case op::kLoop: case op::kIf: case op::kTry:
      r.block_type();
      break;
    case op::kCatch: case op::kThrow: case op::kRethrow: case op::kDelegate:  // tag / label
    case op::kBr: case op::kBrIf:
    case op::kCall: case op::kReturnCall:
    case 0x14: case 0x15:                            // call_ref, return_call_ref: type
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:  // local.*, global.*
    case 0x25: case 0x26:                            // table.get/set
    case 0x3f: case 0x40:                            // memory.size/grow: memory
    case 0xd2:                                       // ref.func
    case 0xd5: case 0xd6:                            // br_on_null, br_on_non_null
      r.u32();
      break;
    case op::kBrTable: {
      uint32_t n = r.u32();
      for (uint32_t i = 0; i < n; ++i) r.u32();  // each at least a byte: bounded by the body
      r.u32();                                   // default
      break;
    }
    case op::kCallIndirect: case op::kReturnCallIndirect:
      r.u32();  // type
      r.u32();  // table (a u32 LEB since reference types, overlong forms too)
      break;
    case 0x1c: {  // select t*
      uint32_t n = r.u32();
      for (uint32_t i = 0; i < n; ++i) r.value_type();
      break;
    }
    case op::kTryTable: {
      r.block_type();
      uint32_t n = r.u32();
      for (uint32_t i = 0; i < n; ++i) {
        uint8_t kind = r.u8();
        if (kind > 3) r.error("invalid catch clause kind");
        if (kind < 2) r.u32();  // catch / catch_ref: tag
        r.u32();                // label
      }
      break;
    }
    case 0x41: r.sleb(32); break;
    case 0x42: r.sleb(64); break;
    case 0x43: r.skip(4); break;
    case 0x44: r.skip(8); break;
    case 0xd0: r.heap_type(); break;  // ref.null
    default:
      if (b >= 0x28 && b <= 0x3e) {  // loads and stores
        memarg(r);
      } else if (b >= 0x45 && b <= 0xc4) {  // numeric, sign extension: no immediates
      } else {
        unknown(r, in.offset, "", b);
      }
  }
  in.size = r.pos() - in.offset;
  return in;
}

}  // namespace wasixc::aot::lowering
