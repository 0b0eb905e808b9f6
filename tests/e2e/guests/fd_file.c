/* The preview1 fd calls on a regular file (stdin opened read-write on a
 * scratch file by the test: `prog 0<>FILE`), dup/dup2/F_DUPFD and
 * close-on-exec flags, and stdout renumbered onto the file. Built for
 * wasm (with wasixc's guest library for dup/fcntl) and natively; the two
 * runs must print the same. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __wasi__
#include "wasix.h"
#endif

#include "fd_errno_names.h"

static void check(const char* what, long r) {
  if (r < 0)
    printf("%s: -1 %s\n", what, errno_name(errno));
  else
    printf("%s: %ld\n", what, r);
}

static void show_file(const char* when) {
  char buf[256];
  struct stat st;
  fstat(0, &st);
  ssize_t n = pread(0, buf, sizeof buf - 1, 0);
  buf[n < 0 ? 0 : n] = 0;
  for (ssize_t i = 0; i < n; ++i)
    if (buf[i] == 0) buf[i] = '.';
  printf("%s: size %lld \"%s\"\n", when, (long long)st.st_size, buf);
}

static void file_calls(void) {
  check("write", write(0, "hello world", 11));
  check("pwrite at 3", pwrite(0, "XY", 2, 3));
  check("offset after pwrite", lseek(0, 0, SEEK_CUR));
  char buf[16] = {0};
  check("pread at 2", pread(0, buf, 5, 2));
  printf("  read \"%s\"\n", buf);
  check("offset after pread", lseek(0, 0, SEEK_CUR));
  check("pread past the end", pread(0, buf, 5, 100));
  check("pread negative offset", pread(0, buf, 5, -1));
  check("pread bad fd", pread(42, buf, 5, 0));
  show_file("after writes");

  struct stat st;
  check("fstat", fstat(0, &st));
  printf("  regular %d size %lld nlink %lld\n", S_ISREG(st.st_mode), (long long)st.st_size, (long long)st.st_nlink);
  check("fstat bad fd", fstat(42, &st));

  check("ftruncate 4", ftruncate(0, 4));
  show_file("after truncate");
  check("ftruncate 20", ftruncate(0, 20));
  show_file("after extend");
  check("ftruncate negative", ftruncate(0, -1));
  errno = posix_fallocate(0, 0, 40);
  check("posix_fallocate 40", errno ? -1 : 0);
  fstat(0, &st);
  printf("  size %lld\n", (long long)st.st_size);
  errno = posix_fallocate(0, 0, 0);
  check("posix_fallocate len 0", errno ? -1 : 0);
  errno = posix_fadvise(0, 0, 0, POSIX_FADV_SEQUENTIAL);
  check("posix_fadvise", errno ? -1 : 0);
  errno = posix_fadvise(0, 0, 0, 99);
  check("posix_fadvise bad advice", errno ? -1 : 0);

  struct timespec times[2] = {{1000, 500}, {2000, 700}};
  check("futimens", futimens(0, times));
  fstat(0, &st);
  printf("  atime %lld.%ld mtime %lld.%ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  /* (Debian's wasi-libc refuses UTIME_NOW/UTIME_OMIT for the mtime
   * itself, EINVAL before any call: the raw call is tested in "raw".) */
  struct timespec omit[2] = {{0, UTIME_OMIT}, {3000, 0}};
  check("futimens omit atime", futimens(0, omit));
  fstat(0, &st);
  printf("  atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
  struct timespec now[2] = {{0, UTIME_NOW}, {4000, 0}};
  check("futimens atime now", futimens(0, now));
  fstat(0, &st);
  printf("  atime now %d mtime %lld\n", st.st_atim.tv_sec > 1000000000, (long long)st.st_mtim.tv_sec);
  check("fsync", fsync(0));
  check("fdatasync", fdatasync(0));

  check("append flag before", fcntl(0, F_GETFL) & O_APPEND);
  check("set O_APPEND", fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_APPEND));
  check("append flag after", (fcntl(0, F_GETFL) & O_APPEND) != 0);
  lseek(0, 0, SEEK_SET);
  check("write appends", write(0, "END", 3));
  check("offset after append", lseek(0, 0, SEEK_CUR));
  check("clear O_APPEND", fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_APPEND));
  check("lseek SEEK_END -3", lseek(0, -3, SEEK_END));
  check("lseek bad whence", lseek(0, 0, 42));
  check("lseek before start", lseek(0, -100, SEEK_SET));
}

