/* posix_spawn's file actions, applied to the child's copy of the table in
 * order (wasix proc_spawn2, wasix-abi.md §3.6):
 *   fd_spawn parent CHILD  spawns CHILD ("fd_spawn report") with its stdout
 *                          on a pipe (dup2 + closes), reads what it wrote;
 *                          then a spawn whose dup2 source is not open fails
 *                          with EBADF and starts nothing
 *   fd_spawn parent CHILD FILE  also an open action: FILE read-only at fd 7;
 *                          then one whose file is missing: ENOENT
 *   fd_spawn report        lists its open descriptors on stdout
 *   fd_spawn cwd DIR CHILD  spawns CHILD ("fd_spawn where") after a chdir
 *                          action into DIR/spawn_cwd, then after an fchdir
 *                          action to it; an open action of a relative name
 *                          resolves there; then a chdir to a missing dir
 *   fd_spawn where         prints the last component of its cwd and fd 7
 * Built for wasm (proc_spawn2 directly) and natively (posix_spawn). */
#ifndef __wasi__
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __wasi__
#include "wasix.h"
/* fd_op, 56 bytes (wasix-abi.md §3.6). */
typedef struct {
  uint8_t cmd; /* 0 close, 1 dup2, 2 open */
  uint8_t pad0[3];
  uint32_t fd, src_fd;
  uint32_t path, path_len, lookupflags;
  uint16_t oflags;
  uint8_t pad1[6];
  uint64_t rights_base, rights_inheriting;
  uint16_t fdflags, fdflagsext;
  uint8_t pad2[4];
} fd_op_t;
_Static_assert(sizeof(fd_op_t) == 56, "fd_op is 56 bytes");
#else
#include <spawn.h>
#include <sys/wait.h>
extern char** environ;
#endif
#include "fd_errno_names.h"

/* Spawns `path` as "fd_spawn report" with actions: dup2(src, 1), close(a),
 * close(b), and with `file` an open of it read-only at fd 7. 0 or an
 * errno, as posix_spawn. */
static int spawn_reporter(pid_t* pid, const char* path, int src, int a, int b, const char* file) {
#ifdef __wasi__
  fd_op_t ops[4];
  memset(ops, 0, sizeof ops);
  ops[0].cmd = 1, ops[0].fd = 1, ops[0].src_fd = (uint32_t)src;
  ops[1].cmd = 0, ops[1].fd = (uint32_t)a;
  ops[2].cmd = 0, ops[2].fd = (uint32_t)b;
  if (file) {
    ops[3].cmd = 2, ops[3].fd = 7, ops[3].path = (uint32_t)(uintptr_t)file, ops[3].path_len = strlen(file);
    ops[3].lookupflags = 1, ops[3].rights_base = 1ull << 1; /* FD_READ: O_RDONLY */
  }
  const char args[] = "fd_spawn\nreport\n";
  uint32_t child = 0;
  wasix_errno_t e = __wasix_proc_spawn2(path, (uint32_t)strlen(path), args, sizeof args - 1, NULL, 0, ops,
                                        file ? 4 : 3, NULL, 0, 0, NULL, 0, &child);
  *pid = (pid_t)child;
  return e;
#else
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, src, 1);
  posix_spawn_file_actions_addclose(&actions, a);
  posix_spawn_file_actions_addclose(&actions, b);
  if (file) posix_spawn_file_actions_addopen(&actions, 7, file, O_RDONLY, 0);
  char* argv[] = {"fd_spawn", "report", NULL};
  int e = posix_spawn(pid, path, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  return e;
#endif
}

