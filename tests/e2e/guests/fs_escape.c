// The sandbox's escape table: every way out of a mapping we know of, each
// with the errno it gets. Run by tests/e2e/fs_test.cc with
//   WASIXC_DIRS=TMP/box::/,TMP/rodir::/ro:ro
//   fs_escape TMP PROGRAM
// where TMP/secret and TMP/rodir/file are host files that must stay
// untouched and PROGRAM is a wasixc-built executable outside the mappings.
// Not portable (it is about the sandbox): the test asserts the output.
//   fs_escape moved   opens d/inner, waits while the test moves the host
//                     directory box/d out of the mapping, then climbs out
//                     of it with ".."
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <wasi/api.h>

#include "fs_common.h"
#include "wasix.h"

// The raw import: wasi-libc's wrapper takes a C string, this one a length,
// so a NUL can be put inside the path.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) uint16_t raw_path_open(
    uint32_t fd, uint32_t dirflags, const char* path, uint32_t path_len, uint32_t oflags, uint64_t rights_base,
    uint64_t rights_inheriting, uint32_t fdflags, uint32_t* fd_out);

static char host_tmp[1024];

static const char* host(const char* rel) {
  static char buf[2048];
  snprintf(buf, sizeof buf, "%s/%s", host_tmp, rel);
  return buf;
}

// An open for writing (O_TRUNC: a success would clobber the host file).
static int open_write(const char* path) { return open(path, O_WRONLY | O_TRUNC); }

static void race(void) {
  // A forked child swaps a real directory with symlinks out of the box
  // (an absolute host path, and "../.." climbing) in a loop while the
  // parent opens through the name for writing.
  mkdir("race", 0777);
  mkdir("race/real", 0777);
  symlink(host_tmp, "race/evil_abs");
  symlink("../..", "race/evil_rel");
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0;; ++i) {
      const char* evil = i % 2 ? "race/evil_abs" : "race/evil_rel";
      rename("race/real", "race/parked");
      rename(evil, "race/real");
      rename("race/real", evil);
      rename("race/parked", "race/real");
    }
  }
  // At least 4000 tries, and on until the swap has been seen (an idle
  // machine may finish 4000 before the child first runs), for at most 10 s.
  int opened = 0, seen = 0;
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < 4000 || !seen; ++i) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 10) break;
    int fd = open_write("race/real/secret");
    if (fd >= 0) {
      opened++;
      close(fd);
    }
    struct stat st;
    if (lstat("race/real", &st) == 0 && S_ISLNK(st.st_mode)) seen++;
  }
  kill(child, SIGKILL);
  waitpid(child, 0, 0);
  printf("race: the swapped-in symlink was seen: %s\n", seen ? "yes" : "no");
  printf("race: %d opens of a host file\n", opened);
}

static void moved(void) {
  int dir = open("d/inner", O_RDONLY | O_DIRECTORY);
  printf("open d/inner: %s\n", err_name(dir < 0 ? errno : 0));
  fflush(stdout);
  struct timespec wait = {1, 500000000};
  nanosleep(&wait, 0);  // meanwhile: mv TMP/box/d TMP/outside/d
  // On the host, inner/../../.. is now TMP: ".." is resolved in the
  // guest's namespace (/d/inner -> /d, gone), never by the host.
  SHOW("climb out of the moved directory", openat(dir, "../../../secret", O_WRONLY | O_TRUNC));
  SHOW("its parent", openat(dir, "..", O_RDONLY | O_DIRECTORY));
  SHOW("a file in it is still there", openat(dir, "kept", O_RDONLY));
}

