// epoll_create / epoll_ctl / epoll_wait as wasix-libc calls them
// (wasix-abi.md §2.4). The waiting is a host epoll instance's
// (kernel/epoll.h); this file decodes the guest's epoll_event:
//   32 bytes: events u32 @0; data: ptr u32 @8, fd u32 @12, data1 u32 @16,
//   data2 u64 @24 (the 24 bytes @8 are the guest's, returned verbatim).
// epoll_wait's timeout is in nanoseconds, u64 max (-1) meaning none.
#include <cerrno>
#include <cstring>

#include "kernel/epoll.h"
#include "kernel/signals.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {

Errno epoll_create(Ctx& ctx, u32 fd_out) {
  guest_memory(ctx).check(fd_out, 4);
  FdEntry entry;
  if (int e = kernel::epoll_create_instance(&entry)) return errno_from_host(e);
  int64_t fd = process_state().fds.insert(std::move(entry));
  if (fd < 0) return errno_from_host(static_cast<int>(-fd));
  guest_memory(ctx).store<u32>(fd_out, static_cast<u32>(fd));
  return Errno::SUCCESS;
}

Errno epoll_ctl(Ctx& ctx, u32 epfd, u32 op, u32 fd, u32 event) {
  std::optional<FdEntry> instance = process_state().fds.get(epfd);
  if (!instance) return Errno::BADF;
  std::optional<FdEntry> target = process_state().fds.get(fd);
  if (!target) return Errno::BADF;
  if (epfd == fd) return Errno::INVAL;  // epoll_ctl(2): "fd is the same as epfd"
  uint32_t events = 0;
  std::array<uint8_t, 24> data{};
  // The event may be NULL for DEL (Linux ignores it since 2.6.9).
  if (op != 2 || event != 0) {
    GuestMemory mem = guest_memory(ctx);
    events = mem.load<uint32_t>(event);
    mem.copy_in(data.data(), event + 8, data.size());
  }
  if (int e = kernel::epoll_control(*instance, op, fd, target->host_fd, events, data)) return errno_from_host(e);
  return Errno::SUCCESS;
}

Errno epoll_wait(Ctx& ctx, u32 epfd, u32 events_out, u32 max, u64 timeout_ns, u32 nevents_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(nevents_out, 4);
  std::optional<FdEntry> instance = process_state().fds.get(epfd);
  if (!instance) return Errno::BADF;
  if (!instance->epoll || max == 0) return Errno::INVAL;
  mem.check(events_out, uint64_t{max} * 32);
  int64_t timeout = timeout_ns > static_cast<u64>(INT64_MAX) ? -1 : static_cast<int64_t>(timeout_ns);
  std::vector<kernel::EpollReady> ready;
  if (int e = kernel::epoll_wait_once(*instance, max, timeout, &ready)) {
    // epoll_wait(2) is never restarted after a handler (signal(7)): the
    // handler runs, then the guest sees EINTR.
    if (e == EINTR) kernel::deliver_pending(&ctx);
    return errno_from_host(e);
  }
  for (size_t i = 0; i < ready.size(); ++i) {
    uint8_t buf[32] = {};
    memcpy(buf, &ready[i].wasix_events, 4);
    memcpy(buf + 8, ready[i].data.data(), 24);
    mem.copy_out(events_out + 32ull * i, buf, sizeof buf);
  }
  mem.store<u32>(nevents_out, static_cast<u32>(ready.size()));
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
