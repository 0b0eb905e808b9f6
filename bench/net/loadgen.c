// The load generator of bench/run_net.py (always native): CONNS TCP
// connections to 127.0.0.1:PORT, each with one request in flight (a
// closed loop: send SIZE bytes, wait for all SIZE back, repeat) for
// SECONDS; prints requests/s and the latency percentiles (microseconds).
//   loadgen PORT CONNS SECONDS [SIZE]
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: loadgen PORT CONNS SECONDS [SIZE]\n");
    return 2;
  }
  int port = atoi(argv[1]), conns = atoi(argv[2]);
  double seconds = atof(argv[3]);
  size_t size = argc > 4 ? (size_t)atoi(argv[4]) : 64;
  int ep = epoll_create1(0);
  int* fds = calloc((size_t)conns, sizeof(int));
  size_t* got = calloc((size_t)conns, sizeof(size_t));
  double* sent_at = calloc((size_t)conns, sizeof(double));
  size_t cap = 1 << 20, count = 0;
  double* lat = malloc(cap * sizeof(double));
  char* req = malloc(size);
  memset(req, 'x', size);
  static char buf[65536];
  for (int i = 0; i < conns; i++) {
    fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fds[i], (struct sockaddr*)&a, sizeof a) != 0) {
      perror("loadgen: connect");
      return 1;
    }
    int one = 1;
    setsockopt(fds[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
  }
  double start = now(), end = start + seconds;
  for (int i = 0; i < conns; i++) {
    sent_at[i] = now();
    if (send(fds[i], req, size, 0) != (ssize_t)size) return 1;
  }
  struct epoll_event events[256];
  double t = start;
  while ((t = now()) < end) {
    int n = epoll_wait(ep, events, 256, 100);
    for (int k = 0; k < n; k++) {
      int i = (int)events[k].data.u32;
      ssize_t r = recv(fds[i], buf, sizeof buf, 0);
      if (r <= 0) {
        fprintf(stderr, "loadgen: connection %d ended: %s\n", i, r == 0 ? "EOF" : strerror(errno));
        return 1;
      }
      got[i] += (size_t)r;
      if (got[i] >= size) {
        double done = now();
        if (count == cap) lat = realloc(lat, (cap *= 2) * sizeof(double));
        lat[count++] = (done - sent_at[i]) * 1e6;
        got[i] = 0;
        sent_at[i] = done;
        if (send(fds[i], req, size, 0) != (ssize_t)size) return 1;
      }
    }
  }
  double elapsed = t - start;
  for (int i = 0; i < conns; i++) close(fds[i]);
  qsort(lat, count, sizeof(double), cmp);
  if (count == 0) {
    fprintf(stderr, "loadgen: no request completed\n");
    return 1;
  }
  printf("requests %zu seconds %.3f rps %.0f p50_us %.1f p99_us %.1f max_us %.1f\n", count, elapsed,
         (double)count / elapsed, lat[count / 2], lat[(size_t)((double)count * 0.99)], lat[count - 1]);
  return 0;
}
