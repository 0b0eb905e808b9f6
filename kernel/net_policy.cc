#include "net_policy.h"

#include <arpa/inet.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wasixc::kernel {
namespace {

std::atomic<NetPolicy> g_policy{NetPolicy::kOff};

void hint_refused(const char* what) {
  static std::atomic<bool> printed{false};
  if (printed.exchange(true)) return;
  if (net_policy() == NetPolicy::kOff)
    fprintf(stderr,
            "wasixc: note: %s refused: networking is off for this program; allow it with `wasixc --net` "
            "(or --net=loopback), or at run time with WASIXC_NET=all|loopback\n",
            what);
  else
    fprintf(stderr,
            "wasixc: note: %s refused: this program may only use loopback addresses (127.0.0.1, ::1); "
            "allow every address with `wasixc --net=all` or at run time with WASIXC_NET=all\n",
            what);
}

}  // namespace

bool parse_net_policy(std::string_view text, NetPolicy* out) {
  if (text == "off") *out = NetPolicy::kOff;
  else if (text == "loopback") *out = NetPolicy::kLoopback;
  else if (text == "all" || text == "on" || text.empty()) *out = NetPolicy::kAll;
  else return false;
  return true;
}

const char* net_policy_name(NetPolicy policy) {
  switch (policy) {
    case NetPolicy::kOff: return "off";
    case NetPolicy::kLoopback: return "loopback";
    case NetPolicy::kAll: return "all";
  }
  return "off";
}

NetPolicy net_policy() { return g_policy.load(std::memory_order_relaxed); }
void set_net_policy(NetPolicy policy) { g_policy.store(policy, std::memory_order_relaxed); }

int check_open(int family) {
  if (family != AF_INET && family != AF_INET6) return 0;
  if (net_policy() != NetPolicy::kOff) return 0;
  hint_refused(family == AF_INET ? "an IPv4 socket" : "an IPv6 socket");
  return EACCES;
}

bool is_loopback(const sockaddr* addr, socklen_t len) {
  if (addr->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    uint32_t a = ntohl(reinterpret_cast<const sockaddr_in*>(addr)->sin_addr.s_addr);
    return (a >> 24) == 127;  // 127.0.0.0/8 (RFC 1122 3.2.1.3)
  }
  if (addr->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
  }
  return false;
}

int check_address(const sockaddr* addr, socklen_t len, bool binding) {
  if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6) return 0;
  switch (net_policy()) {
    case NetPolicy::kAll: return 0;
    case NetPolicy::kOff: hint_refused("networking"); return EACCES;
    case NetPolicy::kLoopback:
      if (is_loopback(addr, len)) return 0;
      hint_refused(binding ? "binding a non-loopback address" : "a non-loopback address");
      return EACCES;
  }
  return EACCES;
}

}  // namespace wasixc::kernel
