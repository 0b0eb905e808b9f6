// A guest that tries to steer the host side of a program it starts
// through the environment (wasm only; hardening_test.cc). Run with
// `--dir BIN::/bin`, where /bin/print_env is a wasixc-built program:
//   env_escape spawn LIB  spawn /bin/print_env with LD_PRELOAD=LIB,
//                         LD_AUDIT=LIB, LD_LIBRARY_PATH, GCONV_PATH,
//                         GLIBC_TUNABLES, MALLOC_ARENA_MAX and wasixc's
//                         own variables in its environment
//   env_escape exec LIB   the same through execve
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasix.h"

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  static char preload[4096], audit[4096], libpath[4096];
  snprintf(preload, sizeof preload, "LD_PRELOAD=%s", argv[2]);
  snprintf(audit, sizeof audit, "LD_AUDIT=%s", argv[2]);
  snprintf(libpath, sizeof libpath, "LD_LIBRARY_PATH=%.*s", (int)(strrchr(argv[2], '/') - argv[2]), argv[2]);
  char* env[] = {preload,
                 audit,
                 libpath,
                 "GCONV_PATH=/nonexistent",
                 "GLIBC_TUNABLES=glibc.malloc.check=3",
                 "MALLOC_ARENA_MAX=1",
                 "WASIXC_SANDBOX=00000000000000000000000000000000",
                 "WASIXC_HANDOFF=3",
                 "WASIX_TRACE=1",
                 "GUEST_VAR=given by the guest",
                 0};
  char* args[] = {"print_env", "x", 0};
  fflush(stdout);
  if (!strcmp(argv[1], "spawn")) {
    pid_t pid = 0;
    int e = wasix_spawn(&pid, "/bin/print_env", args, env, 0);
    int status = 0;
    if (e == 0) waitpid(pid, &status, 0);
    printf("spawn: %d, exit %d\n", e, WEXITSTATUS(status));
    return 0;
  }
  if (!strcmp(argv[1], "exec")) {
    execve("/bin/print_env", args, env);
    printf("exec failed: %d\n", errno);
    return 1;
  }
  return 2;
}
