// Sockets and epoll, run as the same program natively and under wasixc
// (loopback only; every wait bounded):
//   net echo-fork        TCP echo: the parent listens on 127.0.0.1, a forked
//                        child connects, sends lines and reads them back
//   net server           TCP echo server: prints its port, serves one client
//   net client PORT      TCP client of `net server` (a separate executable)
//   net udp              UDP round trip between two sockets, addresses checked
//   net pair-fork        socketpair IPC across fork, both directions
//   net nonblock-epoll   non-blocking connect (EINPROGRESS), completion seen by
//                        epoll (EPOLLOUT, SO_ERROR 0), then data (EPOLLIN)
//   net many N           N concurrent connections to an epoll echo server
//                        (edge-triggered), from a forked child
//   net half-close       the client shuts down writing; the server reads to
//                        EOF, answers, the client reads the answer then EOF
//   net reset [ignore]   the peer resets (SO_LINGER 0): recv gets ECONNRESET,
//                        the next send EPIPE; without `ignore` SIGPIPE kills
//   net unix DIR         Unix-domain stream socket at DIR/sock (a guest path
//                        under wasixc): bind, getsockname, fork + connect, echo
//   net epoll-eintr      a timer's handler runs during epoll_wait, which ends
//                        with EINTR (never restarted, signal(7))
//   net poll-mixed FILE  poll() over a socket, a pipe, a file (FILE, made) and a timeout
//   net sendfile FILE    sendfile(2) of FILE (made) into a socket, with and
//                        without an offset
//   net resolve          (wasixc only) the resolve import: numeric names and
//                        "localhost"
//   net policy           (wasixc only) what networking off / loopback allows
//   net unix-escape DIR  (wasixc only) Unix names never reach the host
#define _GNU_SOURCE
#ifdef __wasi__
#include <wasix_socket.h>
#else
#include <signal.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHECK(x)                                                              \
  do {                                                                        \
    if (!(x)) {                                                               \
      printf("FAILED: %s (line %d, errno %s)\n", #x, __LINE__, strerror(errno)); \
      fflush(stdout);                                                         \
      _exit(1);                                                               \
    }                                                                         \
  } while (0)

static const char* errname(int e) {
  switch (e) {
    case 0: return "0";
    case EACCES: return "EACCES";
    case EINPROGRESS: return "EINPROGRESS";
    case ECONNRESET: return "ECONNRESET";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EPIPE: return "EPIPE";
    case EINTR: return "EINTR";
    case ENOENT: return "ENOENT";
    case EAGAIN: return "EAGAIN";
    case EADDRINUSE: return "EADDRINUSE";
    case EROFS: return "EROFS";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EFAULT: return "EFAULT";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: return strerror(e);
  }
}

// 127.0.0.1:port (0: any port).
static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

static int listen_loopback(int type, int* port) {
  int fd = socket(AF_INET, type, 0);
  CHECK(fd >= 0);
  int one = 1;
  CHECK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
  struct sockaddr_in a = loopback(0);
  CHECK(bind(fd, (struct sockaddr*)&a, sizeof a) == 0);
  if (type == SOCK_STREAM) CHECK(listen(fd, 1024) == 0);
  socklen_t len = sizeof a;
  CHECK(getsockname(fd, (struct sockaddr*)&a, &len) == 0);
  CHECK(a.sin_family == AF_INET && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && a.sin_port != 0);
  *port = ntohs(a.sin_port);
  return fd;
}

static int connect_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(fd >= 0);
  struct sockaddr_in a = loopback(port);
  CHECK(connect(fd, (struct sockaddr*)&a, sizeof a) == 0);
  return fd;
}

static void write_all(int fd, const char* buf, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, buf, n, 0);
    CHECK(w > 0);
    buf += w;
    n -= (size_t)w;
  }
}

static size_t read_exact(int fd, char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = recv(fd, buf + got, n - got, 0);
    CHECK(r >= 0);
    if (r == 0) break;
    got += (size_t)r;
  }
  return got;
}

