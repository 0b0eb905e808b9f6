#include "epoll.h"

#include <sys/epoll.h>
#include <time.h>

#include <cerrno>

namespace wasixc::kernel {
namespace {

struct BitPair {
  uint32_t wasix;
  uint32_t host;
};
// wasix-abi.md §4.2: 1 IN, 2 OUT, 4 RDHUP, 8 PRI, 16 ERR, 32 HUP, 64 ET,
// 128 ONESHOT.
constexpr BitPair kBits[] = {
    {1, EPOLLIN},   {2, EPOLLOUT},  {4, EPOLLRDHUP},           {8, EPOLLPRI},
    {16, EPOLLERR}, {32, EPOLLHUP}, {64, static_cast<uint32_t>(EPOLLET)}, {128, EPOLLONESHOT},
};

}  // namespace

uint32_t epoll_events_to_host(uint32_t wasix_events) {
  uint32_t host = 0;
  for (const BitPair& b : kBits)
    if (wasix_events & b.wasix) host |= b.host;
  return host;
}

uint32_t epoll_events_from_host(uint32_t host_events) {
  uint32_t wasix = 0;
  for (const BitPair& b : kBits)
    if (host_events & b.host) wasix |= b.wasix;
  return wasix;
}

int epoll_create_instance(FdEntry* out) {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return errno;
  out->host_fd = fd;
  out->epoll = std::make_shared<EpollRegistrations>();
  return 0;
}

int epoll_control(const FdEntry& instance, uint32_t op, uint32_t fd, int target_host_fd, uint32_t wasix_events,
                  const std::array<uint8_t, 24>& data) {
  if (!instance.epoll) return EINVAL;  // epoll_ctl(2): epfd is not an epoll instance
  if (op > 2) return EINVAL;
  if (op != 2 && (wasix_events & ~kWasixEpollBits)) return EINVAL;
  static const int kOps[] = {EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL};
  epoll_event ev{};
  ev.events = epoll_events_to_host(wasix_events);
  ev.data.u64 = fd;  // the guest fd: the key of the guest's data
  // The lock orders the host change and the data change, so a wait on
  // another thread never sees an event whose data is not there yet.
  std::lock_guard<std::mutex> guard(instance.epoll->lock);
  if (epoll_ctl(instance.host_fd, kOps[op], target_host_fd, &ev) != 0) return errno;
  if (op == 2)
    instance.epoll->data.erase(fd);
  else
    instance.epoll->data[fd] = data;
  return 0;
}

int epoll_wait_once(const FdEntry& instance, uint32_t max, int64_t timeout_ns, std::vector<EpollReady>* out) {
  if (!instance.epoll) return EINVAL;
  if (max == 0 || max > 1u << 20) return EINVAL;  // epoll_wait(2): maxevents <= 0 (and a sane bound)
  std::vector<epoll_event> events(max);
  timespec ts;
  if (timeout_ns >= 0) ts = {static_cast<time_t>(timeout_ns / 1000000000), static_cast<long>(timeout_ns % 1000000000)};
  int n = epoll_pwait2(instance.host_fd, events.data(), static_cast<int>(max), timeout_ns >= 0 ? &ts : nullptr,
                       nullptr);
  if (n < 0) return errno;
  std::lock_guard<std::mutex> guard(instance.epoll->lock);
  out->clear();
  for (int i = 0; i < n; ++i) {
    EpollReady r{epoll_events_from_host(events[i].events), {}};
    auto it = instance.epoll->data.find(static_cast<uint32_t>(events[i].data.u64));
    if (it != instance.epoll->data.end()) r.data = it->second;
    out->push_back(r);
  }
  return 0;
}

}  // namespace wasixc::kernel
