// What SQLite's unix VFS does to open and use a database file, in the same
// order (sqlite3.c: unixFullPathname, unixOpen, unixRead/unixWrite, the
// dot-file lock of a build without fcntl locks, unixSync, unixTruncate,
// unixDelete), printing what each step returns. Built natively and for
// wasm; the test runs both on the same absolute path and compares.
//
//   fs_database DIR      the database is DIR/sub/test.db
//   fs_database root     what the guest sees at "/" (wasm only)
//   fs_database writes   writes through "/" and a read-only /ro (wasm only)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char* err_name(int e) {
  switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EACCES: return "EACCES";
    case EROFS: return "EROFS";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case EXDEV: return "EXDEV";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: return "other";
  }
}

static const char* kind(mode_t m) {
  return S_ISDIR(m) ? "directory" : S_ISREG(m) ? "file" : S_ISLNK(m) ? "symlink" : "other";
}

// unixFullPathname: lstat() of every prefix of the absolute path; any
// error but ENOENT makes sqlite3_open fail with SQLITE_CANTOPEN.
static void lstat_ancestors(const char* path) {
  char prefix[4096];
  size_t n = strlen(path);
  int k = 0;
  for (size_t i = 1; i <= n; ++i) {
    if (i < n && path[i] != '/') continue;
    memcpy(prefix, path, i);
    prefix[i] = 0;
    struct stat st;
    int r = lstat(prefix, &st);
    printf("lstat prefix %d: %s\n", k++, r == 0 ? kind(st.st_mode) : err_name(errno));
    if (r != 0 && errno != ENOENT) printf("  -> sqlite3_open would fail here\n");
  }
}

