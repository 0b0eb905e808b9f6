// exec and spawn of other programs through wasixc's guest library. Run
// with `--dir BIN::/bin`, where the test put wasixc-built executables
// (hello, exit_code) and a host program (host-true):
//   exec_spawn spawn   spawn /bin/hello with args and env, join it
//   exec_spawn exec    execv /bin/exit_code: this process becomes it
//   exec_spawn refuse  a host program, a missing one, a path escaping /bin
//   exec_spawn old     the superseded proc_spawn (stdout to /dev/null) and
//                      proc_exec2
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wasix.h"

static const char* name(int e) {
  return e == 0 ? "ok" : e == ENOEXEC ? "ENOEXEC" : e == ENOENT ? "ENOENT" : e == EACCES ? "EACCES" : "other";
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  fflush(stdout);
  if (!strcmp(mode, "spawn")) {
    char* args[] = {"hello", "x", "y z", 0};
    char* env[] = {"WASIXC_E2E_A=from-spawn", 0};
    pid_t pid = 0;
    int e = wasix_spawn(&pid, "/bin/hello", args, env, 0);
    int status = 0;
    pid_t got = waitpid(pid, &status, 0);
    printf("spawn: %s, joined it: %d, exit code %d\n", name(e), got == pid, WEXITSTATUS(status));
    return 0;
  }
  if (!strcmp(mode, "exec")) {
    char* args[] = {"exit_code", "7", "exit", 0};
    execv("/bin/exit_code", args);
    printf("exec failed: %s\n", name(errno));
    return 1;
  }
  if (!strcmp(mode, "old")) {
    static const char args[] = "hello\nquiet\n";
    wasix_process_handles_t h;
    wasix_errno_t e = __wasix_proc_spawn("/bin/hello", 10, 0, args, sizeof args - 1, "", 0, WASIX_STDIO_INHERIT,
                                         WASIX_STDIO_NULL, WASIX_STDIO_INHERIT, "", 0, &h);
    int status = 0;
    pid_t got = waitpid((pid_t)h.pid, &status, 0);
    printf("proc_spawn: %s, joined %d, exit code %d\n", name(e), got == (pid_t)h.pid, WEXITSTATUS(status));
    fflush(stdout);
    static const char exec_args[] = "exit_code\n9\n_Exit\n";
    __wasix_proc_exec2("/bin/exit_code", 14, exec_args, sizeof exec_args - 1, 0, 0);
  }
  if (!strcmp(mode, "refuse")) {
    char* args[] = {"x", 0};
    pid_t pid;
    printf("host program: %s\n", name(wasix_spawn(&pid, "/bin/host-true", args, 0, 0)));
    printf("missing: %s\n", name(wasix_spawn(&pid, "/bin/missing", args, 0, 0)));
    printf("outside the mapping: %s\n", name(wasix_spawn(&pid, "/../../bin/true", args, 0, 0)));
    printf("unmapped directory: %s\n", name(wasix_spawn(&pid, "/usr/bin/true", args, 0, 0)));
    execv("/bin/host-true", args);
    printf("exec host program: %s\n", name(errno));
    return 0;
  }
  return 2;
}