int main(int argc, char** argv) {
  if (argc == 2 && !strcmp(argv[1], "moved")) {
    moved();
    return 0;
  }
  if (argc < 4) return 2;
  snprintf(host_tmp, sizeof host_tmp, "%s", argv[1]);
  const char* program = argv[2];
  SHOW("dotdot past the root", open_write("../secret"));
  SHOW("dotdot from an absolute path", open_write("/../../secret"));
  SHOW("host absolute path", open_write(host("secret")));
  SHOW("make a host-absolute symlink", symlink(host("secret"), "abs_link"));
  SHOW("open through it", open_write("abs_link"));
  SHOW("symlink to /etc/passwd", symlink("/etc/passwd", "passwd_link"));
  SHOW("open through it", open("passwd_link", O_RDONLY));
  SHOW("relative symlink climbing out", symlink("../../../../secret", "rel_link"));
  SHOW("open through it", open_write("rel_link"));
  SHOW("symlink loop", symlink("loop", "loop"));
  SHOW("open the loop", open("loop", O_RDONLY));
  mkdir("sub", 0777);
  symlink("sub", "sublink");
  SHOW("dotdot after a symlink", open_write("sublink/../../secret"));
  SHOW("symlink to a host directory", symlink(host_tmp, "hostdir"));
  SHOW("create through it", open("hostdir/created", O_WRONLY | O_CREAT, 0666));
  SHOW("mkdir through it", mkdir("hostdir/newdir", 0777));
  SHOW("hard link to a host file", link(host("secret"), "hard"));
  SHOW("hard link via dotdot", link("../secret", "hard"));
  SHOW("write a file", write_file("f", "in the box", 0));
  SHOW("rename out of the mapping", rename("f", "../../moved_out"));
  print_file("it stayed inside", "/moved_out");
  SHOW("chdir out", chdir("../../.."));
  SHOW("open after chdir out", open_write("secret"));
  chdir("/");
  SHOW("exec symlink to a program outside", symlink(program, "prog"));
  char* args[] = {"prog", 0};
  pid_t pid;
  printf("spawn through it: %s\n", err_name(wasix_spawn(&pid, "/prog", args, 0, 0)));
  execv("/prog", args);
  printf("exec through it: %s\n", err_name(errno));
  static char proc_path[2048];
  snprintf(proc_path, sizeof proc_path, "/proc/self/root%s/secret", host_tmp);
  SHOW("/proc/self/root", open_write(proc_path));
  uint32_t fd_out = 0;
  static const char with_nul[] = "moved_out\0/../../secret";
  uint16_t e = raw_path_open(3, 0, with_nul, sizeof with_nul - 1, 0, 1u << 6, 0, 0, &fd_out);
  printf("path with an embedded NUL: %s\n", e == __WASI_ERRNO_INVAL ? "EINVAL" : e == 0 ? "ok" : "other");
  static char longpath[5000];
  for (size_t i = 0; i + 2 < sizeof longpath; i += 2) memcpy(longpath + i, "./", 2);
  SHOW("a path of 5000 bytes", open(longpath, O_RDONLY));
  // 41 links in a chain: one more than Linux follows.
  char name[32], target[32];
  for (int i = 0; i < 41; ++i) {
    snprintf(name, sizeof name, "chain%d", i);
    snprintf(target, sizeof target, "chain%d", i + 1);
    symlink(target, name);
  }
  write_file("chain41", "end", 0);
  SHOW("41 links", open("chain0", O_RDONLY));
  SHOW("40 links", open("chain1", O_RDONLY));
  // The read-only mapping at /ro.
  print_file("read-only mapping is readable", "/ro/file");
  SHOW("ro: open for write", open_write("/ro/file"));
  SHOW("ro: create", open("/ro/new", O_WRONLY | O_CREAT, 0666));
  SHOW("ro: unlink", unlink("/ro/file"));
  SHOW("ro: rename inside", rename("/ro/file", "/ro/file2"));
  SHOW("ro: rename out", rename("/ro/file", "/stolen"));
  SHOW("ro: mkdir", mkdir("/ro/d", 0777));
  SHOW("ro: mkdir existing", mkdir("/ro", 0777));
  SHOW("ro: rmdir", rmdir("/ro/dir"));
  SHOW("ro: symlink", symlink("x", "/ro/l"));
  SHOW("ro: hard link inside", link("/ro/file", "/ro/file3"));
  SHOW("ro: hard link out to rw", link("/ro/file", "/rw_alias"));
  struct timespec ts[2] = {{1, 0}, {1, 0}};
  SHOW("ro: set times", utimensat(AT_FDCWD, "/ro/file", ts, 0));
  int ro_fd = open("/ro/file", O_RDONLY);
  SHOW("ro: set times on a read-only descriptor", futimens(ro_fd, ts));
  close(ro_fd);
  SHOW("rw symlink into ro", symlink("/ro/file", "ro_link"));
  SHOW("write through it", open_write("ro_link"));
  SHOW("ro: rmdir its root", rmdir("/ro"));
  // A guest's envp for a new image never steers its mappings: the spawned
  // program (it lists its preopens) gets this process's, not the host's /.
  char* list_args[] = {"preopens", 0};
  char* evil_env[] = {"WASIXC_DIRS=/::/", "WASIXC_DIRS_ADD=/::/host", "WASIXC_CWD=/ro", 0};
  fflush(stdout);
  int spawned = wasix_spawn(&pid, argv[3], list_args, evil_env, 0);
  waitpid(pid, 0, 0);
  printf("spawn with WASIXC_DIRS in its env: %s\n", err_name(spawned));
  race();
  return 0;
}
