// The socket calls (wasix-abi.md §2.4, layouts §4.4): decode the guest's
// addresses and buffers, and serve them with host sockets
// (kernel/sockets.h: Unix names inside the mappings, the network policy).
//
// addr_port (110 bytes): tag u8 @0 (0 UNSPEC, 1 INET4, 2 INET6, 3 UNIX);
//   INET4: port u16 @2, 4 address bytes @4; INET6: port u16 @2, 16 bytes
//   @4, flowinfo hi16 @20 lo16 @22, scope_id hi16 @24 lo16 @26; UNIX: path
//   108 bytes @2. Address bytes in network order, ports in host order.
// Out-pointers are checked before anything is created, so a bad pointer
// (EFAULT) leaves no descriptor behind. Blocking calls run the guest's
// signal handlers and go on, as Linux restarts them under SA_RESTART
// (signal(7) lists accept, connect, recv*, send*).
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "kernel/net_policy.h"
#include "kernel/signals.h"
#include "kernel/sockets.h"
#include "guest_iovecs.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {
namespace {

using kernel::SocketAddress;

constexpr u32 kAddrPortSize = 110;
constexpr u32 kUnixPathSize = 108;
constexpr u32 kFdflagNonblock = 4;

Errno host_error(int e) { return errno_from_host(e); }

Errno socket_entry(u32 fd, FdEntry* out) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  *out = std::move(*entry);
  return Errno::SUCCESS;
}

Errno read_addr_port(const GuestMemory& mem, u32 at, SocketAddress* out) {
  uint8_t tag = mem.load<uint8_t>(at);
  *out = SocketAddress{};
  switch (tag) {
    case 0:
      out->family = AF_UNSPEC;
      return Errno::SUCCESS;
    case 1: {
      auto* in = reinterpret_cast<sockaddr_in*>(&out->ip);
      in->sin_family = AF_INET;
      in->sin_port = htons(mem.load<uint16_t>(at + 2));
      mem.copy_in(&in->sin_addr, at + 4, 4);
      out->family = AF_INET;
      out->ip_len = sizeof(sockaddr_in);
      return Errno::SUCCESS;
    }
    case 2: {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&out->ip);
      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons(mem.load<uint16_t>(at + 2));
      mem.copy_in(&in6->sin6_addr, at + 4, 16);
      in6->sin6_flowinfo = htonl(uint32_t{mem.load<uint16_t>(at + 20)} << 16 | mem.load<uint16_t>(at + 22));
      in6->sin6_scope_id = uint32_t{mem.load<uint16_t>(at + 24)} << 16 | mem.load<uint16_t>(at + 26);
      out->family = AF_INET6;
      out->ip_len = sizeof(sockaddr_in6);
      return Errno::SUCCESS;
    }
    case 3: {
      char path[kUnixPathSize];
      mem.copy_in(path, at + 2, sizeof path);
      out->family = AF_UNIX;
      if (path[0] == '\0') {
        // A leading NUL: Linux's abstract namespace, unless nothing follows.
        for (char c : path) out->unix_abstract |= c != '\0';
        return Errno::SUCCESS;
      }
      out->unix_path.assign(path, strnlen(path, sizeof path));
      return Errno::SUCCESS;
    }
    default:
      return Errno::AFNOSUPPORT;
  }
}

void write_addr_port(const GuestMemory& mem, u32 at, const SocketAddress& addr) {
  uint8_t buf[kAddrPortSize] = {};
  if (addr.family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(&addr.ip);
    buf[0] = 1;
    uint16_t port = ntohs(in->sin_port);
    memcpy(buf + 2, &port, 2);
    memcpy(buf + 4, &in->sin_addr, 4);
  } else if (addr.family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr.ip);
    buf[0] = 2;
    uint16_t port = ntohs(in6->sin6_port);
    memcpy(buf + 2, &port, 2);
    memcpy(buf + 4, &in6->sin6_addr, 16);
    uint32_t flow = ntohl(in6->sin6_flowinfo);
    uint16_t parts[4] = {static_cast<uint16_t>(flow >> 16), static_cast<uint16_t>(flow),
                         static_cast<uint16_t>(in6->sin6_scope_id >> 16), static_cast<uint16_t>(in6->sin6_scope_id)};
    memcpy(buf + 20, parts, 8);
  } else if (addr.family == AF_UNIX) {
    buf[0] = 3;
    memcpy(buf + 2, addr.unix_path.data(), std::min<size_t>(addr.unix_path.size(), kUnixPathSize - 1));
  }
  mem.copy_out(at, buf, sizeof buf);
}

