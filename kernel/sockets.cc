#include "sockets.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/net_policy.h"

namespace wasixc::kernel {
namespace {

// "/proc/self/fd/<fd>" (+ "/<name>"): how the host reaches an object we
// hold a descriptor for, whatever host path it has. Fails (ENAMETOOLONG,
// as bind(2) does for a name over sun_path) when it does not fit.
int proc_fd_address(int fd, std::string_view name, sockaddr_un* out, socklen_t* len) {
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (!name.empty()) (path += "/") += name;
  if (path.size() >= sizeof out->sun_path) return ENAMETOOLONG;
  memset(out, 0, sizeof *out);
  out->sun_family = AF_UNIX;
  memcpy(out->sun_path, path.data(), path.size());
  *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  return 0;
}

// The base a guest path starts from (the cwd; absolute paths restart at
// the guest's root inside the resolver).
struct CwdBase {
  PathBase base;
  HostFd holder;
  CwdBase() { cwd_base(&base, &holder); }
};

// The host form of a Unix-domain name the guest connects or sends to: the
// socket file opened O_PATH (held in *holder) and named through /proc.
int unix_destination(const std::string& guest_path, sockaddr_un* out, socklen_t* len, HostFd* holder) {
  if (guest_path.empty()) return EINVAL;
  CwdBase cwd;
  ResolvedPath r;
  // connect(2) follows symlinks in the name: the resolver expands them in
  // the guest's namespace; the final object is then opened without
  // following, so a link raced in afterwards is refused, not followed.
  if (int e = resolve_path(cwd.base, guest_path, /*follow_final=*/true, &r)) return e;
  if (r.is_virtual || !r.parent.valid()) return ECONNREFUSED;
  HostFd sock(openat(r.parent.get(), r.name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!sock.valid()) return errno;
  struct stat st;
  if (fstat(sock.get(), &st) != 0) return errno;
  if (!S_ISSOCK(st.st_mode)) return ECONNREFUSED;  // unix(7): "not a socket" -> ECONNREFUSED
  if (int e = proc_fd_address(sock.get(), "", out, len)) return e;
  *holder = std::move(sock);
  return 0;
}

// Under the loopback policy an unbound IP socket is bound to the loopback
// address of its family before Linux would bind it to the wildcard
// (autobind): a UDP socket's first send or connect (datagram_only), a
// listen without bind (see sockets.h).
int bind_loopback_if_unbound(int host_fd, bool datagram_only = true) {
  if (net_policy() != NetPolicy::kLoopback) return 0;
  int type = 0;
  socklen_t tl = sizeof type;
  if (getsockopt(host_fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0) return errno;
  if (datagram_only && type != SOCK_DGRAM) return 0;
  sockaddr_storage self{};
  socklen_t len = sizeof self;
  if (getsockname(host_fd, reinterpret_cast<sockaddr*>(&self), &len) != 0) return errno;
  if (self.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&self);
    if (in->sin_port != 0) return 0;
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  } else if (self.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&self);
    if (in6->sin6_port != 0) return 0;
    in6->sin6_addr = in6addr_loopback;
  } else {
    return 0;
  }
  if (bind(host_fd, reinterpret_cast<sockaddr*>(&self), len) != 0) return errno;
  return 0;
}

}  // namespace

int socket_family(int host_fd) {
  int family = -1;
  socklen_t len = sizeof family;
  if (getsockopt(host_fd, SOL_SOCKET, SO_DOMAIN, &family, &len) != 0) return -1;
  return family;
}

int open_socket(int family, int type, int protocol, int* host_fd) {
  if (family != AF_INET && family != AF_INET6 && family != AF_UNIX) return EAFNOSUPPORT;
  if (int e = check_open(family)) return e;
  int fd = socket(family, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) return errno;
  *host_fd = fd;
  return 0;
}

int open_socket_pair(int family, int type, int protocol, int host_fds[2]) {
  // socketpair(2): Linux supports only AF_UNIX (EOPNOTSUPP for the others);
  // so no network is involved and the policy does not apply.
  if (family != AF_UNIX) return family == AF_INET || family == AF_INET6 ? EOPNOTSUPP : EAFNOSUPPORT;
  if (socketpair(family, type | SOCK_CLOEXEC, protocol, host_fds) != 0) return errno;
  return 0;
}

int bind_socket(const FdEntry& entry, const SocketAddress& addr, std::string* recorded_unix_path) {
  if (addr.family == AF_UNIX) {
    if (addr.unix_abstract) return kErrNotCapable;
    if (socket_family(entry.host_fd) != AF_UNIX) return EINVAL;
    if (addr.unix_path.empty()) return EINVAL;
    CwdBase cwd;
    ResolvedPath r;
    // bind(2) creates the name and never follows a final symlink.
    if (int e = resolve_path(cwd.base, addr.unix_path, /*follow_final=*/false, &r)) return e;
    if (r.is_virtual || !r.parent.valid() || r.name == "." || r.must_be_dir) return r.is_virtual ? kErrNotCapable : EADDRINUSE;
    if (mapping_is_read_only(r.mapping)) return EROFS;
    sockaddr_un un;
    socklen_t len;
    if (int e = proc_fd_address(r.parent.get(), r.name, &un, &len)) return e;
    if (bind(entry.host_fd, reinterpret_cast<sockaddr*>(&un), len) != 0) return errno;
    *recorded_unix_path = addr.unix_path;
    return 0;
  }
  if (addr.family != AF_INET && addr.family != AF_INET6) return EAFNOSUPPORT;
  const sockaddr* sa = reinterpret_cast<const sockaddr*>(&addr.ip);
  if (int e = check_address(sa, addr.ip_len, /*binding=*/true)) return e;
  if (bind(entry.host_fd, sa, addr.ip_len) != 0) return errno;
  return 0;
}

int connect_socket(const FdEntry& entry, const SocketAddress& addr, std::string* recorded_unix_path) {
  if (addr.family == AF_UNIX) {
    if (addr.unix_abstract) return kErrNotCapable;
    sockaddr_un un;
    socklen_t len;
    HostFd holder;
    if (int e = unix_destination(addr.unix_path, &un, &len, &holder)) return e;
    if (connect(entry.host_fd, reinterpret_cast<sockaddr*>(&un), len) != 0) return errno;
    *recorded_unix_path = addr.unix_path;
    return 0;
  }
  if (addr.family == AF_UNSPEC) {
    // connect(2) with AF_UNSPEC dissolves a datagram socket's association.
    sockaddr sa{};
    sa.sa_family = AF_UNSPEC;
    if (connect(entry.host_fd, &sa, sizeof sa) != 0) return errno;
    return 0;
  }
  const sockaddr* sa = reinterpret_cast<const sockaddr*>(&addr.ip);
  if (int e = check_address(sa, addr.ip_len, /*binding=*/false)) return e;
  if (int e = bind_loopback_if_unbound(entry.host_fd)) return e;
  if (connect(entry.host_fd, sa, addr.ip_len) != 0) return errno;
  return 0;
}

int prepare_destination(const FdEntry& entry, const SocketAddress& addr, sockaddr_storage* host_addr,
                        socklen_t* host_len, HostFd* holder) {
  if (addr.family == AF_UNIX) {
    if (addr.unix_abstract) return kErrNotCapable;
    sockaddr_un un;
    socklen_t len;
    if (int e = unix_destination(addr.unix_path, &un, &len, holder)) return e == ECONNREFUSED ? ECONNREFUSED : e;
    memcpy(host_addr, &un, len);
    *host_len = len;
    return 0;
  }
  if (addr.family != AF_INET && addr.family != AF_INET6) return EAFNOSUPPORT;
  const sockaddr* sa = reinterpret_cast<const sockaddr*>(&addr.ip);
  if (int e = check_address(sa, addr.ip_len, /*binding=*/false)) return e;
  if (int e = bind_loopback_if_unbound(entry.host_fd)) return e;
  memcpy(host_addr, &addr.ip, addr.ip_len);
  *host_len = addr.ip_len;
  return 0;
}

int listen_socket(const FdEntry& entry, int backlog) {
  if (int e = bind_loopback_if_unbound(entry.host_fd, /*datagram_only=*/false)) return e;
  if (listen(entry.host_fd, backlog) != 0) return errno;
  return 0;
}

void address_from_host(const sockaddr_storage& addr, socklen_t len, SocketAddress* out) {
  *out = SocketAddress{};
  out->family = addr.ss_family;
  if (addr.ss_family == AF_INET || addr.ss_family == AF_INET6) {
    out->ip = addr;
    out->ip_len = len;
  }
  // AF_UNIX: the host's name for a peer is its /proc/self/fd/N form in
  // another process, meaningless to this guest: reported unnamed.
}

int local_address(const FdEntry& entry, SocketAddress* out) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(entry.host_fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return errno;
  address_from_host(ss, len, out);
  if (ss.ss_family == AF_UNIX) out->unix_path = entry.socket_local_path;
  return 0;
}

int peer_address(const FdEntry& entry, SocketAddress* out) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(entry.host_fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return errno;
  address_from_host(ss, len, out);
  if (ss.ss_family == AF_UNIX) out->unix_path = entry.socket_peer_path;
  return 0;
}

}  // namespace wasixc::kernel
