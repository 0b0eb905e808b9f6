// Standard streams:
//   stdio many N   print N numbered lines (tests piping and the final flush)
//   stdio upper    copy stdin to stdout upper-cased, then report the count
//   stdio seek     lseek on fds 0-2 and an unopened fd: result and errno
//   stdio mixed    interleave stdout and stderr
//   stdio wait     nanosleep and poll(2) with timeouts (poll_oneoff)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

static const char* errno_name(int e) {
  switch (e) {
    case 0: return "0";
    case ESPIPE: return "ESPIPE";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    default: return "other";
  }
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  if (!strcmp(argv[1], "many")) {
    long n = argc > 2 ? atol(argv[2]) : 1000;
    for (long i = 0; i < n; i++) printf("line %ld of %ld\n", i, n);
    return 0;
  }
  if (!strcmp(argv[1], "upper")) {
    char buf[4096];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
      for (size_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
      fwrite(buf, 1, n, stdout);
      total += n;
    }
    printf("\n%zu bytes\n", total);
    return 0;
  }
  if (!strcmp(argv[1], "seek")) {
    int fds[] = {0, 1, 2, 9};
    for (unsigned i = 0; i < 4; i++) {
      errno = 0;
      off_t r = lseek(fds[i], 0, SEEK_CUR);
      printf("lseek(%d) = %lld errno %s\n", fds[i], (long long)r, errno_name(errno));
    }
    return 0;
  }
  if (!strcmp(argv[1], "mixed")) {
    for (int i = 0; i < 3; i++) {
      printf("out %d\n", i);
      fflush(stdout);
      fprintf(stderr, "err %d\n", i);
    }
    return 0;
  }
  if (!strcmp(argv[1], "wait")) {
    struct timespec a, b, nap = {0, 50 * 1000000L};
    clock_gettime(CLOCK_MONOTONIC, &a);
    int r = nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    printf("nanosleep 50ms: %d, slept at least 50ms: %s, under 1s: %s\n", r, ms >= 50 ? "yes" : "no",
           ms < 1000 ? "yes" : "no");
    struct pollfd in = {0, POLLIN, 0};
    int ready = poll(&in, 1, 2000);  // stdin has data: ready at once
    printf("poll stdin: %d revents POLLIN %d\n", ready, (in.revents & POLLIN) != 0);
    char c;
    (void)!read(0, &c, 1);
    printf("read '%c'\n", c);
    struct pollfd out = {1, POLLOUT, 0};
    printf("poll stdout writable: %d\n", poll(&out, 1, 0));
    return 0;
  }
  return 2;
}