// A loopback TCP listener and a forked child that runs `client(port, arg)`
// against it, then exits 0 (stdout is flushed first, so nothing buffered
// prints twice). Returns the listener; *pid is the child.
static int listen_and_fork_client(void (*client)(int port, int arg), int arg, pid_t* pid) {
  int port;
  int listener = listen_loopback(SOCK_STREAM, &port);
  fflush(stdout);
  *pid = fork();
  CHECK(*pid >= 0);
  if (*pid == 0) {
    close(listener);
    client(port, arg);
    fflush(stdout);
    _exit(0);
  }
  return listener;
}

// The child's exit status, or 128 + the signal that ended it.
static int wait_child(pid_t pid) {
  int status;
  CHECK(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void echo_one_client(int listener) {
  struct sockaddr_in peer;
  socklen_t plen = sizeof peer;
  int c = accept(listener, (struct sockaddr*)&peer, &plen);
  CHECK(c >= 0);
  CHECK(peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  char buf[4096];
  size_t total = 0;
  for (;;) {
    ssize_t r = recv(c, buf, sizeof buf, 0);
    CHECK(r >= 0);
    if (r == 0) break;
    write_all(c, buf, (size_t)r);
    total += (size_t)r;
  }
  printf("server: echoed %zu bytes\n", total);
  close(c);
}

static void client_session(int port, int unused) {
  (void)unused;
  int fd = connect_loopback(port);
  int one = 1;
  CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0);
  struct sockaddr_in peer;
  socklen_t plen = sizeof peer;
  CHECK(getpeername(fd, (struct sockaddr*)&peer, &plen) == 0);
  CHECK(ntohs(peer.sin_port) == port);
  char line[64], back[64];
  for (int i = 0; i < 5; i++) {
    int n = snprintf(line, sizeof line, "line %d\n", i);
    write_all(fd, line, (size_t)n);
    CHECK(read_exact(fd, back, (size_t)n) == (size_t)n);
    CHECK(memcmp(line, back, (size_t)n) == 0);
    printf("client: %.*s", n, back);
  }
  // A large transfer in both directions at once (the server echoes as it reads).
  static char big[1 << 18], got[1 << 18];
  for (size_t i = 0; i < sizeof big; i++) big[i] = (char)(i * 7);
  pid_t writer = fork();
  if (writer == 0) {
    write_all(fd, big, sizeof big);
    _exit(0);
  }
  CHECK(read_exact(fd, got, sizeof got) == sizeof got);
  CHECK(memcmp(big, got, sizeof big) == 0);
  CHECK(wait_child(writer) == 0);
  printf("client: 262144 bytes echoed intact\n");
  close(fd);
}

static int echo_fork(void) {
  pid_t pid;
  int listener = listen_and_fork_client(client_session, 0, &pid);
  echo_one_client(listener);
  printf("child exited %d\n", wait_child(pid));
  return 0;
}

static int udp(void) {
  int pa, pb;
  int a = listen_loopback(SOCK_DGRAM, &pa);
  int b = listen_loopback(SOCK_DGRAM, &pb);
  struct sockaddr_in to = loopback(pb);
  CHECK(sendto(a, "ping", 4, 0, (struct sockaddr*)&to, sizeof to) == 4);
  char buf[16];
  struct sockaddr_in from;
  socklen_t flen = sizeof from;
  ssize_t n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr*)&from, &flen);
  CHECK(n == 4 && memcmp(buf, "ping", 4) == 0);
  CHECK(from.sin_family == AF_INET && ntohs(from.sin_port) == pa && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  CHECK(sendto(b, "pong!", 5, 0, (struct sockaddr*)&from, flen) == 5);
  n = recvfrom(a, buf, sizeof buf, 0, NULL, NULL);
  CHECK(n == 5 && memcmp(buf, "pong!", 5) == 0);
  // A datagram larger than the buffer is truncated (the rest is dropped).
  CHECK(sendto(a, "0123456789", 10, 0, (struct sockaddr*)&to, sizeof to) == 10);
  n = recvfrom(b, buf, 4, 0, NULL, NULL);
  printf("udp: ping/pong between ports, addresses match; truncated read %zd\n", n);
  // connect() on UDP fixes the peer: send() works, datagrams from others are filtered.
  CHECK(connect(a, (struct sockaddr*)&to, sizeof to) == 0);
  CHECK(send(a, "x", 1, 0) == 1);
  CHECK(recv(b, buf, sizeof buf, 0) == 1);
  printf("udp: connected send ok\n");
  return 0;
}

static int pair_fork(void) {
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    close(sv[0]);
    char buf[32];
    ssize_t n = read(sv[1], buf, sizeof buf);
    CHECK(n > 0);
    for (ssize_t i = 0; i < n; i++) buf[i] = (char)(buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 : buf[i]);
    CHECK(write(sv[1], buf, (size_t)n) == n);
    _exit(0);
  }
  close(sv[1]);
  CHECK(write(sv[0], "hello over a pair", 17) == 17);
  char buf[32];
  CHECK(read_exact(sv[0], buf, 17) == 17);
  printf("pair: %.17s\n", buf);
  CHECK(wait_child(pid) == 0);
  // SOCK_DGRAM pairs keep message boundaries.
  int dg[2];
  CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, dg) == 0);
  CHECK(send(dg[0], "ab", 2, 0) == 2 && send(dg[0], "cde", 3, 0) == 3);
  printf("pair dgram: %zd %zd\n", recv(dg[1], buf, sizeof buf, 0), recv(dg[1], buf, sizeof buf, 0));
  // Linux: socketpair is Unix-domain only.
  errno = 0;
  int r = socketpair(AF_INET, SOCK_STREAM, 0, dg);
  printf("pair inet: %d %s\n", r, errname(errno));
  return 0;
}