static void dup_calls(void) {
  lseek(0, 0, SEEK_SET);
  int d = dup(0);
  check("dup", d);
  check("write via dup", write(d, "ab", 2));
  check("offset seen by the original", lseek(0, 0, SEEK_CUR));
  check("dup is not close-on-exec", fcntl(d, F_GETFD));
  check("F_DUPFD 100", fcntl(0, F_DUPFD, 100));
  check("F_DUPFD 100 again", fcntl(0, F_DUPFD, 100));
  int c = fcntl(0, F_DUPFD_CLOEXEC, 100);
  check("F_DUPFD_CLOEXEC 100", c);
  check("  its FD_CLOEXEC", fcntl(c, F_GETFD));
  check("F_SETFD 0", fcntl(c, F_SETFD, 0));
  check("  its FD_CLOEXEC", fcntl(c, F_GETFD));
  check("F_SETFD FD_CLOEXEC on the dup", fcntl(d, F_SETFD, FD_CLOEXEC));
  check("  its FD_CLOEXEC", fcntl(d, F_GETFD));
  check("dup2 onto 120", dup2(d, 120));
  check("  120's FD_CLOEXEC (cleared)", fcntl(120, F_GETFD));
  check("dup2 onto itself", dup2(d, d));
  check("  FD_CLOEXEC kept", fcntl(d, F_GETFD));
  check("dup2 from a closed fd", dup2(99, 121));
  check("dup2 over an open fd", dup2(0, 100));
  check("close 3", close(d));
  check("close 3 again", close(d));
  check("dup takes 3 again", dup(0));
  check("F_DUPFD bad fd", fcntl(77, F_DUPFD, 0));
  check("F_GETFD bad fd", fcntl(77, F_GETFD));
  check("dup bad fd", dup(77));

  /* stdout renumbered onto the file and back (dup2 = fd_renumber). */
  fflush(stdout);
  int saved = dup(1);
  lseek(0, 0, SEEK_END);
  check("dup2 file onto stdout", dup2(0, 1));
  write(1, "[via stdout]", 12);
  dup2(saved, 1);
  close(saved);
  show_file("after stdout was the file");
}

#ifdef __wasi__
#include <wasi/api.h>

/* What only the raw calls can ask (wasm only; the test checks the text):
 * the preview1 rules and hostile arguments. */
