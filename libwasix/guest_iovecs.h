// Guest iovec arrays (struct { u32 buf; u32 len; }, 8 bytes) gathered into
// host iovecs that point at guest memory, for readv/writev and
// sendmsg/recvmsg alike (zero copy; every buffer bounds-checked).
#pragma once

#include <limits.h>
#include <sys/uio.h>

#include <cstdint>
#include <span>
#include <vector>

#include "process_state.h"
#include "wasi_errno.h"

namespace wasixc {

// Host iovecs, the first few inline: a read or write is mostly one or two
// buffers, and the call should not cost a heap allocation.
class HostIovecs {
 public:
  void resize(size_t n) {
    if (n > kInline) heap_.resize(n);
    size_ = n;
  }
  iovec* data() { return size_ > kInline ? heap_.data() : inline_; }
  size_t size() const { return size_; }
  iovec& operator[](size_t i) { return data()[i]; }

 private:
  static constexpr size_t kInline = 8;
  iovec inline_[kInline];
  std::vector<iovec> heap_;
  size_t size_ = 0;
};

inline Errno gather_iovecs(const wasixc_ctx& ctx, uint32_t iovs, uint32_t iovs_len, HostIovecs* out) {
  if (iovs_len > IOV_MAX) return Errno::INVAL;  // as Linux readv/writev/sendmsg
  GuestMemory mem = guest_memory(ctx);
  out->resize(iovs_len);
  for (uint32_t i = 0; i < iovs_len; ++i) {
    uint32_t buf = mem.load<uint32_t>(iovs + 8ull * i);
    uint32_t len = mem.load<uint32_t>(iovs + 8ull * i + 4);
    std::span<uint8_t> bytes = mem.bytes(buf, len);
    (*out)[i] = iovec{bytes.data(), bytes.size()};
  }
  return Errno::SUCCESS;
}

}  // namespace wasixc