static int nonblock_epoll(void) {
  int port;
  int listener = listen_loopback(SOCK_STREAM, &port);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  CHECK(fd >= 0);
  struct sockaddr_in a = loopback(port);
  int r = connect(fd, (struct sockaddr*)&a, sizeof a);
  printf("connect: %s\n", r == 0 ? "0" : errname(errno));
  int ep = epoll_create1(EPOLL_CLOEXEC);
  CHECK(ep >= 0);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLOUT;
  ev.data.u64 = 0x1234567890abcdefull;
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0);
  errno = 0;
  printf("add twice: %d %s\n", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), errno == EEXIST ? "EEXIST" : errname(errno));
  struct epoll_event out[4];
  int n = epoll_wait(ep, out, 4, 5000);
  CHECK(n == 1);
  printf("epoll: out=%d data ok=%d\n", !!(out[0].events & EPOLLOUT), out[0].data.u64 == 0x1234567890abcdefull);
  int err = -1;
  socklen_t len = sizeof err;
  CHECK(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0);
  printf("SO_ERROR: %d\n", err);
  int c = accept(listener, NULL, NULL);
  CHECK(c >= 0);
  // Level-triggered EPOLLIN: reported while data is unread.
  ev.events = EPOLLIN;
  ev.data.u64 = 7;
  CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0);
  printf("nothing yet: %d\n", epoll_wait(ep, out, 4, 50));
  CHECK(write(c, "data", 4) == 4);
  for (int round = 0; round < 2; round++) {
    n = epoll_wait(ep, out, 4, 5000);
    printf("level %d: n=%d in=%d data=%llu\n", round, n, !!(out[0].events & EPOLLIN), (unsigned long long)out[0].data.u64);
  }
  // Edge-triggered: reported once per arrival.
  ev.events = EPOLLIN | EPOLLET;
  CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0);
  printf("edge first: %d\n", epoll_wait(ep, out, 4, 1000));
  printf("edge again: %d\n", epoll_wait(ep, out, 4, 50));
  char buf[8];
  CHECK(read(fd, buf, sizeof buf) == 4);
  errno = 0;
  printf("drained: %zd %s\n", read(fd, buf, sizeof buf), errname(errno));
  // The peer closes: EPOLLIN + EPOLLRDHUP.
  ev.events = EPOLLIN | EPOLLRDHUP;
  CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0);
  close(c);
  n = epoll_wait(ep, out, 4, 5000);
  printf("peer closed: n=%d rdhup=%d\n", n, !!(out[0].events & EPOLLRDHUP));
  CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) == 0);
  errno = 0;
  printf("del again: %d %s\n", epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL), errno == ENOENT ? "ENOENT" : errname(errno));
  printf("empty: %d\n", epoll_wait(ep, out, 4, 10));
  return 0;
}

