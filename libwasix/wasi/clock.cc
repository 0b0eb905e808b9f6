// clock_time_get / clock_res_get over clock_gettime(2) / clock_getres(2).
// WASI clock ids: 0 REALTIME, 1 MONOTONIC, 2 PROCESS_CPUTIME, 3 THREAD_CPUTIME.
#include <time.h>

#include <cerrno>

#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

bool host_clock(u32 id, clockid_t* out) {
  switch (id) {
    case 0: *out = CLOCK_REALTIME; return true;
    case 1: *out = CLOCK_MONOTONIC; return true;
    case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

u64 to_ns(const timespec& ts) {
  return static_cast<u64>(ts.tv_sec) * 1000000000ull +
         static_cast<u64>(ts.tv_nsec);
}

}  // namespace

Errno clock_time_get(Ctx& ctx, u32 clock_id, u64 /*precision*/, u32 time_out) {
  clockid_t id;
  if (!host_clock(clock_id, &id)) return Errno::INVAL;
  timespec ts;
  if (clock_gettime(id, &ts) != 0) return errno_from_host(errno);
  guest_memory(ctx).store<u64>(time_out, to_ns(ts));
  return Errno::SUCCESS;
}

Errno clock_res_get(Ctx& ctx, u32 clock_id, u32 resolution_out) {
  clockid_t id;
  if (!host_clock(clock_id, &id)) return Errno::INVAL;
  timespec ts;
  if (clock_getres(id, &ts) != 0) return errno_from_host(errno);
  guest_memory(ctx).store<u64>(resolution_out, to_ns(ts));
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasi
