/* BSD sockets and epoll over the wasix_32v1 imports (wasix_socket.h). */
#include "wasix_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static int fail(wasix_errno_t e) {
  errno = e;
  return -1;
}

/* wasi-libc's SOCK_STREAM/SOCK_DGRAM are WASI filetypes (6, 5); WASIX's
 * socket types are 1 STREAM, 2 DGRAM, 3 RAW. */
static int wasix_type(int type) {
  switch (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
    case SOCK_STREAM: return 1;
    case SOCK_DGRAM: return 2;
    case SOCK_RAW: return 3;
    default: return -1;
  }
}

/* Applies SOCK_NONBLOCK / SOCK_CLOEXEC (also accept4's flags). */
static int apply_flags(int fd, int flags) {
  if (flags & SOCK_NONBLOCK) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
  }
  if (flags & SOCK_CLOEXEC) {
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return -1;
  }
  return 0;
}

/* sockaddr (wasi-libc: family 1 INET, 2 INET6, 3 UNIX) -> addr_port. */
static int to_addr_port(const struct sockaddr* sa, socklen_t len, wasix_addr_port_t* out) {
  memset(out, 0, sizeof *out);
  if (!sa || len < sizeof(sa_family_t)) return fail(EINVAL);
  switch (sa->sa_family) {
    case AF_INET: {
      if (len < sizeof(struct sockaddr_in)) return fail(EINVAL);
      const struct sockaddr_in* in = (const struct sockaddr_in*)sa;
      uint16_t port = ntohs(in->sin_port);
      out->tag = 1;
      memcpy(out->bytes, &port, 2);
      memcpy(out->bytes + 2, &in->sin_addr, 4);
      return 0;
    }
    case AF_INET6: {
      if (len < sizeof(struct sockaddr_in6)) return fail(EINVAL);
      const struct sockaddr_in6* in6 = (const struct sockaddr_in6*)sa;
      uint16_t port = ntohs(in6->sin6_port);
      out->tag = 2;
      memcpy(out->bytes, &port, 2);
      memcpy(out->bytes + 2, &in6->sin6_addr, 16);
      uint32_t flow = ntohl(in6->sin6_flowinfo), scope = in6->sin6_scope_id;
      uint16_t parts[4] = {(uint16_t)(flow >> 16), (uint16_t)flow, (uint16_t)(scope >> 16), (uint16_t)scope};
      memcpy(out->bytes + 18, parts, 8);
      return 0;
    }
    case AF_UNIX: {
      const struct sockaddr_un* un = (const struct sockaddr_un*)sa;
      size_t n = len - offsetof(struct sockaddr_un, sun_path);
      if (n > sizeof un->sun_path) return fail(EINVAL);
      out->tag = 3;
      memcpy(out->bytes, un->sun_path, n);
      return 0;
    }
    default:
      return fail(EAFNOSUPPORT);
  }
}

/* addr_port -> sockaddr, truncated to *len as POSIX says; *len is set to
 * the full size. */
static void from_addr_port(const wasix_addr_port_t* in, struct sockaddr* sa, socklen_t* len) {
  if (!sa || !len) return;
  struct sockaddr_storage ss;
  socklen_t full = 0;
  memset(&ss, 0, sizeof ss);
  if (in->tag == 1) {
    struct sockaddr_in* a = (struct sockaddr_in*)&ss;
    uint16_t port;
    memcpy(&port, in->bytes, 2);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    memcpy(&a->sin_addr, in->bytes + 2, 4);
    full = sizeof *a;
  } else if (in->tag == 2) {
    struct sockaddr_in6* a = (struct sockaddr_in6*)&ss;
    uint16_t port, parts[4];
    memcpy(&port, in->bytes, 2);
    memcpy(parts, in->bytes + 18, 8);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    memcpy(&a->sin6_addr, in->bytes + 2, 16);
    a->sin6_flowinfo = htonl((uint32_t)parts[0] << 16 | parts[1]);
    a->sin6_scope_id = (uint32_t)parts[2] << 16 | parts[3];
    full = sizeof *a;
  } else if (in->tag == 3) {
    struct sockaddr_un* a = (struct sockaddr_un*)&ss;
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path, in->bytes, sizeof a->sun_path);
    full = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strnlen(a->sun_path, sizeof a->sun_path) + 1);
    if (a->sun_path[0] == '\0') full = offsetof(struct sockaddr_un, sun_path);  /* unnamed */
  } else {
    ss.ss_family = AF_UNSPEC;
    full = sizeof(sa_family_t);
  }
  memcpy(sa, &ss, *len < full ? *len : full);
  *len = full;
}

int socket(int domain, int type, int protocol) {
  int t = wasix_type(type);
  if (t < 0) return fail(EINVAL);
  uint32_t fd;
  wasix_errno_t e = __wasix_sock_open((uint32_t)domain, (uint32_t)t, (uint32_t)protocol, &fd);
  if (e) return fail(e);
  if (apply_flags((int)fd, type) < 0) {
    int saved = errno;
    close((int)fd);
    return fail(saved);
  }
  return (int)fd;
}

int socketpair(int domain, int type, int protocol, int fds[2]) {
  int t = wasix_type(type);
  if (t < 0) return fail(EINVAL);
  uint32_t a, b;
  wasix_errno_t e = __wasix_sock_pair((uint32_t)domain, (uint32_t)t, (uint32_t)protocol, &a, &b);
  if (e) return fail(e);
  if (apply_flags((int)a, type) < 0 || apply_flags((int)b, type) < 0) {
    int saved = errno;
    close((int)a);
    close((int)b);
    return fail(saved);
  }
  fds[0] = (int)a;
  fds[1] = (int)b;
  return 0;
}

int bind(int fd, const struct sockaddr* addr, socklen_t len) {
  wasix_addr_port_t a;
  if (to_addr_port(addr, len, &a) < 0) return -1;
  wasix_errno_t e = __wasix_sock_bind((uint32_t)fd, &a);
  return e ? fail(e) : 0;
}

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  wasix_addr_port_t a;
  if (to_addr_port(addr, len, &a) < 0) return -1;
  wasix_errno_t e = __wasix_sock_connect((uint32_t)fd, &a);
  return e ? fail(e) : 0;
}

int listen(int fd, int backlog) {
  wasix_errno_t e = __wasix_sock_listen((uint32_t)fd, backlog < 0 ? 0 : (uint32_t)backlog);
  return e ? fail(e) : 0;
}

int wasix_accept4(int fd, struct sockaddr* addr, socklen_t* len, int flags) {
  uint32_t out;
  wasix_addr_port_t a;
  wasix_errno_t e = __wasix_sock_accept_v2((uint32_t)fd, (flags & SOCK_NONBLOCK) ? 4 : 0, &out, &a);
  if (e) return fail(e);
  if ((flags & SOCK_CLOEXEC) && apply_flags((int)out, SOCK_CLOEXEC) < 0) {
    int saved = errno;
    close((int)out);
    return fail(saved);
  }
  from_addr_port(&a, addr, len);
  return (int)out;
}

int wasix_accept(int fd, struct sockaddr* addr, socklen_t* len) { return wasix_accept4(fd, addr, len, 0); }

int getsockname(int fd, struct sockaddr* addr, socklen_t* len) {
  wasix_addr_port_t a;
  wasix_errno_t e = __wasix_sock_addr_local((uint32_t)fd, &a);
  if (e) return fail(e);
  from_addr_port(&a, addr, len);
  return 0;
}

int getpeername(int fd, struct sockaddr* addr, socklen_t* len) {
  wasix_addr_port_t a;
  wasix_errno_t e = __wasix_sock_addr_peer((uint32_t)fd, &a);
  if (e) return fail(e);
  from_addr_port(&a, addr, len);
  return 0;
}

static uint32_t si_flags(int flags) { return (flags & MSG_DONTWAIT) ? 1 : 0; }
static uint32_t ri_flags(int flags) {
  return ((flags & MSG_PEEK) ? 1 : 0) | ((flags & MSG_WAITALL) ? 2 : 0) | ((flags & MSG_DONTWAIT) ? 8 : 0);
}

ssize_t sendto(int fd, const void* buf, size_t len, int flags, const struct sockaddr* addr, socklen_t alen) {
  struct iovec iov = {(void*)buf, len};
  uint32_t sent;
  wasix_addr_port_t a;
  memset(&a, 0, sizeof a);
  if (addr && to_addr_port(addr, alen, &a) < 0) return -1;
  wasix_errno_t e = __wasix_sock_send_to((uint32_t)fd, &iov, 1, si_flags(flags), &a, &sent);
  return e ? fail(e) : (ssize_t)sent;
}

ssize_t wasix_send(int fd, const void* buf, size_t len, int flags) { return sendto(fd, buf, len, flags, NULL, 0); }

ssize_t wasix_recv(int fd, void* buf, size_t len, int flags) { return recvfrom(fd, buf, len, flags, NULL, NULL); }

ssize_t recvfrom(int fd, void* buf, size_t len, int flags, struct sockaddr* addr, socklen_t* alen) {
  struct iovec iov = {buf, len};
  uint32_t got;
  uint16_t roflags;
  wasix_addr_port_t a;
  wasix_errno_t e = __wasix_sock_recv_from((uint32_t)fd, &iov, 1, ri_flags(flags), &got, &roflags, &a);
  if (e) return fail(e);
  from_addr_port(&a, addr, alen);
  return (ssize_t)got;
}