// `count` connections at once, each sending its number and reading the echo.
static void many_clients(int port, int count) {
  int* fds = malloc(sizeof(int) * (size_t)count);
  for (int i = 0; i < count; i++) fds[i] = connect_loopback(port);
  char msg[32], back[32];
  for (int i = 0; i < count; i++) {
    int n = snprintf(msg, sizeof msg, "%d\n", i);
    write_all(fds[i], msg, (size_t)n);
  }
  for (int i = 0; i < count; i++) {
    int n = snprintf(msg, sizeof msg, "%d\n", i);
    CHECK(read_exact(fds[i], back, (size_t)n) == (size_t)n && memcmp(msg, back, (size_t)n) == 0);
  }
  // Every echo came back before any close: all were open at once.
  for (int i = 0; i < count; i++) close(fds[i]);
}

static int many(int count) {
  pid_t pid;
  int listener = listen_and_fork_client(many_clients, count, &pid);
  int fl = fcntl(listener, F_GETFL);
  CHECK(fcntl(listener, F_SETFL, fl | O_NONBLOCK) == 0);
  int ep = epoll_create1(0);
  CHECK(ep >= 0);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) == 0);
  int accepted = 0, closed = 0, max_open = 0, open_now = 0;
  long echoed = 0;
  struct epoll_event out[64];
  while (closed < count) {
    int n = epoll_wait(ep, out, 64, 10000);
    CHECK(n > 0);
    for (int i = 0; i < n; i++) {
      int fd = out[i].data.fd;
      if (fd == listener) {
        for (;;) {
          int c = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
          if (c < 0) {
            CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
            break;
          }
          accepted++;
          if (++open_now > max_open) max_open = open_now;
          ev.events = EPOLLIN | EPOLLET;
          ev.data.fd = c;
          CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) == 0);
        }
        continue;
      }
      // Edge-triggered: read until EAGAIN.
      for (;;) {
        char buf[256];
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r > 0) {
          write_all(fd, buf, (size_t)r);
          echoed += r;
          continue;
        }
        if (r == 0) {
          close(fd);
          closed++;
          open_now--;
        } else {
          CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
        }
        break;
      }
    }
  }
  printf("many: accepted %d, closed %d, all open at once %d, client exit %d\n", accepted, closed,
         max_open == count, wait_child(pid));
  (void)echoed;
  return 0;
}

// Asks, shuts its side down, reads the answer to EOF, then sends again.
static void half_close_client(int port, int unused) {
  (void)unused;
  int fd = connect_loopback(port);
  write_all(fd, "question", 8);
  CHECK(shutdown(fd, SHUT_WR) == 0);
  char buf[64];
  size_t n = read_exact(fd, buf, sizeof buf);
  printf("client: got '%.*s' then EOF\n", (int)n, buf);
  signal(SIGPIPE, SIG_IGN);
  errno = 0;
  ssize_t w = send(fd, "x", 1, 0);
  printf("client: send after shutdown: %zd %s\n", w, errname(errno));
}

static int half_close(void) {
  pid_t pid;
  int listener = listen_and_fork_client(half_close_client, 0, &pid);
  int c = accept(listener, NULL, NULL);
  CHECK(c >= 0);
  char buf[64];
  size_t n = read_exact(c, buf, sizeof buf);  // to EOF: the client's shutdown
  printf("server: read '%.*s' then EOF\n", (int)n, buf);
  fflush(stdout);
  write_all(c, "answer", 6);
  close(c);
  wait_child(pid);
  return 0;
}

