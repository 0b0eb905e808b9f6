/* The fd table across exec (execve(2): descriptors stay open with their
 * numbers and shared offsets, except close-on-exec ones). Run with stdin
 * opened read-write on a scratch file:
 *   fd_exec parent CHILD   sets up descriptors, then execs CHILD (this
 *                          program) as "fd_exec child"
 *   fd_exec child          reports which descriptors it has, reads a pipe
 *                          and writes through an inherited file descriptor
 *   fd_exec keep CHILD     (wasm only) execs CHILD as "fd_exec prestat"
 *                          with its preopened directory still open
 *   fd_exec prestat        (wasm only) lists the preopens it inherited
 * Built for wasm (wasixc's guest library) and natively; parent/child print
 * the same both ways. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi/api.h>
#include "wasix.h"
#endif

static void parent(const char* child) {
  /* A clean table: natively, descriptors a shell or harness leaked; under
   * wasixc, the --dir preopen (only the runtime needs it, to find CHILD). */
  for (int fd = 3; fd < 64; ++fd) close(fd);
  int p[2];
  pipe(p); /* 3, 4 */
  printf("pipe %d %d\n", p[0], p[1]);
  write(p[1], "through the pipe\n", 17);
  fcntl(p[1], F_SETFD, FD_CLOEXEC); /* the child must see EOF */
  printf("F_DUPFD_CLOEXEC %d\n", fcntl(0, F_DUPFD_CLOEXEC, 5));        /* 5: dropped */
  printf("dup2 onto 7: %d\n", dup2(0, 7));                             /* kept */
  int nine = fcntl(0, F_DUPFD_CLOEXEC, 9);                             /* 9 */
  fcntl(nine, F_SETFD, 0);                                             /* kept after all */
  int ten = fcntl(0, F_DUPFD, 10);                                     /* 10 */
  fcntl(ten, F_SETFD, FD_CLOEXEC);                                     /* dropped */
  printf("9 and 10: %d %d\n", nine, ten);
  write(0, "parent;", 7);
  fflush(stdout);
  char* argv[] = {"fd_exec", "child", NULL};
  execv(child, argv);
  printf("execv: %s\n", strerror(errno));
}

static void child(void) {
  for (int fd = 0; fd < 16; ++fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) printf("fd %d open, FD_CLOEXEC %d\n", fd, flags & FD_CLOEXEC);
  }
  char buf[128];
  ssize_t n, got = 0;
  while ((n = read(3, buf + got, sizeof buf - 1 - (size_t)got)) > 0) got += n;
  buf[got] = 0;
  printf("read fd 3 until EOF: %s", buf);
  printf("offset of 7 (shared with 0): %ld\n", (long)lseek(7, 0, SEEK_CUR));
  write(7, "child;", 6);
  printf("offset of 0 after writing to 7: %ld\n", (long)lseek(0, 0, SEEK_CUR));
  n = pread(9, buf, sizeof buf - 1, 0);
  buf[n < 0 ? 0 : n] = 0;
  printf("file through 9: %s\n", buf);
  printf("write to the closed-on-exec 5: %s\n", write(5, "x", 1) < 0 && errno == EBADF ? "EBADF" : "wrote");
}

#ifdef __wasi__
/* Preopens at 3 and 4 (two --dir): a pipe replaces the one at 3, as a
 * spawn's file action might; the child must still find the one at 4. */
static void keep(const char* child) {
  int p[2];
  pipe(p); /* 5, 6 */
  dup2(p[0], 3);
  fcntl(p[1], F_SETFD, FD_CLOEXEC);
  fflush(stdout);
  char* argv[] = {"fd_exec", "prestat", NULL};
  execv(child, argv);
  printf("execv: %s\n", strerror(errno));
}

static void prestat(void) {
  for (int fd = 3; fd < 8; ++fd) {
    __wasi_prestat_t st;
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &st);
    char name[64] = {0};
    if (e == 0 && st.tag == __WASI_PREOPENTYPE_DIR && st.u.dir.pr_name_len < sizeof name)
      __wasi_fd_prestat_dir_name(fd, (uint8_t*)name, st.u.dir.pr_name_len);
    printf("fd %d: prestat %d tag %d name \"%s\" open %d\n", fd, e, e == 0 ? st.tag : -1, name,
           fcntl(fd, F_GETFD) >= 0);
  }
}
#endif

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "parent") && argc > 2) parent(argv[2]);
  else if (!strcmp(mode, "child")) child();
#ifdef __wasi__
  else if (!strcmp(mode, "keep") && argc > 2) keep(argv[2]);
  else if (!strcmp(mode, "prestat")) prestat();
#endif
  else return 2;
  return 0;
}