static void raw_calls(void) {
  printf("ATIM and ATIM_NOW: %d\n", __wasi_fd_filestat_set_times(0, 1, 0, 1 | 2));
  printf("MTIM and MTIM_NOW: %d\n", __wasi_fd_filestat_set_times(0, 0, 1, 4 | 8));
  printf("MTIM_NOW: %d\n", __wasi_fd_filestat_set_times(0, 0, 0, 8));
  printf("unknown fstflags: %d\n", __wasi_fd_filestat_set_times(0, 0, 0, 16));
  printf("unknown fdflags: %d\n", __wasi_fd_fdstat_set_flags(0, 0x20));
  printf("sync fdflags ignored, as Linux F_SETFL: %d\n", __wasi_fd_fdstat_set_flags(0, __WASI_FDFLAGS_SYNC));
  __wasi_fdstat_t st;
  __wasi_fd_fdstat_get(0, &st);
  printf("seek right on a file: %d\n", (st.fs_rights_base & __WASI_RIGHTS_FD_SEEK) != 0);
  printf("drop the write right: %d\n",
         __wasi_fd_fdstat_set_rights(0, st.fs_rights_base & ~__WASI_RIGHTS_FD_WRITE, st.fs_rights_inheriting));
  __wasi_ciovec_t iov = {(const uint8_t*)"x", 1};
  __wasi_size_t n;
  printf("write without it: %d\n", __wasi_fd_write(0, &iov, 1, &n));
  printf("take it back: %d\n", __wasi_fd_fdstat_set_rights(0, st.fs_rights_base, st.fs_rights_inheriting));
  __wasi_fd_fdstat_get(0, &st);
  printf("write right now: %d\n", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0);
  printf("renumber onto itself: %d\n", __wasi_fd_renumber(0, 0));
  printf("renumber a closed fd onto itself: %d\n", __wasi_fd_renumber(50, 50));
  uint32_t out = 0;
  printf("fd_dup2 min past the limit: %d\n", __wasix_fd_dup2(0, 0x7fffffff, 0, &out));
  printf("fd_event bad flags: %d\n", __wasix_fd_event(0, 2, &out));
  printf("fd_event initial > UINT_MAX: %d\n", __wasix_fd_event(1ull << 32, 0, &out));
  /* Hostile pointers: EFAULT, and nothing is created. */
  printf("fd_pipe to a bad pointer: %d\n", __wasix_fd_pipe((uint32_t*)0xfffffff0u, &out));
  printf("fd_dup to a bad pointer: %d\n", __wasix_fd_dup(0, (uint32_t*)0xfffffffeu));
  printf("fd_event to a bad pointer: %d\n", __wasix_fd_event(0, 0, (uint32_t*)0xfffffffeu));
  printf("fd_filestat_get to a bad pointer: %d\n", __wasi_fd_filestat_get(0, (__wasi_filestat_t*)0xffffffc0u));
  printf("pread into a bad buffer: %d\n", (int)pread(0, (void*)0xfffffff0u, 64, 0) < 0 ? errno : 0);
  /* More buffers than the runtime keeps inline (8), one of them bad, or
   * the array itself running past the end of memory: EFAULT, and nothing
   * written to stdout (a stray "y" would break the expected text). */
  __wasi_ciovec_t many[12];
  for (int i = 0; i < 12; ++i) many[i] = (__wasi_ciovec_t){(const uint8_t*)"y", 1};
  many[10].buf = (const uint8_t*)0xfffffff0u;
  printf("write 12 buffers, one bad: %d\n", __wasi_fd_write(1, many, 12, &n));
  printf("write 12 buffers past the end: %d\n", __wasi_fd_write(1, (const __wasi_ciovec_t*)0xffffffc0u, 12, &n));
  printf("tty_get to a bad pointer: %d\n", __wasix_tty_get((wasix_tty_t*)0xfffffff0u));
  printf("next dup (nothing leaked): %d\n", dup(0));
}
#endif

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* Numbers must match the native run: close what a harness leaked. */
  for (int fd = 3; fd < 64; ++fd) close(fd);
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "file")) {
    file_calls();
    dup_calls();
  } else if (!strcmp(mode, "dir")) {
    /* stdin is a directory */
    char buf[8];
    check("read a directory", read(0, buf, sizeof buf));
    check("write a directory", write(0, "x", 1));
    struct stat st;
    fstat(0, &st);
    printf("directory %d\n", S_ISDIR(st.st_mode));
  } else if (!strcmp(mode, "closed")) {
    char buf[8];
    check("read closed stdin", read(0, buf, sizeof buf));
    check("lseek closed stdin", lseek(0, 0, SEEK_CUR));
    check("close closed stdin", close(0));
#ifdef __wasi__
  } else if (!strcmp(mode, "raw")) {
    raw_calls();
#endif
  } else {
    return 2;
  }
  return 0;
}
