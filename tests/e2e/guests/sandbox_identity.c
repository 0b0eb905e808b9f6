// Sandbox identity under pid reuse (wasm only; hardening_test.cc):
//   sandbox_identity orphan  prints the root's pid, forks and returns; the
//                            child waits until it is orphaned (the root
//                            has exited), lets the test place an
//                            unrelated process on the root's old pid,
//                            then keeps sending it SIGTERM for a second
//                            and reports how the sends ended.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wasix.h"

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, 0);
}

int main(int argc, char** argv) {
  if (argc < 2 || strcmp(argv[1], "orphan") != 0) return 2;
  pid_t root = getpid();
  printf("root %d\n", (int)root);
  fflush(stdout);
  pid_t child = fork();
  if (child != 0) return child < 0 ? 1 : 0;  // the root ends; its pid is freed once reaped
  for (int i = 0; i < 5000 && getppid() == root; i++) sleep_ms(1);
  sleep_ms(300);  // the test reaps the root and forces its pid onto another process
  int delivered = 0, refused = 0, other = 0;
  for (int i = 0; i < 100; i++) {
    int r = kill(root, SIGTERM);
    if (r == 0) delivered++;
    else if (errno == EPERM || errno == ESRCH) refused++;
    else other++;
    sleep_ms(10);
  }
  printf("orphan: delivered %d refused %d other %d; still a member itself: %s\n", delivered, refused, other,
         kill(getpid(), 0) == 0 ? "yes" : "no");
  return 0;
}
