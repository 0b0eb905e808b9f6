#include "thread_locals.h"

#include <errno.h>
#include <pthread.h>

#include <mutex>
#include <unordered_map>

namespace wasixc::kernel {
namespace {

// Live keys and their creator's user data (kept for a destructor call).
std::mutex g_lock;
std::unordered_map<uint32_t, uint64_t> g_keys;
uint32_t g_last_key = 0;
// A fork(2) child must not inherit the lock held by another thread.
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_lock.lock(); }, [] { g_lock.unlock(); }, [] { g_lock.unlock(); });
  return true;
}();

// The calling host thread's values: a guest thread is a host thread, so
// they end with it, and a fork child keeps the forking thread's.
thread_local std::unordered_map<uint32_t, uint64_t> t_values;

bool live_locked(uint32_t key) { return g_keys.count(key) != 0; }

}  // namespace

int thread_local_create(uint64_t user_data, uint32_t* key) {
  std::lock_guard<std::mutex> hold(g_lock);
  // pthread_key_create(3): EAGAIN when PTHREAD_KEYS_MAX keys exist; keys
  // are not reused, so running out of numbers is EAGAIN too.
  if (g_keys.size() >= kMaxThreadLocalKeys || g_last_key == UINT32_MAX) return EAGAIN;
  *key = ++g_last_key;
  g_keys.emplace(*key, user_data);
  return 0;
}

int thread_local_destroy(uint32_t key) {
  std::lock_guard<std::mutex> hold(g_lock);
  if (g_keys.erase(key) == 0) return EINVAL;  // pthread_key_delete(3)
  t_values.erase(key);  // other threads' values are unreachable: keys are never reused
  return 0;
}

int thread_local_set(uint32_t key, uint64_t value) {
  std::lock_guard<std::mutex> hold(g_lock);
  if (!live_locked(key)) return EINVAL;  // pthread_setspecific(3)
  // Drop values of destroyed keys before this thread's map outgrows the
  // live keys, so a guest cycling keys cannot grow it without bound.
  if (t_values.size() >= 2 * g_keys.size() + 16)
    for (auto it = t_values.begin(); it != t_values.end();)
      it = live_locked(it->first) ? std::next(it) : t_values.erase(it);
  t_values[key] = value;
  return 0;
}

int thread_local_get(uint32_t key, uint64_t* value) {
  std::lock_guard<std::mutex> hold(g_lock);
  if (!live_locked(key)) return EINVAL;
  auto it = t_values.find(key);
  *value = it == t_values.end() ? 0 : it->second;
  return 0;
}

}  // namespace wasixc::kernel
