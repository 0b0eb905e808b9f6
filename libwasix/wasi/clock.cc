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

// Reads clock `clock_id` with `query` (clock_gettime or clock_getres) and
// stores the result in nanoseconds at `out`.
Errno query_clock(Ctx& ctx, u32 clock_id, u32 out, int (*query)(clockid_t, timespec*)) {
  clockid_t id;
  if (!host_clock(clock_id, &id)) return Errno::INVAL;
  timespec ts;
  if (query(id, &ts) != 0) return errno_from_host(errno);
  guest_memory(ctx).store<u64>(out, to_ns(ts));
  return Errno::SUCCESS;
}

}  // namespace

Errno clock_time_get(Ctx& ctx, u32 clock_id, u64 /*precision*/, u32 time_out) {
  return query_clock(ctx, clock_id, time_out, ::clock_gettime);
}

Errno clock_res_get(Ctx& ctx, u32 clock_id, u32 resolution_out) {
  return query_clock(ctx, clock_id, resolution_out, ::clock_getres);
}

}  // namespace wasixc::wasi