/* (level, name) -> WASIX sock_option and its kind (0 flag, 1 size, 2 time,
 * 3 linger: a time whose tag is l_onoff). */
static int wasix_option(int level, int name, int* kind) {
  *kind = 0;
  if (level == SOL_SOCKET) {
    switch (name) {
      case SO_REUSEADDR: return 2;
      case SO_REUSEPORT: return 1;
      case SO_DONTROUTE: return 4;
      case SO_BROADCAST: return 6;
      case SO_ACCEPTCONN: return 10;
      case SO_ERROR: *kind = 1; return 11;
      case SO_KEEPALIVE: return 12;
      case SO_LINGER: *kind = 3; return 13;
      case SO_OOBINLINE: return 14;
      case SO_RCVBUF: *kind = 1; return 15;
      case SO_SNDBUF: *kind = 1; return 16;
      case SO_RCVLOWAT: *kind = 1; return 17;
      case SO_SNDLOWAT: *kind = 1; return 18;
      case SO_RCVTIMEO: *kind = 2; return 19;
      case SO_SNDTIMEO: *kind = 2; return 20;
      case SO_TYPE: *kind = 1; return 25;
      case SO_PROTOCOL: *kind = 1; return 26;
    }
  } else if (level == IPPROTO_TCP && name == TCP_NODELAY) {
    return 3;
  } else if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY) {
    return 5;
  } else if (level == IPPROTO_IP && name == IP_TTL) {
    *kind = 1;
    return 23;
  }
  return -1;
}

int setsockopt(int fd, int level, int name, const void* value, socklen_t len) {
  int kind;
  int opt = wasix_option(level, name, &kind);
  if (opt < 0) return fail(ENOPROTOOPT);
  wasix_errno_t e;
  if (kind == 3) {
    if (len < sizeof(struct linger)) return fail(EINVAL);
    const struct linger* l = value;
    wasix_option_timestamp_t t = {l->l_onoff ? 1 : 0, (uint64_t)(l->l_linger < 0 ? 0 : l->l_linger) * 1000000000ull};
    e = __wasix_sock_set_opt_time((uint32_t)fd, (uint32_t)opt, &t);
  } else if (kind == 2) {
    if (len < sizeof(struct timeval)) return fail(EINVAL);
    const struct timeval* tv = value;
    wasix_option_timestamp_t t = {0, 0};
    uint64_t ns = (uint64_t)tv->tv_sec * 1000000000ull + (uint64_t)tv->tv_usec * 1000ull;
    if (ns) t.tag = 1, t.ns = ns;
    e = __wasix_sock_set_opt_time((uint32_t)fd, (uint32_t)opt, &t);
  } else {
    if (len < sizeof(int)) return fail(EINVAL);
    int v = *(const int*)value;
    e = kind == 1 ? __wasix_sock_set_opt_size((uint32_t)fd, (uint32_t)opt, (uint64_t)(int64_t)v)
                  : __wasix_sock_set_opt_flag((uint32_t)fd, (uint32_t)opt, v != 0);
  }
  return e ? fail(e) : 0;
}

int wasix_getsockopt(int fd, int level, int name, void* value, socklen_t* len) {
  int kind;
  int opt = wasix_option(level, name, &kind);
  if (opt < 0) return fail(ENOPROTOOPT);
  wasix_errno_t e;
  if (kind == 3) {
    if (*len < sizeof(struct linger)) return fail(EINVAL);
    wasix_option_timestamp_t t;
    e = __wasix_sock_get_opt_time((uint32_t)fd, (uint32_t)opt, &t);
    if (e) return fail(e);
    struct linger* l = value;
    l->l_onoff = t.tag == 1;
    l->l_linger = (int)(t.ns / 1000000000ull);
    *len = sizeof *l;
    return 0;
  }
  if (kind == 2) {
    if (*len < sizeof(struct timeval)) return fail(EINVAL);
    wasix_option_timestamp_t t;
    e = __wasix_sock_get_opt_time((uint32_t)fd, (uint32_t)opt, &t);
    if (e) return fail(e);
    struct timeval* tv = value;
    uint64_t ns = t.tag ? t.ns : 0;
    tv->tv_sec = (time_t)(ns / 1000000000ull);
    tv->tv_usec = (suseconds_t)(ns % 1000000000ull / 1000);
    *len = sizeof *tv;
    return 0;
  }
  if (*len < sizeof(int)) return fail(EINVAL);
  int v;
  if (kind == 1) {
    uint64_t size;
    e = __wasix_sock_get_opt_size((uint32_t)fd, (uint32_t)opt, &size);
    v = (int)size;
    if (!e && name == SO_TYPE && level == SOL_SOCKET) v = size == 1 ? SOCK_STREAM : size == 2 ? SOCK_DGRAM : (int)size;
  } else {
    uint8_t flag;
    e = __wasix_sock_get_opt_flag((uint32_t)fd, (uint32_t)opt, &flag);
    v = flag;
  }
  if (e) return fail(e);
  *(int*)value = v;
  *len = sizeof(int);
  return 0;
}

