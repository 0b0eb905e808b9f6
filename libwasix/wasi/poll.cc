// poll_oneoff: wait for clock timeouts and fd readiness, over ppoll(2).
// wasi-libc builds sleep/nanosleep/poll/select on it.
//
// subscription (48 bytes): userdata u64 @0, tag u8 @8 (0 clock, 1 fd_read,
//   2 fd_write); clock: id u32 @16, timeout u64 @24, precision u64 @32,
//   flags u16 @40 (1 = absolute); fd: fd u32 @16.
// event (32 bytes): userdata u64 @0, error u16 @8, type u8 @10,
//   nbytes u64 @16, flags u16 @24 (1 = hangup).
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "kernel/signals.h"
#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

constexpr uint64_t kNanos = 1000000000ull;

uint64_t now_ns(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * kNanos + static_cast<uint64_t>(ts.tv_nsec);
}

struct Subscription {
  uint64_t userdata;
  uint8_t type;
  // clock: absolute deadline on CLOCK_MONOTONIC; fd: the guest fd
  uint64_t deadline = 0;
  uint32_t fd = 0;
  int poll_index = -1;
  Errno error = Errno::SUCCESS;
};

void write_event(GuestMemory& mem, uint64_t at, const Subscription& s, uint64_t nbytes, uint16_t flags) {
  uint8_t event[32] = {};
  memcpy(event, &s.userdata, 8);
  uint16_t error = static_cast<uint16_t>(s.error);
  memcpy(event + 8, &error, 2);
  event[10] = s.type;
  memcpy(event + 16, &nbytes, 8);
  memcpy(event + 24, &flags, 2);
  mem.copy_out(at, event, sizeof event);
}

}  // namespace

Errno poll_oneoff(Ctx& ctx, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out) {
  return poll_subscriptions(ctx, in, out, nsubscriptions, nevents_out, kPreview1Subscription);
}

Errno poll_subscriptions(Ctx& ctx, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out,
                         const SubscriptionLayout& layout) {
  if (nsubscriptions == 0) return Errno::INVAL;
  GuestMemory mem = guest_memory(ctx);
  mem.check(in, uint64_t{nsubscriptions} * layout.size);
  mem.check(out, uint64_t{nsubscriptions} * 32);
  std::vector<Subscription> subs(nsubscriptions);
  std::vector<pollfd> fds;
  uint64_t earliest = UINT64_MAX;
  for (u32 i = 0; i < nsubscriptions; ++i) {
    uint64_t base = in + uint64_t{layout.size} * i;
    Subscription& s = subs[i];
    s.userdata = mem.load<uint64_t>(base);
    s.type = mem.load<uint8_t>(base + 8);
    if (s.type == 0) {
      u32 clock_id = mem.load<u32>(base + layout.clock_id);
      uint64_t timeout = mem.load<uint64_t>(base + layout.clock_timeout);
      bool absolute = mem.load<uint16_t>(base + layout.clock_flags) & 1;
      clockid_t id = clock_id == 0 ? CLOCK_REALTIME : CLOCK_MONOTONIC;
      if (clock_id > 3) s.error = Errno::INVAL;
      // Deadlines are kept on the monotonic clock.
      uint64_t remaining = timeout;
      if (absolute) {
        uint64_t now = now_ns(id);
        remaining = timeout > now ? timeout - now : 0;
      }
      uint64_t mono = now_ns(CLOCK_MONOTONIC);
      s.deadline = remaining > UINT64_MAX - mono ? UINT64_MAX : mono + remaining;
      if (s.error == Errno::SUCCESS && s.deadline < earliest) earliest = s.deadline;
    } else if (s.type == 1 || s.type == 2) {
      s.fd = mem.load<u32>(base + 16);
      std::optional<FdEntry> entry = process_state().fds.get(s.fd);
      if (!entry) {
        s.error = Errno::BADF;
        earliest = 0;  // report the error at once
      } else {
        s.poll_index = static_cast<int>(fds.size());
        fds.push_back({entry->host_fd, static_cast<short>(s.type == 1 ? POLLIN : POLLOUT), 0});
      }
    } else {
      return Errno::INVAL;
    }
  }

  for (;;) {
    timespec timeout;
    timespec* timeout_ptr = nullptr;
    if (earliest != UINT64_MAX) {
      uint64_t now = now_ns(CLOCK_MONOTONIC);
      uint64_t wait = earliest > now ? earliest - now : 0;
      timeout = {static_cast<time_t>(wait / kNanos), static_cast<long>(wait % kNanos)};
      timeout_ptr = &timeout;
    }
    int ready = ppoll(fds.data(), fds.size(), timeout_ptr, nullptr);
    if (ready < 0 && errno == EINTR) {
      // The handler runs now, during the wait; then the wait goes on, as
      // WASIX specifies for poll_oneoff (wasix-abi.md §3.1). Linux would
      // end nanosleep with EINTR, but wasi-libc turns any poll_oneoff
      // error into ENOTSUP, so EINTR would only break guests.
      kernel::deliver_pending(&ctx);
      continue;
    }
    if (ready < 0) return errno_from_host(errno);
    uint64_t now = now_ns(CLOCK_MONOTONIC);
    u32 nevents = 0;
    for (const Subscription& s : subs) {
      uint64_t at = out + 32ull * nevents;
      if (s.error != Errno::SUCCESS) {
        write_event(mem, at, s, 0, 0);
        ++nevents;
      } else if (s.type == 0) {
        if (now >= s.deadline) {
          write_event(mem, at, s, 0, 0);
          ++nevents;
        }
      } else if (fds[s.poll_index].revents) {
        short rev = fds[s.poll_index].revents;
        int available = 0;
        if (s.type == 1) ioctl(fds[s.poll_index].fd, FIONREAD, &available);
        write_event(mem, at, s, static_cast<uint64_t>(available), (rev & POLLHUP) ? 1 : 0);
        ++nevents;
      }
    }
    if (nevents > 0) {
      mem.store<u32>(nevents_out, nevents);
      return Errno::SUCCESS;
    }
  }
}

}  // namespace wasixc::wasi
