// epoll for guests: a guest epoll instance is a host epoll(7) instance.
// The host does the waiting (edge- and level-triggered, EPOLLONESHOT,
// readiness of sockets, pipes, eventfds, terminals exactly as Linux
// reports it); this file keeps what the host cannot: the guest's own
// event data (WASIX's epoll_event carries 24 bytes of it, the host's 8)
// per registered guest fd, and the WASIX <-> Linux event bits.
//
// Why not libuv: a guest's epoll maps 1:1 onto a host epoll instance;
// libuv's loop would add a thread (or a loop per instance), a copy of
// every registration and a second wakeup, and could not express
// EPOLLET/EPOLLONESHOT, which the guest asks the kernel for directly.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "kernel/fd_table.h"

namespace wasixc::kernel {

// The guest's data for each registered guest fd (shared by dups of the
// instance, as they share the host instance).
struct EpollRegistrations {
  std::mutex lock;
  std::map<uint32_t, std::array<uint8_t, 24>> data;
};

// WASIX epoll event bits (wasix-abi.md §4.2) <-> Linux's.
uint32_t epoll_events_to_host(uint32_t wasix_events);
uint32_t epoll_events_from_host(uint32_t host_events);
// Bits WASIX defines (others: EINVAL).
constexpr uint32_t kWasixEpollBits = 0xff;

// epoll_create1(EPOLL_CLOEXEC): the entry to put in the guest's table.
int epoll_create_instance(FdEntry* out);

// epoll_ctl(2) for guest fd `fd` (its host descriptor `target_host_fd`):
// op 0 ADD, 1 MOD, 2 DEL. Returns 0 or an errno (EEXIST, ENOENT, EPERM
// for a regular file, ELOOP, EINVAL as Linux).
int epoll_control(const FdEntry& instance, uint32_t op, uint32_t fd, int target_host_fd, uint32_t wasix_events,
                  const std::array<uint8_t, 24>& data);

struct EpollReady {
  uint32_t wasix_events;
  std::array<uint8_t, 24> data;
};

// One epoll_pwait2(2) for up to `max` events; timeout_ns < 0: no timeout.
// Returns 0 (and the events) or an errno (EINTR when a signal came: the
// caller runs the handler; epoll_wait is never restarted, signal(7)).
int epoll_wait_once(const FdEntry& instance, uint32_t max, int64_t timeout_ns, std::vector<EpollReady>* out);

}  // namespace wasixc::kernel
