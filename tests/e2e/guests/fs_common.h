// Shared by the fs_* guests: errno names (wasi-libc's errno numbers are
// not Linux's, so the guests print names, which both builds agree on) and
// small file helpers. Portable C: built for wasm32-wasi and natively.
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char* err_name(int e) {
#define N(x) \
  case x:    \
    return #x;
  switch (e) {
    case 0: return "ok";
    N(ENOENT) N(EEXIST) N(ENOTDIR) N(EISDIR) N(ENOTEMPTY) N(ELOOP) N(ENAMETOOLONG) N(EROFS) N(EINVAL)
    N(EACCES) N(EPERM) N(EBADF) N(EXDEV) N(EBUSY) N(ERANGE) N(ENOEXEC) N(EFAULT) N(ESPIPE)
    N(EMLINK) N(EFBIG)
#ifdef ENOTCAPABLE
    N(ENOTCAPABLE)
#endif
    default: return "other";
  }
#undef N
}

// "name: ok" or "name: ENOENT" for a call returning -1/errno.
#define SHOW(label, call)                                   \
  do {                                                      \
    errno = 0;                                              \
    long show_r_ = (long)(call);                            \
    printf("%s: %s\n", label, err_name(show_r_ < 0 ? errno : 0)); \
  } while (0)

static int write_file(const char* path, const char* text, int flags) {
  int fd = open(path, O_WRONLY | O_CREAT | flags, 0666);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void print_file(const char* label, const char* path) {
  char buf[256] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: open %s\n", label, err_name(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("%s: \"%s\" (%zd bytes)\n", label, n > 0 ? buf : "", n);
}