static void use_database(const char* dir) {
  char sub[4096], db[4096], journal[4096], lock[4096];
  snprintf(sub, sizeof sub, "%s/sub", dir);
  snprintf(db, sizeof db, "%s/test.db", sub);
  snprintf(journal, sizeof journal, "%s-journal", db);
  snprintf(lock, sizeof lock, "%s.lock", db);
  printf("mkdir sub: %s\n", mkdir(sub, 0755) == 0 ? "ok" : err_name(errno));
  printf("unlink test.db: %s\n", unlink(db) == 0 ? "ok" : err_name(errno));
  lstat_ancestors(db);
  int fd = open(db, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    printf("open test.db: %s\n", err_name(errno));
    return;
  }
  struct stat st;
  printf("open test.db: ok, fstat %s size %lld\n", fstat(fd, &st) == 0 ? kind(st.st_mode) : "failed",
         (long long)st.st_size);
  // The dot-file lock: a directory named test.db.lock, created and removed.
  printf("lock mkdir: %s\n", mkdir(lock, 0777) == 0 ? "ok" : err_name(errno));
  printf("lock mkdir again: %s\n", mkdir(lock, 0777) == 0 ? "ok" : err_name(errno));
  printf("journal access: %s\n", access(journal, F_OK) == 0 ? "exists" : err_name(errno));
  // Pages written at offsets, as seek + write and as pwrite.
  char page[4096];
  for (int p = 0; p < 4; ++p) {
    memset(page, 'a' + p, sizeof page);
    off_t at = (off_t)p * (off_t)sizeof page;
    ssize_t w;
    if (p % 2) {
      w = pwrite(fd, page, sizeof page, at);
    } else {
      lseek(fd, at, SEEK_SET);
      w = write(fd, page, sizeof page);
    }
    printf("write page %d: %zd\n", p, w);
  }
  int jfd = open(journal, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  printf("journal open: %s\n", jfd >= 0 ? "ok" : err_name(errno));
  if (jfd >= 0) {
    ssize_t jw = pwrite(jfd, page, 512, 0);
    printf("journal write %zd, fsync %d\n", jw, fsync(jfd));
  }
  int dfd = open(sub, O_RDONLY | O_CLOEXEC);  // unixSync's directory sync
  printf("directory open: %s, fsync %s\n", dfd >= 0 ? "ok" : err_name(errno),
         dfd >= 0 && fsync(dfd) == 0 ? "ok" : err_name(errno));
  if (dfd >= 0) close(dfd);
  printf("fsync db: %d\n", fsync(fd));
  if (jfd >= 0) close(jfd);
  printf("journal unlink: %s\n", unlink(journal) == 0 ? "ok" : err_name(errno));
  memset(page, 0, sizeof page);
  ssize_t r = pread(fd, page, sizeof page, 2 * (off_t)sizeof page);
  printf("read page 2: %zd, first byte %c, last byte %c\n", r, page[0], page[sizeof page - 1]);
  lseek(fd, 3 * (off_t)sizeof page, SEEK_SET);
  r = read(fd, page, sizeof page);
  printf("read page 3: %zd, first byte %c\n", r, page[0]);
  printf("read past the end: %zd\n", pread(fd, page, sizeof page, 16 * (off_t)sizeof page));
  printf("ftruncate to 2 pages: %d\n", ftruncate(fd, 2 * (off_t)sizeof page));
  printf("fstat size: %lld\n", fstat(fd, &st) == 0 ? (long long)st.st_size : -1LL);
  printf("lock rmdir: %s\n", rmdir(lock) == 0 ? "ok" : err_name(errno));
  close(fd);
  printf("stat size: %lld\n", stat(db, &st) == 0 ? (long long)st.st_size : -1LL);
  printf("unlink test.db: %s\n", unlink(db) == 0 ? "ok" : err_name(errno));
  printf("rmdir sub: %s\n", rmdir(sub) == 0 ? "ok" : err_name(errno));
}

// The guest's "/" (no mapping there): a directory that lists the first
// component of every mapping, holds nothing else, and leads nowhere else.
static void show_root(void) {
  struct stat st;
  printf("stat /: %s\n", stat("/", &st) == 0 ? kind(st.st_mode) : err_name(errno));
  DIR* d = opendir("/");
  if (!d) {
    printf("opendir /: %s\n", err_name(errno));
  } else {
    char names[16][256];
    int count = 0;
    printf("/:");
    for (struct dirent* e; (e = readdir(d));) {
      printf(" %s", e->d_name);
      if (count < 16 && strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "dev"))
        snprintf(names[count++], sizeof names[0], "/%s", e->d_name);
    }
    printf("\n");
    closedir(d);
    for (int i = 0; i < count; ++i) {  // a virtual directory below "/"
      DIR* sub = opendir(names[i]);
      printf("%s:", names[i]);
      for (struct dirent* e; sub && (e = readdir(sub));) printf(" %s", e->d_name);
      printf("%s\n", sub ? "" : " cannot open");
      if (sub) closedir(sub);
    }
  }
  errno = 0;
  printf("open /etc/passwd: %s\n", open("/etc/passwd", O_RDONLY) >= 0 ? "opened" : err_name(errno));
  errno = 0;
  printf("open /../etc/passwd: %s\n", open("/../etc/passwd", O_RDONLY) >= 0 ? "opened" : err_name(errno));
  errno = 0;
  printf("create /new: %s\n", open("/new", O_WRONLY | O_CREAT, 0644) >= 0 ? "created" : err_name(errno));
  errno = 0;
  printf("mkdir /newdir: %s\n", mkdir("/newdir", 0755) == 0 ? "created" : err_name(errno));
  errno = 0;
  printf("open / for writing: %s\n", open("/", O_WRONLY) >= 0 ? "opened" : err_name(errno));
  errno = 0;
  printf("rmdir /dev: %s\n", rmdir("/dev") == 0 ? "removed" : err_name(errno));
  errno = 0;
  printf("unlink /dev: %s\n", unlink("/dev") == 0 ? "removed" : err_name(errno));
}

// The result of a call returning -1 and errno on failure; an opened
// descriptor is closed.
static const char* outcome(int r) {
  if (r > 2) close(r);
  return r >= 0 ? "ok" : err_name(errno);
}

// The same change tried through "/" (virtual, read-only) and in the
// read-only mapping /ro: each must be refused the same way.
#define BOTH(what, at_root, in_ro)                   \
  do {                                               \
    errno = 0;                                       \
    const char* root_result = outcome(at_root);      \
    errno = 0;                                       \
    printf("%s: / %s, /ro %s\n", what, root_result, \
           outcome(in_ro));                          \
  } while (0)

