/* Pipes and eventfd: a parent and a forked child talking over a pipe and
 * sharing a file offset, O_NONBLOCK (EAGAIN), EPIPE and SIGPIPE, eventfd
 * counter and semaphore modes, poll over a pipe and a timeout. Built for
 * wasm (wasixc's guest library) and natively; both must print the same. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef __wasi__
#include "wasix.h"
#else
#include <signal.h>
#include <sys/wait.h>
#endif

#include "fd_errno_names.h"

static void check(const char* what, long r) {
  if (r < 0)
    printf("%s: -1 %s\n", what, errno_name(errno));
  else
    printf("%s: %ld\n", what, r);
}

static int child_status(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* stdin is a scratch file opened read-write: parent and child write through
 * the same open file description, so their writes follow each other. */
static void fork_pipe(void) {
  int up[2], down[2];
  check("pipe", pipe(up));
  printf("  ends %d %d\n", up[0], up[1]);
  check("pipe", pipe(down));
  printf("  ends %d %d\n", down[0], down[1]);
  check("parent writes the file", write(0, "parent;", 7));
  pid_t pid = fork();
  if (pid == 0) {
    close(up[0]);
    close(down[1]);
    char go;
    if (read(down[0], &go, 1) != 1) _exit(3);
    write(0, "child;", 6);  /* after the parent's: the offset is shared */
    for (int i = 0; i < 3; ++i) {
      char line[32];
      int n = snprintf(line, sizeof line, "line %d from the child\n", i);
      write(up[1], line, (size_t)n);
    }
    _exit(5);
  }
  close(up[1]);
  close(down[0]);
  check("parent tells the child to go", write(down[1], "g", 1));
  char buf[256];
  size_t got = 0;
  ssize_t n;
  while ((n = read(up[0], buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)n;
  check("read until EOF", n);
  buf[got] = 0;
  printf("%s", buf);
  printf("child exit %d\n", child_status(pid));
  check("parent writes again", write(0, "parent again;", 13));
  check("file offset", lseek(0, 0, SEEK_CUR));
  n = pread(0, buf, sizeof buf - 1, 0);
  buf[n < 0 ? 0 : n] = 0;
  printf("file: %s\n", buf);
  check("seek a pipe", lseek(up[0], 0, SEEK_CUR));
  check("pread a pipe", pread(up[0], buf, 1, 0));
  check("write to the read end", write(up[0], "x", 1));
  close(up[0]);
  close(down[1]);
}

static void nonblocking(void) {
  int p[2];
  pipe(p);
  check("set O_NONBLOCK", fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK));
  check("O_NONBLOCK set", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
  char buf[4096];
  check("read an empty pipe", read(p[0], buf, sizeof buf));
  fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
  memset(buf, 'x', sizeof buf);
  long total = 0;
  ssize_t n;
  while ((n = write(p[1], buf, sizeof buf)) > 0) total += n;
  check("write to a full pipe", n);
  printf("pipe capacity %ld\n", total);
  long drained = 0;
  while ((n = read(p[0], buf, sizeof buf)) > 0) drained += n;
  printf("drained %ld, then: %s\n", drained, errno_name(errno));
  close(p[1]);
  check("read after the writer closed", read(p[0], buf, sizeof buf));
  close(p[0]);
}

static volatile int sigpipe_seen;
static void on_sigpipe(int sig) { sigpipe_seen = sig; }

static void broken_pipe(const char* how) {
  int p[2];
  pipe(p);
  close(p[0]);
  /* SIG_DFL explicitly: the harness may have left SIGPIPE ignored, and an
   * ignored signal stays ignored across execve. */
  if (!strcmp(how, "default")) signal(SIGPIPE, SIG_DFL);
  if (!strcmp(how, "ignore")) signal(SIGPIPE, SIG_IGN);
  if (!strcmp(how, "handler")) signal(SIGPIPE, on_sigpipe);
  check("write with no reader", write(p[1], "x", 1));
  printf("handler saw signal %d\n", sigpipe_seen);
}

static void eventfds(void) {
  int e = eventfd(3, 0);
  check("eventfd", e >= 0 ? 0 : -1);
  uint64_t v = 4;
  check("add 4", write(e, &v, 8));
  v = 0;
  check("read", read(e, &v, 8));
  printf("  counter %llu\n", (unsigned long long)v);
  check("short write", write(e, &v, 4));
  v = UINT64_MAX;
  check("write UINT64_MAX", write(e, &v, 8));
  close(e);

  int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
  for (int i = 0; i < 3; ++i) {
    v = 0;
    long r = read(s, &v, 8);
    printf("semaphore read %d: %s %llu\n", i, r < 0 ? errno_name(errno) : "ok", (unsigned long long)v);
  }
  check("eventfd bad flags", eventfd(0, 0x100));
  close(s);
}

static long long ms_since(const struct timespec* t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void polling(void) {
  int p[2];
  pipe(p);
  struct pollfd fds[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  check("poll an empty pipe for 50 ms", poll(fds, 1, 50));
  long long waited = ms_since(&t0);
  printf("  waited >= 45 ms: %d, revents %d\n", waited >= 45, fds[0].revents);
  check("poll the write end", poll(&fds[1], 1, 0));
  printf("  writable %d\n", (fds[1].revents & POLLOUT) != 0);
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec d = {0, 100 * 1000000};
    nanosleep(&d, NULL);
    write(p[1], "late", 4);
    _exit(0);
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  check("poll until the child writes", poll(fds, 1, 5000));
  waited = ms_since(&t0);
  printf("  readable %d after >= 80 ms: %d, before the 5 s timeout: %d\n", (fds[0].revents & POLLIN) != 0,
         waited >= 80, waited < 4000);
  child_status(pid);
  close(p[1]);
  char buf[8];
  read(p[0], buf, sizeof buf);
  check("poll after the writer closed", poll(fds, 1, 1000));
  printf("  hangup %d\n", (fds[0].revents & POLLHUP) != 0);
  close(p[0]);
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* Numbers must match the native run: close what a harness leaked. */
  for (int fd = 3; fd < 64; ++fd) close(fd);
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "fork")) fork_pipe();
  else if (!strcmp(mode, "nonblock")) nonblocking();
  else if (!strcmp(mode, "sigpipe")) broken_pipe(argc > 2 ? argv[2] : "default");
  else if (!strcmp(mode, "eventfd")) eventfds();
  else if (!strcmp(mode, "poll")) polling();
  else return 2;
  return 0;
}
