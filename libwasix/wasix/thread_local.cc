// thread_local_create/destroy/set/get (the 2023 WASIX ABI; wasix-libc
// since keeps thread-locals in wasm TLS): decode, then the kernel's keys
// (kernel/thread_locals.h). Key u32, user data and values u64.
#include "kernel/thread_locals.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {

Errno thread_local_create(Ctx& ctx, u64 user_data, u32 key_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(key_out, 4);  // EFAULT before a key is spent
  u32 key = 0;
  if (int e = kernel::thread_local_create(user_data, &key)) return errno_from_host(e);
  mem.store<u32>(key_out, key);
  return Errno::SUCCESS;
}

Errno thread_local_destroy(Ctx&, u32 key) { return errno_from_host(kernel::thread_local_destroy(key)); }

Errno thread_local_set(Ctx&, u32 key, u64 value) { return errno_from_host(kernel::thread_local_set(key, value)); }

Errno thread_local_get(Ctx& ctx, u32 key, u32 value_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(value_out, 8);
  u64 value = 0;
  if (int e = kernel::thread_local_get(key, &value)) return errno_from_host(e);
  mem.store<u64>(value_out, value);
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
