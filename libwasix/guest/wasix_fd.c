/* POSIX fd calls Debian's wasi-libc lacks (pipe, dup, dup2, dup3,
 * eventfd, fcntl's F_DUPFD and close-on-exec), over the wasix_32v1
 * imports and preview1's fd_renumber (wasix.h). Errors: -1 with errno,
 * as POSIX specifies.
 *
 * fcntl here replaces wasi-libc's (an archive member linked before libc
 * wins): wasi-libc's fcntl pretends every descriptor is close-on-exec and
 * knows no F_DUPFD; this one serves F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD and
 * F_SETFD from the runtime and F_GETFL/F_SETFL exactly as wasi-libc does. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <wasi/api.h>

#include "wasix.h"

static int fail(int e) {
  errno = e;
  return -1;
}

int pipe(int fds[2]) {
  uint32_t ends[2];
  wasix_errno_t e = __wasix_fd_pipe(&ends[0], &ends[1]);
  if (e != 0) return fail(e);
  fds[0] = (int)ends[0];
  fds[1] = (int)ends[1];
  return 0;
}

/* O_CLOEXEC is 0 in wasi-libc: use WASIX_O_CLOEXEC (or fcntl(F_SETFD)). */
int pipe2(int fds[2], int flags) {
  if (flags & ~(O_NONBLOCK | WASIX_O_CLOEXEC)) return fail(EINVAL);
  if (pipe(fds) != 0) return -1;
  for (int i = 0; i < 2; ++i) {
    if ((flags & WASIX_O_CLOEXEC) && __wasix_fd_fdflags_set((uint32_t)fds[i], WASIX_FDFLAGSEXT_CLOEXEC) != 0)
      return fail(EBADF);
    if ((flags & O_NONBLOCK) && __wasi_fd_fdstat_set_flags(fds[i], __WASI_FDFLAGS_NONBLOCK) != 0)
      return fail(EBADF);
  }
  return 0;
}

int dup(int fd) {
  uint32_t out;
  wasix_errno_t e = __wasix_fd_dup((uint32_t)fd, &out);
  return e != 0 ? fail(e) : (int)out;
}

/* dup2 is preview1's fd_renumber under WASIX (wasix-abi.md §5.1). */
int dup2(int oldfd, int newfd) {
  if (newfd < 0) return fail(EBADF);
  wasix_errno_t e = __wasi_fd_renumber(oldfd, newfd);
  return e != 0 ? fail(e) : newfd;
}

int dup3(int oldfd, int newfd, int flags) {
  if (oldfd == newfd || (flags & ~WASIX_O_CLOEXEC)) return fail(EINVAL);
  if (dup2(oldfd, newfd) < 0) return -1;
  if ((flags & WASIX_O_CLOEXEC) && __wasix_fd_fdflags_set((uint32_t)newfd, WASIX_FDFLAGSEXT_CLOEXEC) != 0)
    return fail(EBADF);
  return newfd;
}

int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  int arg = cmd == F_GETFD || cmd == F_GETFL ? 0 : va_arg(ap, int);
  va_end(ap);
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      if (arg < 0) return fail(EINVAL);
      uint32_t out;
      wasix_errno_t e = __wasix_fd_dup2((uint32_t)fd, (uint32_t)arg, cmd == F_DUPFD_CLOEXEC, &out);
      return e != 0 ? fail(e) : (int)out;
    }
    case F_GETFD: {
      uint16_t flags;
      wasix_errno_t e = __wasix_fd_fdflags_get((uint32_t)fd, &flags);
      return e != 0 ? fail(e) : (flags & WASIX_FDFLAGSEXT_CLOEXEC ? FD_CLOEXEC : 0);
    }
    case F_SETFD: {
      wasix_errno_t e =
          __wasix_fd_fdflags_set((uint32_t)fd, arg & FD_CLOEXEC ? WASIX_FDFLAGSEXT_CLOEXEC : 0);
      return e != 0 ? fail(e) : 0;
    }
    case F_GETFL: {
      __wasi_fdstat_t st;
      __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
      if (e != 0) return fail(e);
      /* The access mode, from the rights (as wasi-libc). */
      int flags = st.fs_flags;
      int reads = (st.fs_rights_base & (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR)) != 0;
      int writes = (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0;
      if (reads) flags |= writes ? O_RDWR : O_RDONLY;
      else if (writes) flags |= O_WRONLY;
      else flags |= O_SEARCH;
      return flags;
    }
    case F_SETFL: {
      __wasi_errno_t e = __wasi_fd_fdstat_set_flags(fd, (__wasi_fdflags_t)(arg & 0xfff));
      return e != 0 ? fail(e) : 0;
    }
    default:
      return fail(EINVAL);
  }
}

/* eventfd(2): EFD_SEMAPHORE and EFD_NONBLOCK travel to fd_event; unlike
 * wasix-libc, WASIX_O_CLOEXEC (EFD_CLOEXEC is 0 here) is applied after. */
int eventfd(unsigned int initval, int flags) {
  if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | WASIX_O_CLOEXEC)) return fail(EINVAL);
  uint32_t out;
  wasix_errno_t e = __wasix_fd_event(initval, (uint16_t)(flags & (EFD_SEMAPHORE | EFD_NONBLOCK)), &out);
  if (e != 0) return fail(e);
  if (flags & WASIX_O_CLOEXEC) __wasix_fd_fdflags_set(out, WASIX_FDFLAGSEXT_CLOEXEC);
  return (int)out;
}

int eventfd_read(int fd, eventfd_t* value) {
  return read(fd, value, sizeof *value) == sizeof *value ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value) {
  return write(fd, &value, sizeof value) == sizeof value ? 0 : -1;
}
