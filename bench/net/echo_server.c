// An epoll echo server, the guest of bench/run_net.py: built natively and
// for wasm32-wasi (wasixc's guest library gives it sockets and epoll).
//   echo_server CONNS   listens on 127.0.0.1 (a free port, printed on
//                       stdout), echoes every byte it reads, and exits once
//                       CONNS connections have come and gone.
// Level-triggered, non-blocking, one thread: the shape of a small event
// loop server (memcached, redis).
#define _GNU_SOURCE
#ifdef __wasi__
#include <wasix_socket.h>
#else
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char* what) {
  fprintf(stderr, "echo_server: %s: %s\n", what, strerror(errno));
  exit(1);
}

int main(int argc, char** argv) {
  int expected = argc > 1 ? atoi(argv[1]) : 1;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (listener < 0) die("socket");
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr*)&a, sizeof a) < 0) die("bind");
  if (listen(listener, 1024) < 0) die("listen");
  socklen_t len = sizeof a;
  if (getsockname(listener, (struct sockaddr*)&a, &len) < 0) die("getsockname");
  printf("%d\n", ntohs(a.sin_port));
  fflush(stdout);
  int ep = epoll_create1(0);
  if (ep < 0) die("epoll_create1");
  struct epoll_event ev;
  memset(&ev, 0, sizeof ev);
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) < 0) die("epoll_ctl");
  int closed = 0;
  static char buf[16384];
  struct epoll_event events[128];
  while (closed < expected) {
    int n = epoll_wait(ep, events, 128, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        int c;
        while ((c = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          ev.events = EPOLLIN;
          ev.data.fd = c;
          if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev) < 0) die("epoll_ctl");
        }
        continue;
      }
      ssize_t r = recv(fd, buf, sizeof buf, 0);
      if (r > 0) {
        ssize_t off = 0;
        while (off < r) {
          ssize_t w = send(fd, buf + off, (size_t)(r - off), 0);
          if (w < 0) {
            if (errno == EAGAIN) continue;  // tiny responses: the buffer frees at once
            break;
          }
          off += w;
        }
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
        close(fd);
        closed++;
      }
    }
  }
  return 0;
}
