/* errno names for the fd guests: strerror's texts differ between wasi-libc
 * (musl) and glibc, the names do not. */
#include <errno.h>

static const char* errno_name(int e) {
  switch (e) {
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EFBIG: return "EFBIG";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case EMFILE: return "EMFILE";
    case ENOENT: return "ENOENT";
    case ENOTTY: return "ENOTTY";
    case EPIPE: return "EPIPE";
    case ESPIPE: return "ESPIPE";
    case ENOTSUP: return "ENOTSUP";
    default: return "other errno";
  }
}
