// Guest memory access — contract 3 of DESIGN.md.
//
// Syscall handlers reach guest linear memory only through this class:
// typed little-endian loads/stores, copies in and out, and checked byte
// views for bulk I/O. Every access is bounds-checked against the memory's
// current size; a bad guest pointer throws GuestFault, which the syscall
// dispatcher turns into EFAULT (what Linux returns for a bad user pointer).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>

#include "wasixc/abi.h"

namespace wasixc {

static_assert(std::endian::native == std::endian::little,
              "guest memory is little-endian; a big-endian host needs byte "
              "swaps in load/store");

struct GuestFault {
  uint64_t address;
  uint64_t length;
};

class GuestMemory {
 public:
  explicit GuestMemory(const wasixc_memory* mem) : mem_(mem) {}

  uint64_t size() const { return mem_ ? mem_->size : 0; }

  // Throws GuestFault unless [addr, addr + len) lies inside the memory.
  void check(uint64_t addr, uint64_t len) const {
    if (addr + len > size() || addr + len < addr) throw GuestFault{addr, len};
  }

  template <typename T>
  T load(uint64_t addr) const {
    static_assert(std::is_trivially_copyable_v<T>);
    check(addr, sizeof(T));
    T value;
    std::memcpy(&value, mem_->data + addr, sizeof(T));
    return value;
  }

  template <typename T>
  void store(uint64_t addr, T value) const {
    static_assert(std::is_trivially_copyable_v<T>);
    check(addr, sizeof(T));
    std::memcpy(mem_->data + addr, &value, sizeof(T));
  }

  void copy_in(void* dst, uint64_t addr, uint64_t len) const {
    check(addr, len);
    std::memcpy(dst, mem_->data + addr, len);
  }

  void copy_out(uint64_t addr, const void* src, uint64_t len) const {
    check(addr, len);
    std::memcpy(mem_->data + addr, src, len);
  }

  // A (ptr, len) guest string; no NUL terminator needed.
  std::string string(uint64_t addr, uint64_t len) const {
    check(addr, len);
    return std::string(reinterpret_cast<const char*>(mem_->data + addr), len);
  }

  // A checked view for zero-copy I/O (readv/writev into guest buffers).
  std::span<uint8_t> bytes(uint64_t addr, uint64_t len) const {
    check(addr, len);
    return {mem_->data + addr, static_cast<size_t>(len)};
  }

 private:
  const wasixc_memory* mem_;
};

}  // namespace wasixc