// Writes through the guest's "/" (no mapping there, TMP at /data/x and a
// read-only /ro holding a file f and a directory sub): "/" is read-only
// as /ro is, yet a writable mapping below it can be written through it.
static void try_writes(void) {
  BOTH("access W_OK", access("/", W_OK), access("/ro", W_OK));
  BOTH("access R_OK", access("/", R_OK), access("/ro", R_OK));
  BOTH("access X_OK", access("/", X_OK), access("/ro", X_OK));
  BOTH("access W_OK below", access("/data", W_OK), access("/ro/sub", W_OK));
  BOTH("create", open("/new", O_WRONLY | O_CREAT, 0644), open("/ro/new", O_WRONLY | O_CREAT, 0644));
  BOTH("open the directory for writing", open("/", O_WRONLY), open("/ro", O_WRONLY));
  BOTH("open a directory O_RDWR", open("/data", O_RDWR), open("/ro/sub", O_RDWR));
  BOTH("mkdir", mkdir("/newdir", 0755), mkdir("/ro/newdir", 0755));
  BOTH("mkdir an existing directory", mkdir("/data", 0755), mkdir("/ro/sub", 0755));
  BOTH("rmdir", rmdir("/data"), rmdir("/ro/sub"));
  BOTH("unlink a directory", unlink("/data"), unlink("/ro/sub"));
  BOTH("unlink a missing name", unlink("/missing"), unlink("/ro/missing"));
  BOTH("symlink", symlink("/data/x/f", "/lnk"), symlink("/data/x/f", "/ro/lnk"));
  BOTH("hard link in", link("/data/x/f", "/hard"), link("/data/x/f", "/ro/hard"));
  BOTH("rename in", rename("/data/x/f", "/moved"), rename("/data/x/f", "/ro/moved"));
  BOTH("rename inside", rename("/data", "/renamed"), rename("/ro/sub", "/ro/renamed"));
  BOTH("set times", utimensat(AT_FDCWD, "/data", NULL, 0), utimensat(AT_FDCWD, "/ro/sub", NULL, 0));
  // Below "/", the writable mapping: by a path wasi-libc resolves against
  // the "/" preopen, and relative to a descriptor of "/".
  int fd = open("/data/../data/x/f", O_RDWR | O_TRUNC);
  if (fd < 0) {
    printf("open /data/../data/x/f O_RDWR: %s\n", err_name(errno));
  } else {
    int mode = fcntl(fd, F_GETFL) & O_ACCMODE;
    printf("open /data/../data/x/f O_RDWR: ok, F_GETFL %s, write %zd\n", mode == O_RDWR ? "O_RDWR" : "other",
           write(fd, "one\n", 4));
    close(fd);
  }
  DIR* root = opendir("/");
  fd = root ? openat(dirfd(root), "data/x/g", O_WRONLY | O_CREAT | O_EXCL, 0644) : -1;
  if (fd < 0) {
    printf("openat(/, data/x/g, O_WRONLY|O_CREAT): %s\n", err_name(errno));
  } else {
    int mode = fcntl(fd, F_GETFL) & O_ACCMODE;
    printf("openat(/, data/x/g, O_WRONLY|O_CREAT): ok, F_GETFL %s, write %zd\n",
           mode == O_WRONLY ? "O_WRONLY" : "other", write(fd, "two\n", 4));
    close(fd);
  }
  int sub = root ? openat(dirfd(root), "data/x", O_RDONLY | O_DIRECTORY) : -1;
  printf("access W_OK of data/x from it: %s\n", sub >= 0 ? outcome(faccessat(sub, ".", W_OK, 0)) : "no dir");
  if (sub >= 0) close(sub);
  if (root) closedir(root);
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  if (!strcmp(argv[1], "root"))
    show_root();
  else if (!strcmp(argv[1], "writes"))
    try_writes();
  else
    use_database(argv[1]);
  return 0;
}
