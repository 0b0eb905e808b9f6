// Sockets: what a guest socket is and how its names map onto the host.
// A guest socket is a host socket (TCP, UDP, Unix-domain) behind a guest
// fd (kernel/fd_table.h), so reads, writes, poll, epoll, fork and exec
// treat it as the host treats a socket. This file holds what is not a
// plain host call:
//   - the network policy (kernel/net_policy.h) on open/bind/connect/send;
//   - Unix-domain names, which are guest paths, resolved by the path
//     resolver inside the directory mappings and never as host paths:
//       bind:    the parent directory is resolved to a descriptor we hold
//                and the socket is made as "/proc/self/fd/<dir>/<name>"
//                (bind(2) never follows a final symlink: one swapped in
//                gives EADDRINUSE, as on Linux);
//       connect: the name is opened O_PATH|O_NOFOLLOW (a symlink is
//                expanded by the resolver, inside the guest's namespace),
//                checked to be a socket, and connected to as
//                "/proc/self/fd/<it>", so a link swapped in after the
//                lookup is never followed by the host (ECONNREFUSED, as
//                Linux says for a name that is not a listening socket);
//       names:   getsockname/getpeername report the guest path the guest
//                bound or connected to (the host only knows its
//                /proc/self/fd form); a peer's name we cannot know (the
//                other side bound it in its own process) is reported
//                unnamed.
//     Abstract-namespace names (a leading NUL) are refused with
//     ENOTCAPABLE: that namespace is host-wide, outside every mapping
//     (the host's X11, D-Bus and systemd sockets live there), and WASIX's
//     NUL-terminated address layout cannot carry their length anyway.
//   - Under the loopback policy an unbound UDP socket is bound to the
//     loopback address before its first send or connect, and an unbound
//     socket before listen, so the port Linux would bind on every
//     interface (autobind) only hears loopback.
#pragma once

#include <sys/socket.h>

#include <string>

#include "kernel/fd_table.h"
#include "kernel/path_resolver.h"

namespace wasixc::kernel {

// A socket address as the guest names it.
struct SocketAddress {
  int family = AF_UNSPEC;     // AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC
  sockaddr_storage ip{};      // AF_INET/AF_INET6: the host form
  socklen_t ip_len = 0;
  std::string unix_path;      // AF_UNIX: the guest path ("" = unnamed)
  bool unix_abstract = false; // AF_UNIX: a leading NUL (refused)
};

// socket(2): a host socket, close-on-exec on the host (fd_table.h), after
// the policy check. Returns 0 or an errno; *host_fd on success.
int open_socket(int family, int type, int protocol, int* host_fd);

// socketpair(2) (Unix-domain only on Linux: EOPNOTSUPP otherwise).
int open_socket_pair(int family, int type, int protocol, int host_fds[2]);

// bind(2) of the socket behind `entry` (its name is recorded in the entry
// by the caller from *recorded_unix_path). Returns 0 or an errno.
int bind_socket(const FdEntry& entry, const SocketAddress& addr, std::string* recorded_unix_path);

// connect(2): one attempt (EINTR and EINPROGRESS are the caller's).
int connect_socket(const FdEntry& entry, const SocketAddress& addr, std::string* recorded_unix_path);

// listen(2); under the loopback policy an unbound socket is first bound to
// loopback (Linux would listen on every interface).
int listen_socket(const FdEntry& entry, int backlog);

// sendto(2)'s destination check (policy, loopback autobind) and the host
// form of `addr` for Unix names (held open in *holder). Returns 0 or an
// errno; *host_addr/*host_len are what to pass to sendmsg.
int prepare_destination(const FdEntry& entry, const SocketAddress& addr, sockaddr_storage* host_addr,
                        socklen_t* host_len, HostFd* holder);

// getsockname(2)/getpeername(2) in guest terms.
int local_address(const FdEntry& entry, SocketAddress* out);
int peer_address(const FdEntry& entry, SocketAddress* out);

// A host address (from accept/recvfrom) in guest terms: Unix names the
// host reports in our /proc/self/fd form are unknown to the guest (unnamed).
void address_from_host(const sockaddr_storage& addr, socklen_t len, SocketAddress* out);

// The address family of a host socket (AF_INET, ...), or -1.
int socket_family(int host_fd);

}  // namespace wasixc::kernel