ssize_t sendfile(int out_fd, int in_fd, off_t* offset, size_t count) {
  uint64_t sent;
  off_t at = offset ? *offset : lseek(in_fd, 0, SEEK_CUR);
  if (at < 0) return -1;
  wasix_errno_t e = __wasix_sock_send_file((uint32_t)out_fd, (uint32_t)in_fd, (uint64_t)at, count, &sent);
  if (e) return fail(e);
  if (offset)
    *offset += (off_t)sent;
  else
    lseek(in_fd, (off_t)sent, SEEK_CUR);  /* sendfile(2) without offset moves in_fd's */
  return (ssize_t)sent;
}

/* epoll: Linux bit values <-> WASIX's (1 IN, 2 OUT, 4 RDHUP, 8 PRI, 16 ERR,
 * 32 HUP, 64 ET, 128 ONESHOT). */
static const uint32_t kEpollBits[][2] = {
    {EPOLLIN, 1},   {EPOLLOUT, 2},  {EPOLLRDHUP, 4}, {EPOLLPRI, 8},
    {EPOLLERR, 16}, {EPOLLHUP, 32}, {EPOLLET, 64},   {EPOLLONESHOT, 128},
};
static uint32_t to_wasix_events(uint32_t linux_events) {
  uint32_t out = 0;
  for (size_t i = 0; i < sizeof kEpollBits / sizeof kEpollBits[0]; ++i)
    if (linux_events & kEpollBits[i][0]) out |= kEpollBits[i][1];
  return out;
}
static uint32_t from_wasix_events(uint32_t wasix_events) {
  uint32_t out = 0;
  for (size_t i = 0; i < sizeof kEpollBits / sizeof kEpollBits[0]; ++i)
    if (wasix_events & kEpollBits[i][1]) out |= kEpollBits[i][0];
  return out;
}

int epoll_create1(int flags) {
  if (flags & ~EPOLL_CLOEXEC) return fail(EINVAL);
  uint32_t fd;
  wasix_errno_t e = __wasix_epoll_create(&fd);
  if (e) return fail(e);
  if ((flags & EPOLL_CLOEXEC) && apply_flags((int)fd, SOCK_CLOEXEC) < 0) {
    int saved = errno;
    close((int)fd);
    return fail(saved);
  }
  return (int)fd;
}

int epoll_create(int size) { return size <= 0 ? fail(EINVAL) : epoll_create1(0); }

int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event) {
  /* Linux's ops are 1 ADD, 2 DEL, 3 MOD; WASIX's 0 ADD, 1 MOD, 2 DEL. */
  uint32_t wop = op == EPOLL_CTL_ADD ? 0 : op == EPOLL_CTL_MOD ? 1 : op == EPOLL_CTL_DEL ? 2 : 99;
  if (wop == 99) return fail(EINVAL);
  wasix_epoll_event_t ev;
  memset(&ev, 0, sizeof ev);
  if (event) {
    ev.events = to_wasix_events(event->events);
    ev.data_ptr = (uint32_t)event->data.u64;
    ev.data_fd = (uint32_t)event->data.u64;
    ev.data2 = event->data.u64;
  } else if (op != EPOLL_CTL_DEL) {
    return fail(EFAULT);
  }
  wasix_errno_t e = __wasix_epoll_ctl((uint32_t)epfd, wop, (uint32_t)fd, event ? &ev : NULL);
  return e ? fail(e) : 0;
}

int epoll_wait(int epfd, struct epoll_event* events, int max, int timeout_ms) {
  if (max <= 0) return fail(EINVAL);
  enum { kBatch = 64 };
  wasix_epoll_event_t buf[kBatch];
  uint32_t want = (uint32_t)(max < kBatch ? max : kBatch);
  uint64_t timeout = timeout_ms < 0 ? UINT64_MAX : (uint64_t)timeout_ms * 1000000ull;
  uint32_t n;
  wasix_errno_t e = __wasix_epoll_wait((uint32_t)epfd, buf, want, timeout, &n);
  if (e) return fail(e);
  for (uint32_t i = 0; i < n; ++i) {
    events[i].events = from_wasix_events(buf[i].events);
    events[i].data.u64 = buf[i].data2;
  }
  return (int)n;
}
