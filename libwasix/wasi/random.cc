// random_get over getrandom(2), filling the guest buffer directly.
#include <sys/random.h>

#include <cerrno>

#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {

Errno random_get(Ctx& ctx, u32 buf, u32 buf_len) {
  std::span<uint8_t> out = guest_memory(ctx).bytes(buf, buf_len);
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_from_host(errno);
    }
    done += static_cast<size_t>(n);
  }
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasi
