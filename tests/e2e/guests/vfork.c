// vfork(2): the parent resumes only once the child has exited or exec'd.
// The child sleeps before it writes and exits, so with a plain fork the
// parent would print first; with vfork the order is fixed. Built for wasm
// with wasixc's guest library (proc_fork(copy_memory=0), as wasix-libc's
// vfork) and natively; the outputs match.
#ifdef __wasm__
#include "wasix.h"
#else
#include <sys/wait.h>
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void say(const char* s) { (void)!write(1, s, strlen(s)); }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "exit";
  for (int round = 0; round < 3; round++) {
    pid_t pid = vfork();
    if (pid == 0) {
      struct timespec ts = {0, 150 * 1000 * 1000};
      nanosleep(&ts, NULL);
      say("child: done\n");
      if (!strcmp(mode, "exec")) {
        // exec of a program that does not exist fails; the child exits
        // (the parent still waits for that exit).
        char* args[] = {"/nonexistent/prog", NULL};
        execv(args[0], args);
        say("child: exec failed\n");
      }
      _exit(7 + round);
    }
    say("parent: resumed\n");
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return 1;
    printf("parent: child exited with %d\n", WEXITSTATUS(status));
    fflush(stdout);
  }
  return 0;
}