// WASIX socket types (1 STREAM, 2 DGRAM, 3 RAW, 4 SEQPACKET) <-> Linux's.
int host_socket_type(u32 socktype) {
  switch (socktype) {
    case 1: return SOCK_STREAM;
    case 2: return SOCK_DGRAM;
    case 3: return SOCK_RAW;
    case 4: return SOCK_SEQPACKET;
    default: return -1;
  }
}
u32 wasix_socket_type(int type) {
  switch (type) {
    case SOCK_STREAM: return 1;
    case SOCK_DGRAM: return 2;
    case SOCK_RAW: return 3;
    case SOCK_SEQPACKET: return 4;
    default: return 0;
  }
}
int host_family(u32 af) {
  switch (af) {
    case 1: return AF_INET;
    case 2: return AF_INET6;
    case 3: return AF_UNIX;
    default: return -1;
  }
}

Errno insert_socket(Ctx& ctx, FdEntry entry, u32 fd_out) {
  int64_t fd = process_state().fds.insert(std::move(entry));
  if (fd < 0) return host_error(static_cast<int>(-fd));
  guest_memory(ctx).store<u32>(fd_out, static_cast<u32>(fd));
  return Errno::SUCCESS;
}

// riflags: 1 PEEK, 2 WAITALL, 8 DONT_WAIT; siflags: 1 DONT_WAIT.
int recv_flags(u32 riflags) {
  int flags = 0;
  if (riflags & 1) flags |= MSG_PEEK;
  if (riflags & 2) flags |= MSG_WAITALL;
  if (riflags & 8) flags |= MSG_DONTWAIT;
  return flags;
}

Errno receive(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 riflags, u32 nread_out, u32 roflags_out,
              std::optional<u32> addr_out) {
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  HostIovecs iov;
  if (Errno e = gather_iovecs(ctx, iovs, iovs_len, &iov); e != Errno::SUCCESS) return e;
  GuestMemory mem = guest_memory(ctx);
  mem.check(nread_out, 4);
  mem.check(roflags_out, 2);
  if (addr_out) mem.check(*addr_out, kAddrPortSize);
  sockaddr_storage from{};
  msghdr msg{};
  msg.msg_name = addr_out ? &from : nullptr;
  msg.msg_namelen = addr_out ? sizeof from : 0;
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  ssize_t n = kernel::restart_on_eintr(&ctx, [&] {
    msg.msg_namelen = addr_out ? sizeof from : 0;
    return recvmsg(entry.host_fd, &msg, recv_flags(riflags));
  });
  if (n < 0) return host_error(errno);
  mem.store<u32>(nread_out, static_cast<u32>(n));
  mem.store<uint16_t>(roflags_out, (msg.msg_flags & MSG_TRUNC) ? 1 : 0);  // RECV_DATA_TRUNCATED
  if (addr_out) {
    SocketAddress addr;
    kernel::address_from_host(from, msg.msg_namelen, &addr);
    if (msg.msg_namelen == 0) addr.family = AF_UNSPEC;  // a connected stream: no name
    write_addr_port(mem, *addr_out, addr);
  }
  return Errno::SUCCESS;
}

Errno send_common(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 siflags, std::optional<u32> addr, u32 nsent_out) {
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  HostIovecs iov;
  if (Errno e = gather_iovecs(ctx, iovs, iovs_len, &iov); e != Errno::SUCCESS) return e;
  GuestMemory mem = guest_memory(ctx);
  mem.check(nsent_out, 4);
  sockaddr_storage to{};
  socklen_t to_len = 0;
  kernel::HostFd holder;
  if (addr) {
    SocketAddress dest;
    if (Errno e = read_addr_port(mem, *addr, &dest); e != Errno::SUCCESS) return e;
    if (dest.family != AF_UNSPEC)
      if (int e = kernel::prepare_destination(entry, dest, &to, &to_len, &holder)) return host_error(e);
  }
  msghdr msg{};
  msg.msg_name = to_len ? &to : nullptr;
  msg.msg_namelen = to_len;
  msg.msg_iov = iov.data();
  msg.msg_iovlen = iov.size();
  // No MSG_NOSIGNAL: a send on a broken connection raises SIGPIPE, as natively.
  ssize_t n = kernel::restart_on_eintr(&ctx, [&] { return sendmsg(entry.host_fd, &msg, (siflags & 1) ? MSG_DONTWAIT : 0); });
  if (n < 0) return host_error(errno);
  mem.store<u32>(nsent_out, static_cast<u32>(n));
  return Errno::SUCCESS;
}