static int reset(int ignore) {
  // The test runner may have left SIGPIPE ignored: say which.
  signal(SIGPIPE, ignore ? SIG_IGN : SIG_DFL);
  int port;
  int listener = listen_loopback(SOCK_STREAM, &port);
  int fd = connect_loopback(port);
  int c = accept(listener, NULL, NULL);
  CHECK(c >= 0);
  struct linger l = {1, 0};
  CHECK(setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof l) == 0);
  close(c);  // SO_LINGER 0: an RST, not a FIN
  struct pollfd p = {fd, POLLIN, 0};
  CHECK(poll(&p, 1, 5000) == 1);
  char buf[8];
  errno = 0;
  ssize_t r = recv(fd, buf, sizeof buf, 0);
  printf("recv after reset: %zd %s\n", r, errname(errno));
  fflush(stdout);
  errno = 0;
  ssize_t w = send(fd, "x", 1, 0);
  printf("send after reset: %zd %s\n", w, errname(errno));
  return 0;
}

static int unix_stream(const char* dir) {
  char path[256];
  snprintf(path, sizeof path, "%s/sock", dir);
  unlink(path);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(s >= 0);
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
  CHECK(bind(s, (struct sockaddr*)&a, sizeof a) == 0);
  CHECK(listen(s, 4) == 0);
  struct stat st;
  CHECK(stat(path, &st) == 0);
  printf("unix: bound, the name is a socket: %d\n", S_ISSOCK(st.st_mode));
  struct sockaddr_un got;
  socklen_t len = sizeof got;
  CHECK(getsockname(s, (struct sockaddr*)&got, &len) == 0);
  printf("unix: getsockname is the bound path: %d\n", got.sun_family == AF_UNIX && strcmp(got.sun_path, path) == 0);
  errno = 0;
  int s2 = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("unix: bind again: %d %s\n", bind(s2, (struct sockaddr*)&a, sizeof a), errname(errno));
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(c >= 0);
    CHECK(connect(c, (struct sockaddr*)&a, sizeof a) == 0);
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    CHECK(getpeername(c, (struct sockaddr*)&peer, &plen) == 0);
    printf("unix client: peer is the path: %d\n", strcmp(peer.sun_path, path) == 0);
    write_all(c, "over unix", 9);
    char buf[16];
    CHECK(read_exact(c, buf, 9) == 9);
    printf("unix client: %.9s\n", buf);
    fflush(stdout);
    _exit(0);
  }
  int c = accept(s, NULL, NULL);
  CHECK(c >= 0);
  char buf[16];
  CHECK(read_exact(c, buf, 9) == 9);
  write_all(c, buf, 9);
  CHECK(wait_child(pid) == 0);
  // A name that is not a socket: ECONNREFUSED; a missing one: ENOENT.
  char file[300];
  snprintf(file, sizeof file, "%s/plain", dir);
  int f = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(f >= 0);
  close(f);
  struct sockaddr_un b;
  memset(&b, 0, sizeof b);
  b.sun_family = AF_UNIX;
  snprintf(b.sun_path, sizeof b.sun_path, "%s", file);
  int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
  errno = 0;
  printf("unix: connect to a file: %d %s\n", connect(c2, (struct sockaddr*)&b, sizeof b), errname(errno));
  snprintf(b.sun_path, sizeof b.sun_path, "%s/missing", dir);
  errno = 0;
  printf("unix: connect to nothing: %d %s\n", connect(c2, (struct sockaddr*)&b, sizeof b), errname(errno));
  unlink(path);
  unlink(file);
  return 0;
}

static volatile int g_handled;
static void on_alarm(int sig) { g_handled = sig; }

static int epoll_eintr(void) {
  int ep = epoll_create1(0);
  CHECK(ep >= 0);
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) == 0);
  signal(SIGALRM, on_alarm);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  alarm(1);
  struct epoll_event out[2];
  errno = 0;
  int n = epoll_wait(ep, out, 2, 10000);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("epoll_wait: %d %s, handler ran: %d, ended early: %d\n", n, errname(errno), g_handled == SIGALRM,
         waited < 5.0);
  return 0;
}