static void parent(const char* child, const char* file) {
  for (int fd = 3; fd < 64; ++fd) close(fd); /* as in fd_exec.c */
  int p[2];
  pipe(p);
  int keep = dup(0); /* 5: inherited by the child */
  fcntl(dup(0), F_SETFD, FD_CLOEXEC); /* 6: not inherited */
  pid_t pid;
  int e = spawn_reporter(&pid, child, p[1], p[0], p[1], file);
  printf("spawn: %s\n", e ? errno_name(e) : "ok");
  close(p[1]);
  char buf[512];
  ssize_t n, got = 0;
  while ((n = read(p[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0) got += n;
  buf[got] = 0;
  printf("the child wrote:\n%s", buf);
  int status = 0;
  waitpid(pid, &status, 0);
  printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  close(p[0]);
  close(keep);

  e = spawn_reporter(&pid, child, 42, 3, 4, NULL);
  printf("spawn with dup2 from a closed fd: %s\n", e ? errno_name(e) : "ok");
  if (!e) waitpid(pid, &status, 0);
  if (file) {
    char missing[256];
    snprintf(missing, sizeof missing, "%s.missing", file);
    e = spawn_reporter(&pid, child, 1, 3, 4, missing);
    printf("spawn opening a missing file: %s\n", e ? errno_name(e) : "ok");
    if (!e) waitpid(pid, &status, 0);
  }
}

/* chdir (dir_fd < 0) or fchdir action, then open "inner.txt" at fd 7. */
static int spawn_in(pid_t* pid, const char* child, const char* dir, int dir_fd) {
#ifdef __wasi__
  fd_op_t ops[2];
  memset(ops, 0, sizeof ops);
  if (dir_fd < 0) {
    ops[0].cmd = 3, ops[0].path = (uint32_t)(uintptr_t)dir, ops[0].path_len = strlen(dir);
  } else {
    ops[0].cmd = 4, ops[0].fd = (uint32_t)dir_fd;
  }
  ops[1].cmd = 2, ops[1].fd = 7, ops[1].path = (uint32_t)(uintptr_t) "inner.txt", ops[1].path_len = 9;
  ops[1].lookupflags = 1, ops[1].rights_base = 1ull << 1;
  const char args[] = "fd_spawn\nwhere\n";
  uint32_t id = 0;
  wasix_errno_t e = __wasix_proc_spawn2(child, (uint32_t)strlen(child), args, sizeof args - 1, NULL, 0, ops, 2,
                                        NULL, 0, 0, NULL, 0, &id);
  *pid = (pid_t)id;
  return e;
#else
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (dir_fd < 0) posix_spawn_file_actions_addchdir_np(&actions, dir);
  else posix_spawn_file_actions_addfchdir_np(&actions, dir_fd);
  posix_spawn_file_actions_addopen(&actions, 7, "inner.txt", O_RDONLY, 0);
  char* argv[] = {"fd_spawn", "where", NULL};
  int e = posix_spawn(pid, child, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  return e;
#endif
}

static void cwd_actions(const char* dir, const char* child) {
  char sub[512], file[600];
  snprintf(sub, sizeof sub, "%s/spawn_cwd", dir);
  mkdir(sub, 0755);
  snprintf(file, sizeof file, "%s/inner.txt", sub);
  int f = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  (void)!write(f, "inside spawn_cwd\n", 17);
  close(f);
  pid_t pid;
  int status;
  /* Each result is printed after the child ended: one order of lines. */
  int e = spawn_in(&pid, child, sub, -1);
  if (!e) waitpid(pid, &status, 0);
  printf("spawn with chdir: %s\n", e ? errno_name(e) : "ok");
  int d = open(sub, O_RDONLY | O_DIRECTORY);
  e = spawn_in(&pid, child, NULL, d);
  if (!e) waitpid(pid, &status, 0);
  printf("spawn with fchdir: %s\n", e ? errno_name(e) : "ok");
  close(d);
  snprintf(sub, sizeof sub, "%s/no_such_dir", dir);
  e = spawn_in(&pid, child, sub, -1);
  if (!e) waitpid(pid, &status, 0);
  printf("spawn with chdir to a missing dir: %s\n", e ? errno_name(e) : "ok");
}

static void where(void) {
  char buf[512] = {0};
#ifdef __wasi__
  uint32_t len = sizeof buf - 1;
  if (__wasix_getcwd(buf, &len) != 0) strcpy(buf, "?");
#else
  if (!getcwd(buf, sizeof buf)) strcpy(buf, "?");
#endif
  const char* last = strrchr(buf, '/');
  char text[64] = {0};
  ssize_t n = read(7, text, sizeof text - 1);
  printf("child cwd: %s, fd 7: %s", last ? last + 1 : buf, n > 0 ? text : "(none)\n");
}

static void report(void) {
  for (int fd = 0; fd < 16; ++fd)
    if (fcntl(fd, F_GETFD) >= 0) printf("fd %d open\n", fd);
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 2 && !strcmp(argv[1], "parent")) parent(argv[2], argc > 3 ? argv[3] : NULL);
  else if (argc > 1 && !strcmp(argv[1], "report")) report();
  else if (argc > 3 && !strcmp(argv[1], "cwd")) cwd_actions(argv[2], argv[3]);
  else if (argc > 1 && !strcmp(argv[1], "where")) where();
  else return 2;
  return 0;
}