// Socket options (wasix-abi.md §4.2 sock_option) as Linux's (level, name).
struct HostOption {
  int level;
  int name;
};
bool host_option(u32 opt, int family, HostOption* out) {
  bool v6 = family == AF_INET6;
  switch (opt) {
    case 1: *out = {SOL_SOCKET, SO_REUSEPORT}; return true;
    case 2: *out = {SOL_SOCKET, SO_REUSEADDR}; return true;
    case 3: *out = {IPPROTO_TCP, TCP_NODELAY}; return true;
    case 4: *out = {SOL_SOCKET, SO_DONTROUTE}; return true;
    case 5: *out = {IPPROTO_IPV6, IPV6_V6ONLY}; return true;
    case 6: *out = {SOL_SOCKET, SO_BROADCAST}; return true;
    case 7: *out = {IPPROTO_IP, IP_MULTICAST_LOOP}; return true;
    case 8: *out = {IPPROTO_IPV6, IPV6_MULTICAST_LOOP}; return true;
    case 10: *out = {SOL_SOCKET, SO_ACCEPTCONN}; return true;
    case 11: *out = {SOL_SOCKET, SO_ERROR}; return true;
    case 12: *out = {SOL_SOCKET, SO_KEEPALIVE}; return true;
    case 13: *out = {SOL_SOCKET, SO_LINGER}; return true;
    case 14: *out = {SOL_SOCKET, SO_OOBINLINE}; return true;
    case 15: *out = {SOL_SOCKET, SO_RCVBUF}; return true;
    case 16: *out = {SOL_SOCKET, SO_SNDBUF}; return true;
    case 17: *out = {SOL_SOCKET, SO_RCVLOWAT}; return true;
    case 18: *out = {SOL_SOCKET, SO_SNDLOWAT}; return true;
    case 19: *out = {SOL_SOCKET, SO_RCVTIMEO}; return true;
    case 20: *out = {SOL_SOCKET, SO_SNDTIMEO}; return true;
    case 22: *out = {SOL_SOCKET, SO_RCVTIMEO}; return true;  // accept(2) honours SO_RCVTIMEO
    case 23: *out = v6 ? HostOption{IPPROTO_IPV6, IPV6_UNICAST_HOPS} : HostOption{IPPROTO_IP, IP_TTL}; return true;
    case 24: *out = {IPPROTO_IP, IP_MULTICAST_TTL}; return true;
    case 25: *out = {SOL_SOCKET, SO_TYPE}; return true;
    case 26: *out = {SOL_SOCKET, SO_PROTOCOL}; return true;
    default: return false;  // NOOP, PROMISCUOUS, CONNECT_TIMEOUT: not Linux socket options
  }
}

Errno option_for(u32 fd, u32 opt, FdEntry* entry, HostOption* o) {
  if (Errno e = socket_entry(fd, entry); e != Errno::SUCCESS) return e;
  if (!host_option(opt, kernel::socket_family(entry->host_fd), o)) return Errno::NOPROTOOPT;
  return Errno::SUCCESS;
}

Errno get_int_option(u32 fd, u32 opt, int64_t* value) {
  FdEntry entry;
  HostOption o;
  if (Errno e = option_for(fd, opt, &entry, &o); e != Errno::SUCCESS) return e;
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(entry.host_fd, o.level, o.name, &v, &len) != 0) return host_error(errno);
  if (opt == 11) v = static_cast<int>(errno_from_host(v));  // LAST_ERROR: a WASI errno
  if (opt == 25) v = static_cast<int>(wasix_socket_type(v));
  *value = v;
  return Errno::SUCCESS;
}

