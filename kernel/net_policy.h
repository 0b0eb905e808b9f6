// The network policy: whether a guest may use the host's IP networking.
// Unix-domain sockets are not networking (their names are guest paths,
// confined to the directory mappings like any file: kernel/sockets.h), so
// the policy governs IPv4 and IPv6 sockets only:
//   off       (the default) no IP socket can be opened: EACCES, and a
//             one-line hint on stderr the first time naming the option;
//   loopback  IP sockets bind, connect and send only to loopback
//             addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104); a
//             wildcard bind (0.0.0.0, ::) is refused too, since it would
//             listen on every interface;
//   all       the host's stack as a native program has it.
// The policy comes from `wasixc --net[=all|loopback|off]` (baked into the
// executable) and can be changed at run time by whoever launches it with
// WASIXC_NET=off|loopback|all in the host environment (read at start-up,
// hidden from the guest, kept by images exec'd or spawned from it; a guest
// cannot set it for itself: kernel/image_handoff.h).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string_view>

namespace wasixc::kernel {

enum class NetPolicy : uint32_t { kOff = 0, kLoopback = 1, kAll = 2 };

constexpr const char* kNetVariable = "WASIXC_NET";

// Parses "off", "loopback" or "all" ("" and "on" mean all, as `--net`).
bool parse_net_policy(std::string_view text, NetPolicy* out);
const char* net_policy_name(NetPolicy policy);

// The process's policy (set once at start-up by libwasix/process_state.cc).
NetPolicy net_policy();
void set_net_policy(NetPolicy policy);

// Whether the guest may open an IP socket of `family` (AF_INET/AF_INET6);
// 0 or EACCES (socket(2) documents EACCES: "permission to create a socket
// of the specified type ... is denied"). Prints the hint the first time.
int check_open(int family);

// Whether the guest may bind to, connect to or send to `addr` (an IP
// address; other families pass); 0 or EACCES (+ the hint, once).
// `binding`: a wildcard address is refused under loopback.
int check_address(const sockaddr* addr, socklen_t len, bool binding);

// Whether `addr` is a loopback address.
bool is_loopback(const sockaddr* addr, socklen_t len);

}  // namespace wasixc::kernel