static int poll_mixed(const char* argc_dir) {
  int sv[2], pp[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  CHECK(pipe(pp) == 0);
  const char* name = argc_dir;
  int file = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(file >= 0);
  struct pollfd p[3] = {{sv[0], POLLIN, 0}, {pp[0], POLLIN, 0}, {file, POLLIN, 0}};
  // Only the file is ready: a regular file always is.
  int n = poll(p, 3, 100);
  printf("poll 1: n=%d sock=%d pipe=%d file=%d\n", n, !!(p[0].revents & POLLIN), !!(p[1].revents & POLLIN),
         !!(p[2].revents & POLLIN));
  // Without the file: a timeout.
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  n = poll(p, 2, 100);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long ms = (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
  printf("poll 2: n=%d waited>=90ms: %d\n", n, ms >= 90);
  CHECK(write(sv[1], "s", 1) == 1);
  CHECK(write(pp[1], "p", 1) == 1);
  n = poll(p, 2, 1000);
  printf("poll 3: n=%d sock=%d pipe=%d\n", n, !!(p[0].revents & POLLIN), !!(p[1].revents & POLLIN));
  close(sv[1]);
  char c;
  CHECK(read(sv[0], &c, 1) == 1);
  n = poll(p, 1, 1000);
  printf("poll 4: peer closed: n=%d readable-or-hup=%d\n", n, !!(p[0].revents & (POLLIN | POLLHUP)));
  close(file);
  unlink(name);
  return 0;
}

static int policy(void) {
  errno = 0;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  printf("inet socket: %s\n", fd >= 0 ? "ok" : errname(errno));
  errno = 0;
  int fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
  printf("inet6 socket: %s\n", fd6 >= 0 ? "ok" : errname(errno));
  if (fd >= 0) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    errno = 0;
    printf("bind 0.0.0.0: %s\n", bind(fd, (struct sockaddr*)&a, sizeof a) == 0 ? "ok" : errname(errno));
    a.sin_addr.s_addr = htonl(0xc0000201);  // 192.0.2.1, TEST-NET-1: never routed
    a.sin_port = htons(9);
    errno = 0;
    printf("connect 192.0.2.1: %s\n", connect(fd, (struct sockaddr*)&a, sizeof a) == 0 ? "ok" : errname(errno));
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    errno = 0;
    printf("sendto 192.0.2.1: %s\n", sendto(u, "x", 1, 0, (struct sockaddr*)&a, sizeof a) == 1 ? "ok" : errname(errno));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    errno = 0;
    printf("sendto 127.0.0.1: %s\n", sendto(u, "x", 1, 0, (struct sockaddr*)&a, sizeof a) == 1 ? "ok" : errname(errno));
    struct sockaddr_in self;
    socklen_t len = sizeof self;
    CHECK(getsockname(u, (struct sockaddr*)&self, &len) == 0);
    printf("udp bound to loopback: %d\n", self.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    int l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(listen(l, 1) == 0);
    len = sizeof self;
    CHECK(getsockname(l, (struct sockaddr*)&self, &len) == 0);
    printf("listen without bind: on loopback: %d\n", self.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
  }
  int sv[2];
  printf("socketpair: %s\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 ? "ok" : errname(errno));
  int un = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("unix socket: %s\n", un >= 0 ? "ok" : errname(errno));
  return 0;
}

static int unix_escape(const char* dir, const char* host_socket_link) {
  // `host_socket_link` (inside DIR on the host) is a symlink the test made
  // to a listening socket outside every mapping; its absolute target names
  // a guest path, so the guest cannot reach the host socket through it.
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  CHECK(c >= 0);
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof a.sun_path, "%s/%s", dir, host_socket_link);
  errno = 0;
  printf("connect via link: %d %s\n", connect(c, (struct sockaddr*)&a, sizeof a), errname(errno));
  snprintf(a.sun_path, sizeof a.sun_path, "%s/../../../../../tmp/x.sock", dir);
  errno = 0;
  printf("bind via ..: %d %s\n", bind(c, (struct sockaddr*)&a, sizeof a), errname(errno));
  // Abstract names are host-wide: refused.
  memset(a.sun_path, 0, sizeof a.sun_path);
  memcpy(a.sun_path, "\0wasixc-abstract", 16);
  errno = 0;
  printf("bind abstract: %d %s\n", bind(c, (struct sockaddr*)&a, sizeof a), errname(errno));
  errno = 0;
  printf("connect abstract: %d %s\n", connect(c, (struct sockaddr*)&a, sizeof a), errname(errno));
  return 0;
}

static int send_file(const char* name) {
  int f = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
  CHECK(f >= 0);
  char data[10000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (char)('a' + i % 26);
  CHECK(write(f, data, sizeof data) == (ssize_t)sizeof data);
  CHECK(lseek(f, 100, SEEK_SET) == 100);
  int sv[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  off_t off = 5000;
  ssize_t n = sendfile(sv[0], f, &off, 3000);
  char got[10000];
  CHECK(read_exact(sv[1], got, (size_t)n) == (size_t)n);
  printf("sendfile at 5000: %zd, offset now %lld, file position %lld, bytes match %d\n", n, (long long)off,
         (long long)lseek(f, 0, SEEK_CUR), memcmp(got, data + 5000, (size_t)n) == 0);
  n = sendfile(sv[0], f, NULL, 50);
  CHECK(read_exact(sv[1], got, (size_t)n) == (size_t)n);
  printf("sendfile from the position: %zd, position now %lld, bytes match %d\n", n,
         (long long)lseek(f, 0, SEEK_CUR), memcmp(got, data + 100, (size_t)n) == 0);
  off = 9990;
  printf("sendfile past the end: %zd\n", sendfile(sv[0], f, &off, 100));
  close(f);
  unlink(name);
  return 0;
}

#ifdef __wasi__
static int resolve_names(void) {
  const char* names[] = {"127.0.0.1", "::1", "localhost"};
  for (int i = 0; i < 3; i++) {
    uint8_t addrs[8][18];
    uint32_t count = 0;
    wasix_errno_t e = __wasix_resolve(names[i], (uint32_t)strlen(names[i]), 80, addrs, 8, &count);
    int loop4 = 0, loop6 = 0;
    for (uint32_t k = 0; !e && k < count; k++) {
      loop4 |= addrs[k][0] == 1 && addrs[k][2] == 127 && addrs[k][5] == 1;
      loop6 |= addrs[k][0] == 2 && addrs[k][17] == 1;
    }
    printf("resolve %s: %s%s%s\n", names[i], e ? errname(e) : "ok", loop4 ? " 127.0.0.1" : "", loop6 ? " ::1" : "");
  }
  return 0;
}
#endif

// `net server` / `net client PORT`: two executables.
static int server(void) {
  int port;
  int listener = listen_loopback(SOCK_STREAM, &port);
  printf("%d\n", port);
  fflush(stdout);
  echo_one_client(listener);
  return 0;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "echo-fork")) return echo_fork();
  if (!strcmp(mode, "server")) return server();
  if (!strcmp(mode, "client") && argc > 2) {
    client_session(atoi(argv[2]), 0);
    return 0;
  }
  if (!strcmp(mode, "udp")) return udp();
  if (!strcmp(mode, "pair-fork")) return pair_fork();
  if (!strcmp(mode, "nonblock-epoll")) return nonblock_epoll();
  if (!strcmp(mode, "many") && argc > 2) return many(atoi(argv[2]));
  if (!strcmp(mode, "half-close")) return half_close();
  if (!strcmp(mode, "reset")) return reset(argc > 2 && !strcmp(argv[2], "ignore"));
  if (!strcmp(mode, "unix") && argc > 2) return unix_stream(argv[2]);
  if (!strcmp(mode, "epoll-eintr")) return epoll_eintr();
  if (!strcmp(mode, "poll-mixed") && argc > 2) return poll_mixed(argv[2]);
  if (!strcmp(mode, "policy")) return policy();
  if (!strcmp(mode, "sendfile") && argc > 2) return send_file(argv[2]);
#ifdef __wasi__
  if (!strcmp(mode, "resolve")) return resolve_names();
#endif
  if (!strcmp(mode, "unix-escape") && argc > 3) return unix_escape(argv[2], argv[3]);
  fprintf(stderr, "usage: net MODE\n");
  return 2;
}
