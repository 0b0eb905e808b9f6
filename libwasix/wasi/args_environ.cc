// args_* and environ_*: the guest's argv and environment, laid out the
// WASI way: an array of u32 pointers plus one buffer of NUL-terminated
// strings.
#include <string>
#include <vector>

#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

Errno sizes(Ctx& ctx, const std::vector<std::string>& list, u32 count_out,
            u32 size_out) {
  uint64_t bytes = 0;
  for (const std::string& s : list) bytes += s.size() + 1;
  if (bytes > UINT32_MAX) return Errno::TOOBIG;
  GuestMemory mem = guest_memory(ctx);
  mem.store<u32>(count_out, static_cast<u32>(list.size()));
  mem.store<u32>(size_out, static_cast<u32>(bytes));
  return Errno::SUCCESS;
}

Errno strings(Ctx& ctx, const std::vector<std::string>& list, u32 pointers,
              u32 buffer) {
  GuestMemory mem = guest_memory(ctx);
  uint64_t cursor = buffer;
  for (size_t i = 0; i < list.size(); ++i) {
    mem.store<u32>(pointers + 4 * i, static_cast<u32>(cursor));
    mem.copy_out(cursor, list[i].c_str(), list[i].size() + 1);
    cursor += list[i].size() + 1;
  }
  return Errno::SUCCESS;
}

}  // namespace

Errno args_sizes_get(Ctx& ctx, u32 argc_out, u32 buf_size_out) {
  return sizes(ctx, process_state().args, argc_out, buf_size_out);
}

Errno args_get(Ctx& ctx, u32 argv, u32 argv_buf) {
  return strings(ctx, process_state().args, argv, argv_buf);
}

Errno environ_sizes_get(Ctx& ctx, u32 count_out, u32 buf_size_out) {
  return sizes(ctx, process_state().env, count_out, buf_size_out);
}

Errno environ_get(Ctx& ctx, u32 environ, u32 environ_buf) {
  return strings(ctx, process_state().env, environ, environ_buf);
}

}  // namespace wasixc::wasi
