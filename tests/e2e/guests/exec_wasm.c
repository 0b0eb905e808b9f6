// Exec and spawn of .wasm programs by path (e2e/exec_wasm_test.cc), as
// WASIX programs do them; built for wasm with wasixc's guest library and
// natively, where the "*.wasm" files the test lays out are native
// programs of the same name. Modes (DIR: where main.wasm / prog.wasm are,
// a guest path under wasixc, a host path natively):
//   exec DIR            chdir(DIR); execl("./main.wasm", ...), relative
//   spawnp DIR          PATH=/nowhere:DIR; posix_spawnp("prog.wasm")
//   vfork-exec DIR      vfork; the child execs DIR/main.wasm
//   vfork-exit          vfork; the child _exits with 5
//   fork-env-exec DIR   as vfork-exec with wasix-libc's EH vfork
//   fork-env-exit       (proc_fork_env; natively plain vfork)
//   fork-env-nested     proc_fork_env inside its child: ENOTSUP (wasm only)
//   race DIR N          N children exec DIR/main.wasm at the same moment
//   try PATH [K=V...]   execve(PATH) with that environment; print errno
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __wasm__
#include "wasix.h"
#else
#include <spawn.h>
#include <sys/wait.h>
#endif
extern char** environ;

static const char* name(int e) {
  return e == 0 ? "ok" : e == ENOEXEC ? "ENOEXEC" : e == ENOENT ? "ENOENT" : e == EACCES ? "EACCES" : "other";
}

static int change_dir(const char* dir) {
#ifdef __wasm__
  // The runtime resolves exec names against the cwd it keeps (wasix-libc's
  // chdir is this call; Debian's wasi-libc keeps its own).
  return __wasix_chdir(dir, strlen(dir)) ? -1 : 0;
#else
  return chdir(dir);
#endif
}

static int spawnp(pid_t* pid, const char* file, char* const argv[]) {
#ifdef __wasm__
  return wasix_spawn(pid, file, argv, environ, 1);  // as posix_spawnp passes it
#else
  return posix_spawnp(pid, file, 0, 0, argv, environ);
#endif
}

static void report(pid_t pid) {
  int status = 0;
  pid_t got = waitpid(pid, &status, 0);
  printf("parent: joined %s, exit code %d\n", got == pid ? "the child" : "something else", WEXITSTATUS(status));
  fflush(stdout);
}

#ifdef __wasm__
// wasix-libc's vfork in its exception-handling sysroots: setjmp, then
// proc_fork_env; the "child" runs on the parent's thread and memory until
// proc_exec3 or proc_exit2 returns 0 (child launched / ended), and then
// jumps back to the vfork point, which returns the child's pid.
wasix_errno_t fork_env(uint32_t* pid) WASIX_IMPORT(proc_fork_env);
void exit2_returning(uint32_t code) WASIX_IMPORT(proc_exit2);
static wasix_jmp_buf vfork_point;
static volatile uint32_t vfork_pid;
static volatile int in_vfork_child;
#define EH_VFORK()                                                                                   \
  (wasix_setjmp(vfork_point) ? (in_vfork_child = 0, (pid_t)vfork_pid)                                \
                             : (fork_env((uint32_t*)&vfork_pid) ? -1 : (in_vfork_child = 1, (pid_t)0)))
