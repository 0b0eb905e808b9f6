// Thread-local keys of the 2023 WASIX ABI (thread_local_create / destroy /
// set / get): pthread_key_create(3) and friends served by the host. A key
// is process-wide; each guest thread (a host thread) has its own value
// for it, 0 until that thread sets one. POSIX rules:
//   - at most kMaxThreadLocalKeys live keys (PTHREAD_KEYS_MAX, Linux's
//     1024): create then fails with EAGAIN;
//   - set/get/destroy of a key that is not live: EINVAL;
//   - a new thread starts with no values; a fork(2) child keeps the
//     forking thread's (its memory is a copy of the parent's).
// Keys are never reused, so a value left by a destroyed key can never be
// read through a later one. The guest's destructor export
// (`_thread_local_destroy`) is not called.
#pragma once

#include <cstdint>

namespace wasixc::kernel {

constexpr uint32_t kMaxThreadLocalKeys = 1024;

// 0 and *key, or EAGAIN (too many live keys, or keys exhausted).
int thread_local_create(uint64_t user_data, uint32_t* key);
int thread_local_destroy(uint32_t key);
int thread_local_set(uint32_t key, uint64_t value);
int thread_local_get(uint32_t key, uint64_t* value);

}  // namespace wasixc::kernel