Errno set_int_option(u32 fd, u32 opt, int value) {
  FdEntry entry;
  HostOption o;
  if (Errno e = option_for(fd, opt, &entry, &o); e != Errno::SUCCESS) return e;
  if (setsockopt(entry.host_fd, o.level, o.name, &value, sizeof value) != 0) return host_error(errno);
  return Errno::SUCCESS;
}

}  // namespace

Errno sock_open(Ctx& ctx, u32 af, u32 socktype, u32 proto, u32 fd_out) {
  guest_memory(ctx).check(fd_out, 4);
  int family = host_family(af);
  int type = host_socket_type(socktype);
  if (family < 0) return Errno::AFNOSUPPORT;
  if (type < 0) return Errno::INVAL;  // socket(2): unknown type
  // Raw sockets read and forge any traffic: only with the whole network.
  if (type == SOCK_RAW && family != AF_UNIX && kernel::net_policy() != kernel::NetPolicy::kAll) return Errno::PERM;
  FdEntry entry;
  if (int e = kernel::open_socket(family, type, static_cast<int>(proto), &entry.host_fd)) return host_error(e);
  return insert_socket(ctx, std::move(entry), fd_out);
}

Errno sock_pair(Ctx& ctx, u32 af, u32 socktype, u32 proto, u32 fd0_out, u32 fd1_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(fd0_out, 4);
  mem.check(fd1_out, 4);
  int family = host_family(af);
  int type = host_socket_type(socktype);
  if (family < 0) return Errno::AFNOSUPPORT;
  if (type < 0) return Errno::INVAL;
  int fds[2];
  if (int e = kernel::open_socket_pair(family, type, static_cast<int>(proto), fds)) return host_error(e);
  FdEntry a, b;
  a.host_fd = fds[0];
  b.host_fd = fds[1];
  int64_t fd0 = process_state().fds.insert(std::move(a));
  if (fd0 < 0) {
    ::close(fds[1]);
    return host_error(static_cast<int>(-fd0));
  }
  int64_t fd1 = process_state().fds.insert(std::move(b));
  if (fd1 < 0) {
    process_state().fds.close(static_cast<u32>(fd0));
    return host_error(static_cast<int>(-fd1));
  }
  mem.store<u32>(fd0_out, static_cast<u32>(fd0));
  mem.store<u32>(fd1_out, static_cast<u32>(fd1));
  return Errno::SUCCESS;
}