static void child_exit(int code) {
  exit2_returning(code);
  if (in_vfork_child) wasix_longjmp(vfork_point, 1);
  _exit(code);
}
static int child_exec(const char* path, char* const argv[]) {
  uint32_t len = 0;
  char args[256];
  for (int i = 0; argv[i]; i++) len += (uint32_t)snprintf(args + len, sizeof args - len, "%s\n", argv[i]);
  wasix_errno_t e = __wasix_proc_exec3(path, strlen(path), args, len, 0, 0, 0, 0, 0);
  if (e == 0 && in_vfork_child) wasix_longjmp(vfork_point, 1);
  errno = e;
  return -1;
}
#else
#define EH_VFORK() vfork()
static void child_exit(int code) { _exit(code); }
static int child_exec(const char* path, char* const argv[]) { return execv(path, argv); }
#endif

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  const char* dir = argc > 2 ? argv[2] : ".";
  char path[512];
  fflush(stdout);
  if (!strcmp(mode, "exec")) {
    if (change_dir(dir) != 0) return 90;
    char* args[] = {"main.wasm", "from exec", 0};  // execl("./main.wasm", "main.wasm", "from exec", NULL)
    execv("./main.wasm", args);
    printf("exec failed: %s\n", name(errno));
    return 1;
  }
  if (!strcmp(mode, "spawnp")) {
    char search[400];
    snprintf(search, sizeof search, "/nowhere:%s", dir);
    setenv("PATH", search, 1);
    setenv("EXEC_WASM_VAR", "inherited", 1);
    char* args[] = {"prog.wasm", "from spawnp", 0};
    pid_t pid = 0;
    int e = spawnp(&pid, "prog.wasm", args);
    int status = 0;
    pid_t got = e == 0 ? waitpid(pid, &status, 0) : -1;  // the child has printed before we do
    printf("spawnp: %s\n", name(e));
    if (e == 0) printf("parent: joined %s, exit code %d\n", got == pid ? "the child" : "something else", WEXITSTATUS(status));
    return 0;
  }
  if (!strcmp(mode, "vfork-exec") || !strcmp(mode, "fork-env-exec")) {
    snprintf(path, sizeof path, "%s/main.wasm", dir);
    char* args[] = {"main.wasm", "code=4", 0};
    for (int round = 0; round < 2; round++) {
      pid_t pid = !strcmp(mode, "vfork-exec") ? vfork() : EH_VFORK();
      if (pid == 0) {
        child_exec(path, args);
        child_exit(127);
      }
      if (pid < 0) return 91;
      fflush(stdout);
      report(pid);
    }
    return 0;
  }
  if (!strcmp(mode, "vfork-exit") || !strcmp(mode, "fork-env-exit")) {
    for (int round = 0; round < 2; round++) {
      pid_t pid = !strcmp(mode, "vfork-exit") ? vfork() : EH_VFORK();
      if (pid == 0) {
        close(1);  // the child's own fd table: the parent's stdout stays
        child_exit(5 + round);
      }
      if (pid < 0) return 91;
      report(pid);
    }
    return 0;
  }
#ifdef __wasm__
  if (!strcmp(mode, "fork-env-nested")) {
    pid_t pid = EH_VFORK();
    if (pid == 0) {
      uint32_t again = 0;
      wasix_errno_t e = fork_env(&again);
      const char* m = e == ENOTSUP ? "nested: ENOTSUP\n" : "nested: not refused\n";
      (void)!write(1, m, strlen(m));
      child_exit(0);
    }
    report(pid);
    return 0;
  }
#endif
  if (!strcmp(mode, "race")) {
    int n = argc > 3 ? atoi(argv[3]) : 4;
    snprintf(path, sizeof path, "%s/main.wasm", dir);
    int go[2];
    if (pipe(go) != 0) return 92;
    pid_t pids[16];
    for (int i = 0; i < n && i < 16; i++) {
      pids[i] = fork();
      if (pids[i] == 0) {
        close(go[1]);
        char c;
        (void)!read(go[0], &c, 1);  // all start together when the parent closes
        char* args[] = {"main.wasm", "code=0", 0};
        execv(path, args);
        _exit(100 + errno);
      }
    }
    close(go[0]);
    close(go[1]);
    int ok = 0;
    for (int i = 0; i < n && i < 16; i++) {
      int status = 0;
      if (waitpid(pids[i], &status, 0) == pids[i] && WIFEXITED(status) && WEXITSTATUS(status) == 0) ok++;
    }
    printf("race: %d of %d ran\n", ok, n);
    return 0;
  }
  if (!strcmp(mode, "try")) {
    char* args[] = {"main.wasm", "tried", 0};
    char* env[16] = {0};
    for (int i = 3; i < argc && i < 18; i++) env[i - 3] = argv[i];
    execve(dir, args, env);
    printf("exec %s: %s\n", dir, name(errno));
    return 1;
  }
  return 2;
}
