// The built-in /dev (kernel/devices.h). Run by tests/e2e/devices_test.cc.
//   devices use      the devices as programs use them; portable: the test
//                    compares the wasixc build with the native one
//   devices list [DIR]  the names in /dev (and DIR), sorted (wasixc: exactly
//                    the allow-list)
//   devices escape   every way out of /dev we know of, with its errno;
//                    run with a temp directory mapped at /data (the escape
//                    table in kernel/SANDBOX.md)
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "fs_common.h"
#ifdef __wasm__
#include "wasix.h"
#endif

static const char* errno_or_enospc(int e) { return e == ENOSPC ? "ENOSPC" : err_name(e); }

static void use(void) {
  char buf[64];
  int fd = open("/dev/null", O_WRONLY);
  printf("write /dev/null: %zd\n", write(fd, "discarded", 9));
  close(fd);
  fd = open("/dev/null", O_RDONLY);
  printf("read /dev/null: %zd\n", read(fd, buf, sizeof buf));
  close(fd);
  // Shell redirections and fopen("w") open with O_CREAT|O_TRUNC.
  fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666);
  printf("open /dev/null O_CREAT|O_TRUNC: %s\n", err_name(fd < 0 ? errno : 0));
  close(fd);
  FILE* f = fopen("/dev/null", "w");
  printf("fopen /dev/null w: %s, fprintf %d\n", f ? "ok" : err_name(errno), f ? fprintf(f, "x") : -1);
  if (f) fclose(f);
  memset(buf, 7, sizeof buf);
  fd = open("/dev/zero", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf);
  int zeros = 0;
  for (ssize_t i = 0; i < n; ++i) zeros += buf[i] == 0;
  printf("read /dev/zero: %zd bytes, %d zero\n", n, zeros);
  close(fd);
  const char* randoms[] = {"/dev/urandom", "/dev/random"};
  for (int r = 0; r < 2; ++r) {
    unsigned char a[32] = {0}, b[32] = {0};
    fd = open(randoms[r], O_RDONLY);
    ssize_t na = read(fd, a, sizeof a), nb = read(fd, b, sizeof b);
    close(fd);
    printf("read %s: %zd+%zd bytes, %s\n", randoms[r], na, nb, memcmp(a, b, sizeof a) ? "differ" : "same");
  }
  fd = open("/dev/full", O_WRONLY);
  errno = 0;
  n = write(fd, "x", 1);
  printf("write /dev/full: %zd %s\n", n, errno_or_enospc(errno));
  memset(buf, 7, sizeof buf);
  close(fd);
  fd = open("/dev/full", O_RDONLY);
  n = read(fd, buf, 8);
  printf("read /dev/full: %zd bytes, first %d\n", n, buf[0]);
  close(fd);
  const char* names[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev"};
  for (int i = 0; i < 6; ++i) {
    struct stat st;
    int e = stat(names[i], &st);
    printf("stat %s: %s%s\n", names[i], err_name(e < 0 ? errno : 0),
           e < 0 ? "" : S_ISCHR(st.st_mode) ? " char device" : S_ISDIR(st.st_mode) ? " directory" : " other");
  }
  // ".." from /dev is "/" (a directory holding dev).
  struct stat up, null;
  int e = stat("/dev/..", &up) | stat("/dev/../dev/null", &null);
  printf("/dev/..: %s, /dev/../dev/null: %s\n", e == 0 && S_ISDIR(up.st_mode) ? "directory" : "other",
         e == 0 && S_ISCHR(null.st_mode) ? "char device" : "other");
}

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* path) {
  DIR* d = opendir(path);
  if (!d) {
    printf("opendir %s: %s\n", path, err_name(errno));
    return;
  }
  char* names[512];
  int count = 0;
  struct dirent* e;
  while ((e = readdir(d)) && count < 512) names[count++] = strdup(e->d_name);
  closedir(d);
  qsort(names, count, sizeof names[0], compare);
  printf("%s:", path);
  for (int i = 0; i < count; ++i) printf(" %s", names[i]);
  printf("\n");
}