// sock_status: 1 OPENED, 3 FAILED (a pending error, SO_ERROR).
Errno sock_status(Ctx& ctx, u32 fd, u32 status_out) {
  guest_memory(ctx).check(status_out, 1);
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(entry.host_fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return host_error(errno);
  guest_memory(ctx).store<uint8_t>(status_out, err ? 3 : 1);
  return Errno::SUCCESS;
}

// getsockname(2)/getpeername(2) into the guest's addr_port.
static Errno write_socket_address(Ctx& ctx, u32 fd, u32 addr_out, int (*lookup)(const FdEntry&, SocketAddress*)) {
  guest_memory(ctx).check(addr_out, kAddrPortSize);
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  SocketAddress addr;
  if (int e = lookup(entry, &addr)) return host_error(e);
  write_addr_port(guest_memory(ctx), addr_out, addr);
  return Errno::SUCCESS;
}

Errno sock_addr_local(Ctx& ctx, u32 fd, u32 addr_out) {
  return write_socket_address(ctx, fd, addr_out, kernel::local_address);
}

Errno sock_addr_peer(Ctx& ctx, u32 fd, u32 addr_out) {
  return write_socket_address(ctx, fd, addr_out, kernel::peer_address);
}

Errno sock_bind(Ctx& ctx, u32 fd, u32 addr_in) {
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  SocketAddress addr;
  if (Errno e = read_addr_port(guest_memory(ctx), addr_in, &addr); e != Errno::SUCCESS) return e;
  std::string name;
  if (int e = kernel::bind_socket(entry, addr, &name)) return host_error(e);
  if (!name.empty()) process_state().fds.update(fd, [&](FdEntry& en) { en.socket_local_path = name; });
  return Errno::SUCCESS;
}

Errno sock_listen(Ctx& ctx, u32 fd, u32 backlog) {
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  // listen(2): backlog is an int; Linux caps it at somaxconn.
  int n = backlog > INT_MAX ? INT_MAX : static_cast<int>(backlog);
  if (int e = kernel::listen_socket(entry, n)) return host_error(e);
  return Errno::SUCCESS;
}

Errno sock_connect(Ctx& ctx, u32 fd, u32 addr_in) {
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  SocketAddress addr;
  if (Errno e = read_addr_port(guest_memory(ctx), addr_in, &addr); e != Errno::SUCCESS) return e;
  std::string name;
  int e = kernel::connect_socket(entry, addr, &name);
  while (e == EINTR) {
    // Interrupted while the connection is under way: run the handler and
    // wait on, as Linux restarts connect(2) (signal(7)); the outcome is
    // the socket's pending error.
    kernel::deliver_pending(&ctx);
    pollfd p{entry.host_fd, POLLOUT, 0};
    if (poll(&p, 1, -1) < 0) {
      e = errno;
      continue;
    }
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(entry.host_fd, SOL_SOCKET, SO_ERROR, &err, &len);
    e = err;
  }
  if (e) return host_error(e);
  if (!name.empty()) process_state().fds.update(fd, [&](FdEntry& en) { en.socket_peer_path = name; });
  return Errno::SUCCESS;
}

Errno sock_accept_v2(Ctx& ctx, u32 fd, u32 fdflags, u32 fd_out, u32 addr_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(fd_out, 4);
  mem.check(addr_out, kAddrPortSize);
  FdEntry listener;
  if (Errno e = socket_entry(fd, &listener); e != Errno::SUCCESS) return e;
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  int flags = SOCK_CLOEXEC | ((fdflags & kFdflagNonblock) ? SOCK_NONBLOCK : 0);
  int host_fd = kernel::restart_on_eintr(&ctx, [&] {
    len = sizeof peer;
    return accept4(listener.host_fd, reinterpret_cast<sockaddr*>(&peer), &len, flags);
  });
  if (host_fd < 0) return host_error(errno);
  FdEntry entry;
  entry.host_fd = host_fd;
  // accept(2)'s socket has the listener's name (getsockname).
  entry.socket_local_path = listener.socket_local_path;
  if (Errno e = insert_socket(ctx, std::move(entry), fd_out); e != Errno::SUCCESS) return e;
  SocketAddress addr;
  kernel::address_from_host(peer, len, &addr);
  write_addr_port(mem, addr_out, addr);
  return Errno::SUCCESS;
}

Errno sock_accept(Ctx& ctx, u32 fd, u32 fdflags, u32 fd_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(fd_out, 4);
  FdEntry listener;
  if (Errno e = socket_entry(fd, &listener); e != Errno::SUCCESS) return e;
  int flags = SOCK_CLOEXEC | ((fdflags & kFdflagNonblock) ? SOCK_NONBLOCK : 0);
  int host_fd = kernel::restart_on_eintr(&ctx, [&] { return accept4(listener.host_fd, nullptr, nullptr, flags); });
  if (host_fd < 0) return host_error(errno);
  FdEntry entry;
  entry.host_fd = host_fd;
  entry.socket_local_path = listener.socket_local_path;
  return insert_socket(ctx, std::move(entry), fd_out);
}

Errno sock_recv(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 riflags, u32 nread_out, u32 roflags_out) {
  return receive(ctx, fd, iovs, iovs_len, riflags, nread_out, roflags_out, std::nullopt);
}

Errno sock_recv_from(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 riflags, u32 nread_out, u32 roflags_out,
                     u32 addr_out) {
  return receive(ctx, fd, iovs, iovs_len, riflags, nread_out, roflags_out, addr_out);
}

Errno sock_send(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 siflags, u32 nsent_out) {
  return send_common(ctx, fd, iovs, iovs_len, siflags, std::nullopt, nsent_out);
}

Errno sock_send_to(Ctx& ctx, u32 fd, u32 iovs, u32 iovs_len, u32 siflags, u32 addr, u32 nsent_out) {
  return send_common(ctx, fd, iovs, iovs_len, siflags, addr, nsent_out);
}

// sdflags: 1 RD, 2 WR (both: RDWR).
Errno sock_shutdown(Ctx& ctx, u32 fd, u32 how) {
  FdEntry entry;
  if (Errno e = socket_entry(fd, &entry); e != Errno::SUCCESS) return e;
  int h;
  switch (how) {
    case 1: h = SHUT_RD; break;
    case 2: h = SHUT_WR; break;
    case 3: h = SHUT_RDWR; break;
    default: return Errno::INVAL;
  }
  if (::shutdown(entry.host_fd, h) != 0) return host_error(errno);
  return Errno::SUCCESS;
}

// sendfile(2) from in_fd at `offset` (in_fd's own offset is not moved, as
// sendfile with an offset pointer), `count` bytes at most.
Errno sock_send_file(Ctx& ctx, u32 out_fd, u32 in_fd, u64 offset, u64 count, u32 sent_out) {
  guest_memory(ctx).check(sent_out, 8);
  FdEntry out, in;
  if (Errno e = socket_entry(out_fd, &out); e != Errno::SUCCESS) return e;
  if (Errno e = socket_entry(in_fd, &in); e != Errno::SUCCESS) return e;
  if (offset > static_cast<u64>(INT64_MAX)) return Errno::INVAL;
  off_t at = static_cast<off_t>(offset);
  size_t n = count > 0x7ffff000 ? 0x7ffff000 : static_cast<size_t>(count);  // Linux's per-call cap
  ssize_t r = kernel::restart_on_eintr(&ctx, [&] { return sendfile(out.host_fd, in.host_fd, &at, n); });
  if (r < 0) return host_error(errno);
  guest_memory(ctx).store<u64>(sent_out, static_cast<u64>(r));
  return Errno::SUCCESS;
}

Errno sock_set_opt_flag(Ctx&, u32 fd, u32 opt, u32 flag) {
  if (opt == 13 || opt == 15 || opt == 16 || (opt >= 17 && opt <= 26 && opt != 23)) return Errno::INVAL;
  return set_int_option(fd, opt, flag ? 1 : 0);
}

Errno sock_get_opt_flag(Ctx& ctx, u32 fd, u32 opt, u32 flag_out) {
  guest_memory(ctx).check(flag_out, 1);
  int64_t v = 0;
  if (Errno e = get_int_option(fd, opt, &v); e != Errno::SUCCESS) return e;
  guest_memory(ctx).store<uint8_t>(flag_out, v ? 1 : 0);
  return Errno::SUCCESS;
}

// option_timestamp (16 bytes): tag u8 @0 (1: some), nanoseconds u64 @8.
// RECV/SEND/ACCEPT_TIMEOUT are SO_RCVTIMEO/SO_SNDTIMEO; LINGER is SO_LINGER
// (seconds, rounded up).
Errno sock_set_opt_time(Ctx& ctx, u32 fd, u32 opt, u32 time) {
  GuestMemory mem = guest_memory(ctx);
  bool some = mem.load<uint8_t>(time) == 1;
  u64 ns = mem.load<u64>(time + 8);
  if (opt != 13 && opt != 19 && opt != 20 && opt != 22) return opt == 21 ? Errno::NOPROTOOPT : Errno::INVAL;
  FdEntry entry;
  HostOption o;
  if (Errno e = option_for(fd, opt, &entry, &o); e != Errno::SUCCESS) return e;
  if (opt == 13) {
    linger l{some ? 1 : 0, static_cast<int>(std::min<u64>((ns + 999999999) / 1000000000, INT_MAX))};
    if (setsockopt(entry.host_fd, o.level, o.name, &l, sizeof l) != 0) return host_error(errno);
    return Errno::SUCCESS;
  }
  timeval tv{};
  if (some) {
    u64 us = (ns + 999) / 1000;  // round up: a tiny timeout must not become "none"
    tv.tv_sec = static_cast<time_t>(std::min<u64>(us / 1000000, INT32_MAX));
    tv.tv_usec = static_cast<suseconds_t>(us % 1000000);
  }
  if (setsockopt(entry.host_fd, o.level, o.name, &tv, sizeof tv) != 0) return host_error(errno);
  return Errno::SUCCESS;
}

Errno sock_get_opt_time(Ctx& ctx, u32 fd, u32 opt, u32 time_out) {
  guest_memory(ctx).check(time_out, 16);
  if (opt != 13 && opt != 19 && opt != 20 && opt != 22) return opt == 21 ? Errno::NOPROTOOPT : Errno::INVAL;
  FdEntry entry;
  HostOption o;
  if (Errno e = option_for(fd, opt, &entry, &o); e != Errno::SUCCESS) return e;
  uint8_t buf[16] = {};
  u64 ns = 0;
  bool some = false;
  if (opt == 13) {
    linger l{};
    socklen_t len = sizeof l;
    if (getsockopt(entry.host_fd, o.level, o.name, &l, &len) != 0) return host_error(errno);
    some = l.l_onoff != 0;
    ns = static_cast<u64>(l.l_linger) * 1000000000ull;
  } else {
    timeval tv{};
    socklen_t len = sizeof tv;
    if (getsockopt(entry.host_fd, o.level, o.name, &tv, &len) != 0) return host_error(errno);
    ns = static_cast<u64>(tv.tv_sec) * 1000000000ull + static_cast<u64>(tv.tv_usec) * 1000ull;
    some = ns != 0;
  }
  buf[0] = some ? 1 : 0;
  memcpy(buf + 8, &ns, 8);
  guest_memory(ctx).copy_out(time_out, buf, sizeof buf);
  return Errno::SUCCESS;
}

Errno sock_set_opt_size(Ctx&, u32 fd, u32 opt, u64 size) {
  if (opt != 15 && opt != 16 && opt != 17 && opt != 18 && opt != 23 && opt != 24) return Errno::INVAL;
  if (size > INT_MAX) return Errno::INVAL;
  return set_int_option(fd, opt, static_cast<int>(size));
}

Errno sock_get_opt_size(Ctx& ctx, u32 fd, u32 opt, u32 size_out) {
  guest_memory(ctx).check(size_out, 8);
  int64_t v = 0;
  if (Errno e = get_int_option(fd, opt, &v); e != Errno::SUCCESS) return e;
  guest_memory(ctx).store<u64>(size_out, static_cast<u64>(v));
  return Errno::SUCCESS;
}

// resolve: getaddrinfo(3) on the host for `host` (port stored into each
// result is the caller's; addr_ip entries are 18 bytes: tag u8 @0, 1 INET4
// (4 bytes @2), 2 INET6 (16 bytes @2)). Numeric addresses need no network
// and always resolve; names go to the host's resolver (DNS: the network)
// only when the policy allows some networking, else EACCES with the hint.
// Under loopback, names resolve (e.g. "localhost") but connecting to a
// non-loopback result is refused by connect itself.
Errno resolve(Ctx& ctx, u32 host, u32 host_len, u32 port, u32 addrs_out, u32 max, u32 count_out) {
  GuestMemory mem = guest_memory(ctx);
  if (host_len > 1024) return Errno::INVAL;
  std::string name = mem.string(host, host_len);
  mem.check(count_out, 4);
  mem.check(addrs_out, uint64_t{max} * 18);
  if (name.find('\0') != std::string::npos) return Errno::INVAL;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;  // one result per address
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* res = nullptr;
  int r = getaddrinfo(name.c_str(), nullptr, &hints, &res);
  if (r == EAI_NONAME) {
    if (kernel::net_policy() == kernel::NetPolicy::kOff) {
      sockaddr_in probe{};
      probe.sin_family = AF_INET;
      return host_error(kernel::check_address(reinterpret_cast<sockaddr*>(&probe), sizeof probe, false));
    }
    hints.ai_flags = 0;
    r = getaddrinfo(name.c_str(), nullptr, &hints, &res);
  }
  if (r != 0) {
    switch (r) {
      case EAI_NONAME: case EAI_NODATA: return Errno::NOENT;
      case EAI_AGAIN: return Errno::AGAIN;
      case EAI_MEMORY: return Errno::NOMEM;
      case EAI_SYSTEM: return host_error(errno);
      default: return Errno::IO;
    }
  }
  (void)port;
  u32 n = 0;
  for (addrinfo* a = res; a && n < max; a = a->ai_next) {
    uint8_t buf[18] = {};
    if (a->ai_family == AF_INET) {
      buf[0] = 1;
      memcpy(buf + 2, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, 4);
    } else if (a->ai_family == AF_INET6) {
      buf[0] = 2;
      memcpy(buf + 2, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    mem.copy_out(addrs_out + 18ull * n, buf, sizeof buf);
    ++n;
  }
  freeaddrinfo(res);
  mem.store<u32>(count_out, n);
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
