// Processes: fork(2) copies memory, the child's pid and parent agree with
// the parent's view, waitpid reports exit codes, WNOHANG, ECHILD, and 200
// fork/wait cycles leave no zombie. Built for wasm with wasixc's guest
// library (wasix.h) and natively with the C library; the outputs match.
#ifdef __wasm__
#include "wasix.h"
#else
#include <sys/wait.h>
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int global = 1;

static int count_fds(void) {
  int n = 0;
  for (int fd = 0; fd < 256; fd++) {
    errno = 0;
    n += lseek(fd, 0, SEEK_CUR) >= 0 || errno != EBADF;
  }
  return n;
}

static void nap_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int main(void) {
  pid_t self = getpid();
  char* heap = malloc(32);
  strcpy(heap, "parent heap");
  global = 2;
  fflush(stdout);

  pid_t child = fork();
  if (child == 0) {
    // The child sees the parent's memory as it was at fork time.
    printf("child: global %d heap '%s' parent-is-forker %d pid-differs %d\n", global, heap,
           getppid() == self, getpid() != self);
    global = 99;
    strcpy(heap, "child heap");
    fflush(stdout);
    _exit(42);
  }
  int status = 0;
  pid_t got = waitpid(child, &status, 0);
  printf("parent: waited right child %d exited %d code %d\n", got == child, WIFEXITED(status),
         WEXITSTATUS(status));
  printf("parent: global %d heap '%s' (unchanged by the child)\n", global, heap);

  // WNOHANG on a child still running: 0; then it ends and is reaped.
  pid_t sleeper = fork();
  if (sleeper == 0) {
    nap_ms(300);
    _exit(3);
  }
  printf("wnohang while running: %d\n", (int)waitpid(sleeper, &status, WNOHANG));
  got = wait(&status);
  printf("wait any: right child %d code %d\n", got == sleeper, WEXITSTATUS(status));

  // No children left: ECHILD.
  errno = 0;
  got = waitpid(-1, &status, 0);
  printf("no children: %d %s\n", (int)got, errno == ECHILD ? "ECHILD" : "other");

  // Many cycles: every child reaped, none left behind.
  int fds_before = count_fds();
  int sum = 0;
  for (int i = 0; i < 200; i++) {
    pid_t c = fork();
    if (c == 0) _exit(i % 7);
    if (waitpid(c, &status, 0) != c) return 10;
    sum += WEXITSTATUS(status);
  }
  errno = 0;
  printf("200 cycles: sum %d, leftover children: %s\n", sum,
         waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD ? "none" : "some");
  // No descriptor appeared along the way.
  printf("descriptors unchanged by the cycles: %s\n", count_fds() == fds_before ? "yes" : "no");
  return 0;
}