static void escape(void) {
  char buf[16];
  SHOW("open /dev/sda", open("/dev/sda", O_RDONLY));
  SHOW("stat /dev/shm", stat("/dev/shm", &(struct stat){0}));
  SHOW("stat /dev/tty", stat("/dev/tty", &(struct stat){0}));
  SHOW("stat /dev/fd/0", stat("/dev/fd/0", &(struct stat){0}));
  SHOW("stat /dev/stdin", stat("/dev/stdin", &(struct stat){0}));
  SHOW("open /dev/../etc/passwd", open("/dev/../etc/passwd", O_RDONLY));
  SHOW("open /dev/./../dev/null", open("/dev/./../dev/null", O_RDONLY));
  SHOW("stat /dev/null/..", stat("/dev/null/..", &(struct stat){0}));
  SHOW("open /dev/null/x", open("/dev/null/x", O_RDONLY));
  SHOW("open /dev/null O_DIRECTORY", open("/dev/null", O_RDONLY | O_DIRECTORY));
  SHOW("open /dev/null/ (trailing slash)", open("/dev/null/", O_RDONLY));
  SHOW("open /dev/null O_CREAT|O_EXCL", open("/dev/null", O_WRONLY | O_CREAT | O_EXCL, 0666));
  SHOW("create /dev/new", open("/dev/new", O_WRONLY | O_CREAT, 0666));
  SHOW("open /dev for writing", open("/dev", O_WRONLY));
  SHOW("mkdir /dev/d", mkdir("/dev/d", 0755));
  SHOW("mkdir /dev/null", mkdir("/dev/null", 0755));
  SHOW("symlink /dev/l", symlink("/data", "/dev/l"));
  SHOW("unlink /dev/null", unlink("/dev/null"));
  SHOW("rmdir /dev", rmdir("/dev"));
  SHOW("rename /dev/null to /dev/zero", rename("/dev/null", "/dev/zero"));
  SHOW("rename /dev/null to /data/n", rename("/dev/null", "/data/n"));
  SHOW("rename /data/f over /dev/null", (write_file("/data/f", "f", 0), rename("/data/f", "/dev/null")));
  SHOW("link /dev/null to /data/n", link("/dev/null", "/data/n"));
  SHOW("link /data/f to /dev/f", link("/data/f", "/dev/f"));
  SHOW("set times of /dev/null", utimensat(AT_FDCWD, "/dev/null", NULL, 0));
  SHOW("truncate /dev/null", truncate("/dev/null", 0));
  // Through a /dev directory descriptor (a relative lookup from it).
  int dev = open("/dev", O_RDONLY | O_DIRECTORY);
  SHOW("openat(/dev, sda)", openat(dev, "sda", O_RDONLY));
  SHOW("openat(/dev, ../data/f)", openat(dev, "../data/f", O_RDONLY));
  SHOW("openat(/dev, null)", openat(dev, "null", O_WRONLY));
  close(dev);
  // A symlink elsewhere pointing into /dev works like the device, one
  // pointing past the allow-list does not.
  SHOW("symlink /data/null -> /dev/null", symlink("/dev/null", "/data/null"));
  int fd = open("/data/null", O_WRONLY);
  printf("write through /data/null: %zd\n", write(fd, "abc", 3));
  close(fd);
  SHOW("symlink /data/sda -> /dev/sda", symlink("/dev/sda", "/data/sda"));
  SHOW("open through /data/sda", open("/data/sda", O_RDONLY));
  SHOW("symlink /data/up -> ../dev/../..", symlink("../dev/../..", "/data/up"));
  SHOW("open /data/up/etc/passwd", open("/data/up/etc/passwd", O_RDONLY));
  SHOW("chdir /dev", chdir("/dev"));
  SHOW("open null from cwd /dev", open("null", O_RDONLY));
  SHOW("open sda from cwd /dev", open("sda", O_RDONLY));
  SHOW("open ../data/f from cwd /dev", open("../data/f", O_RDONLY));
  fd = open("zero", O_RDONLY);
  printf("read zero from cwd /dev: %zd\n", read(fd, buf, sizeof buf));
  close(fd);
#ifdef __wasm__
  char* args[] = {"null", NULL};
  execv("/dev/null", args);
  printf("exec /dev/null: %s\n", err_name(errno));
#endif
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  const char* mode = argc > 1 ? argv[1] : "use";
  if (!strcmp(mode, "use")) {
    use();
  } else if (!strcmp(mode, "list")) {
    list("/dev");
    if (argc > 2) list(argv[2]);
  } else if (!strcmp(mode, "escape")) {
    escape();
  } else {
    return 2;
  }
  return 0;
}
