// Standard streams:
//   stdio many N   print N numbered lines (tests piping and the final flush)
//   stdio upper    copy stdin to stdout upper-cased, then report the count
//   stdio seek     lseek on fds 0-2 and an unopened fd: result and errno
//   stdio mixed    interleave stdout and stderr
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  return 2;
}
