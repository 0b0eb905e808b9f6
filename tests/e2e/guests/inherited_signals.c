// Dispositions inherited from the parent (`trap '' PIPE`, nohup): run
// natively and under wasixc with the same parent, the results must match.
//   inherited_signals PIPE|HUP  installs a SIGUSR1 handler (so the
//     runtime handles signals), raises the signal: ignored if the parent
//     ignored it, else the process dies of it; then installs a handler
//     for it and reports what the previous disposition was.
#ifdef __wasm__
#include "wasix.h"
#else
#include <signal.h>
#endif
#include <stdio.h>
#include <string.h>

static volatile int got;
static void on(int sig) { got = sig; }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  int sig = !strcmp(argv[1], "PIPE") ? SIGPIPE : SIGHUP;
  signal(SIGUSR1, on);
  raise(SIGUSR1);
  printf("USR1 handled: %d\n", got == SIGUSR1);
  fflush(stdout);
  raise(sig);
  printf("survived SIG%s\n", argv[1]);
  void (*old)(int) = signal(sig, on);
  printf("it was %s\n", old == SIG_IGN ? "ignored" : old == SIG_DFL ? "default" : "handled");
  got = 0;
  raise(sig);
  printf("now handled: %d\n", got == sig);
  signal(sig, SIG_DFL);  // explicitly back to the default: it kills again
  fflush(stdout);
  raise(sig);
  printf("survived the default\n");
  return 0;
}
