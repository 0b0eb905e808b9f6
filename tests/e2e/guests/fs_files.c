// Files, directories, links and errno values through the path calls,
// printed with relative paths only: run natively with cwd = an empty temp
// directory and under wasixc with that directory mapped at "/".
//   fs_files basic    create/read/append/excl/trunc, modes, errors
//   fs_files dirs     mkdir/rmdir/rename/unlink and their errors
//   fs_files links    symlink/readlink/link, ELOOP, trailing slashes
//   fs_files readdir  1,000 entries: sorted names + types, rewind, seek
//   fs_files large    a sparse file with data past 4 GiB
//   fs_files cwd      chdir/getcwd relative to the start directory
//   fs_files times    utimensat and stat times
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>

#include "fs_common.h"

static void stat_line(const char* path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    printf("stat %s: %s\n", path, err_name(errno));
    return;
  }
  // No mode bits: WASI's filestat has none (the test compares the host
  // files' modes instead).
  printf("stat %s: %s size %lld nlink %d\n", path,
         S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : S_ISLNK(st.st_mode) ? "link" : "other",
         S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, (int)st.st_nlink);
}

static void lstat_line(const char* path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("lstat %s: %s\n", path, err_name(errno));
    return;
  }
  printf("lstat %s: %s\n", path, S_ISLNK(st.st_mode) ? "link" : S_ISDIR(st.st_mode) ? "dir" : "file");
}

// writev/readv/preadv with `count` buffers of 3 bytes (the runtime keeps
// up to 8 host iovecs inline, more on the heap: both paths).
static void vectored(int count) {
  char name[32], out[64], in[64] = {0};
  struct iovec iov[16];
  snprintf(name, sizeof name, "v%d.txt", count);
  for (int i = 0; i < count; ++i) {
    snprintf(out + 3 * i, 4, "%03d", i);
    iov[i] = (struct iovec){out + 3 * i, 3};
  }
  int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0666);
  printf("writev %d: %zd\n", count, writev(fd, iov, count));
  for (int i = 0; i < count; ++i) iov[i] = (struct iovec){in + 3 * (count - 1 - i), 3};
  printf("preadv %d: %zd \"%s\"\n", count, preadv(fd, iov, count, 0), in);
  memset(in, 0, sizeof in);
  lseek(fd, 3, SEEK_SET);
  ssize_t n = readv(fd, iov, count);
  for (int i = 0; i < 3 * count; ++i) in[i] = in[i] ? in[i] : '.';
  printf("readv %d from 3: %zd \"%s\"\n", count, n, in);
  close(fd);
}

static void basic(void) {
  SHOW("create a.txt", write_file("a.txt", "hello", O_TRUNC));
  print_file("read a.txt", "a.txt");
  stat_line("a.txt");
  SHOW("append", write_file("a.txt", " world", O_APPEND));
  print_file("after append", "a.txt");
  SHOW("O_EXCL existing", open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0666));
  SHOW("O_TRUNC", write_file("a.txt", "new", O_TRUNC));
  print_file("after trunc", "a.txt");
  SHOW("open missing", open("missing.txt", O_RDONLY));
  SHOW("open missing dir", open("nodir/x", O_RDONLY));
  SHOW("file as dir", open("a.txt/x", O_RDONLY));
  SHOW("trailing slash on file", open("a.txt/", O_RDONLY));
  SHOW("creat with trailing slash", open("new/", O_WRONLY | O_CREAT, 0666));
  SHOW("mkdir d", mkdir("d", 0777));
  SHOW("open dir for write", open("d", O_WRONLY));
  SHOW("open dir O_DIRECTORY", open("d", O_RDONLY | O_DIRECTORY));
  SHOW("O_DIRECTORY on file", open("a.txt", O_RDONLY | O_DIRECTORY));
  // wasi-libc passes no mode: both builds use 0666/0777 and the umask they
  // were started with (the test runs them under several).
  SHOW("mkdir with 0777", mkdir("pdir", 0777));
  stat_line("pdir");
  SHOW("write to O_RDONLY", write(open("a.txt", O_RDONLY), "x", 1));
  char name[300];
  memset(name, 'n', sizeof name - 1);
  name[sizeof name - 1] = 0;
  SHOW("name of 299 bytes", open(name, O_RDONLY));
  static char longpath[5000];
  for (int i = 0; i + 2 < (int)sizeof longpath; i += 2) memcpy(longpath + i, "./", 2);
  longpath[sizeof longpath - 1] = 0;
  SHOW("path of 5000 bytes", open(longpath, O_RDONLY));
  SHOW("access a.txt", access("a.txt", R_OK));
  SHOW("access missing", access("missing", F_OK));
  vectored(1);
  vectored(12);
}

static void dirs(void) {
  SHOW("mkdir d", mkdir("d", 0777));
  SHOW("mkdir d again", mkdir("d", 0777));
  SHOW("mkdir d/sub/x", mkdir("d/sub/x", 0777));
  SHOW("mkdir d/sub", mkdir("d/sub", 0777));
  SHOW("mkdir d/sub/ (slash)", mkdir("d/sub2/", 0777));
  SHOW("file in d/sub", write_file("d/sub/f", "f", 0));
  SHOW("rmdir non-empty", rmdir("d/sub"));
  SHOW("rmdir a file", rmdir("d/sub/f"));
  SHOW("unlink a dir", unlink("d/sub"));
  SHOW("unlink file/ (slash)", unlink("d/sub/f/"));
  SHOW("rmdir missing", rmdir("d/nothing"));
  SHOW("rename file", rename("d/sub/f", "d/g"));
  print_file("renamed", "d/g");
  SHOW("old name gone", open("d/sub/f", O_RDONLY));
  SHOW("write h", write_file("d/h", "hhh", 0));
  SHOW("rename over existing", rename("d/g", "d/h"));
  print_file("d/h now", "d/h");
  SHOW("rename dir into itself", rename("d", "d/sub/inside"));
  SHOW("rename dir over non-empty dir", rename("d/sub2", "d"));
  SHOW("rename file over dir", rename("d/h", "d/sub"));
  SHOW("rename dir over file", rename("d/sub", "d/h"));
  SHOW("rename missing", rename("d/none", "d/x"));
  SHOW("rename dir", rename("d/sub", "d/sub3"));
  SHOW("unlink d/h", unlink("d/h"));
  SHOW("unlink again", unlink("d/h"));
  // Repeated and trailing slashes, through nested directories.
  SHOW("mkdir d//sub4", mkdir("d//sub4", 0777));
  SHOW("mkdir d/sub4//in/", mkdir("d/sub4//in/", 0777));
  SHOW("file d//sub4///in//f", write_file("d//sub4///in//f", "x", 0));
  stat_line("d/sub4//in//f");
  stat_line("d//sub4/in/");
  stat_line("d//sub4//in//f/");
  SHOW("unlink d//sub4//in/f", unlink("d//sub4//in/f"));
  SHOW("rmdir d/sub4/in//", rmdir("d/sub4/in//"));
  SHOW("rmdir d//sub4", rmdir("d//sub4"));
  SHOW("rmdir d/sub3", rmdir("d/sub3"));
  SHOW("rmdir d/sub2", rmdir("d/sub2"));
  SHOW("rmdir d", rmdir("d"));
  SHOW("rmdir .", rmdir("."));
  stat_line(".");
  stat_line("d");
}

static void links(void) {
  SHOW("target", write_file("t.txt", "target text", 0));
  SHOW("symlink", symlink("t.txt", "ln"));
  SHOW("symlink exists", symlink("t.txt", "ln"));
  char buf[64] = {0};
  ssize_t n = readlink("ln", buf, sizeof buf);
  printf("readlink: %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
  memset(buf, 0, sizeof buf);
  n = readlink("ln", buf, 3);
  printf("readlink short: %zd \"%s\"\n", n, buf);
  SHOW("readlink of a file", readlink("t.txt", buf, sizeof buf));
  print_file("through link", "ln");
  stat_line("ln");
  lstat_line("ln");
  SHOW("O_NOFOLLOW on link", open("ln", O_RDONLY | O_NOFOLLOW));
  SHOW("loop a", symlink("loop_b", "loop_a"));
  SHOW("loop b", symlink("loop_a", "loop_b"));
  SHOW("open loop", open("loop_a", O_RDONLY));
  stat_line("loop_a");
  lstat_line("loop_a");
  SHOW("dangling", symlink("created_through_link", "dangling"));
  stat_line("dangling");  // stat follows: ENOENT; lstat sees the link
  lstat_line("dangling");
  SHOW("create through dangling", write_file("dangling", "via link", 0));
  print_file("created target", "created_through_link");
  SHOW("O_EXCL on link", open("ln", O_WRONLY | O_CREAT | O_EXCL, 0666));
  SHOW("mkdir dir", mkdir("dir", 0777));
  SHOW("file in dir", write_file("dir/inner", "inner", 0));
  SHOW("dir link", symlink("dir", "dirln"));
  print_file("through dir link", "dirln/inner");
  lstat_line("dirln/");
  SHOW("dotdot after link", write_file("dirln/../via_dotdot", "x", 0));
  stat_line("via_dotdot");
  SHOW("link chain", symlink("dirln/inner", "chain"));
  print_file("through chain", "chain");
  stat_line("chain");  // two links to a file
  stat_line("dirln");  // a link to a directory
  stat_line("dirln/inner");
  SHOW("hard link", link("t.txt", "hard"));
  stat_line("t.txt");
  stat_line("hard");
  SHOW("hard link exists", link("t.txt", "hard"));
  SHOW("hard link of dir", link("dir", "dirhard"));
  SHOW("hard link missing", link("none", "x"));
  SHOW("unlink hard", unlink("hard"));
  stat_line("t.txt");
  SHOW("unlink the link", unlink("ln"));
  stat_line("t.txt");
  SHOW("abs link", symlink("/nonexistent/abs", "abs"));
  n = readlink("abs", buf, sizeof buf);
  printf("readlink abs: \"%.*s\"\n", (int)(n > 0 ? n : 0), buf);
  SHOW("rmdir link to dir", rmdir("dirln"));
  SHOW("link in missing dir", symlink("x", "nodir/l"));
}

static int compare_names(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void listing(void) {
  SHOW("mkdir many", mkdir("many", 0777));
  char path[64];
  for (int i = 0; i < 1000; ++i) {
    snprintf(path, sizeof path, "many/entry-%04d-with-a-longer-name", i);
    if (i % 100 == 7) {
      if (mkdir(path, 0777) != 0) printf("mkdir %s: %s\n", path, err_name(errno));
    } else if (write_file(path, "", 0) != 0) {
      printf("create %s: %s\n", path, err_name(errno));
    }
  }
  SHOW("symlink in many", symlink("entry-0000-with-a-longer-name", "many/zz-link"));
  DIR* d = opendir("many");
  if (!d) {
    printf("opendir: %s\n", err_name(errno));
    return;
  }
  char* names[1100];
  int count = 0, dirs = 0, files = 0, syms = 0;
  long pos_at_500 = -1;
  char name_at_500[128] = "";
  struct dirent* e;
  while ((e = readdir(d)) && count < 1100) {
    names[count++] = strdup(e->d_name);
    if (e->d_type == DT_DIR) dirs++;
    if (e->d_type == DT_REG) files++;
    if (e->d_type == DT_LNK) syms++;
    if (count == 500) {
      pos_at_500 = telldir(d);
      e = readdir(d);
      if (e) {
        snprintf(name_at_500, sizeof name_at_500, "%s", e->d_name);
        names[count++] = strdup(e->d_name);
        if (e->d_type == DT_DIR) dirs++;
        if (e->d_type == DT_REG) files++;
        if (e->d_type == DT_LNK) syms++;
      }
    }
  }
  qsort(names, count, sizeof names[0], compare_names);
  printf("entries %d: dirs %d files %d links %d\n", count, dirs, files, syms);
  for (int i = 0; i < count; i += 97) printf("  %s\n", names[i]);
  printf("  last %s\n", names[count - 1]);
  seekdir(d, pos_at_500);
  e = readdir(d);
  printf("seekdir back: %s\n", e && !strcmp(e->d_name, name_at_500) ? "same entry" : "different");
  rewinddir(d);
  int again = 0;
  while (readdir(d)) again++;
  printf("after rewind: %d entries\n", again);
  closedir(d);
  SHOW("opendir a file", (long)(opendir("many/entry-0000-with-a-longer-name") ? 0 : -1));
  SHOW("opendir missing", (long)(opendir("nothing") ? 0 : -1));
}

static void large(void) {
  int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) {
    printf("open big: %s\n", err_name(errno));
    return;
  }
  const long long at = 5LL << 30;  // 5 GiB: past 32 bits
  printf("seek: %lld\n", (long long)lseek(fd, at, SEEK_SET));
  printf("write: %zd\n", write(fd, "tail", 4));
  printf("seek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
  char buf[8] = {0};
  lseek(fd, at + 1, SEEK_SET);
  printf("read back: %zd \"%s\"\n", read(fd, buf, 3), buf);
  lseek(fd, 4096, SEEK_SET);
  memset(buf, 1, sizeof buf);
  printf("hole reads zeros: %zd %d\n", read(fd, buf, 4), buf[0] + buf[1] + buf[2] + buf[3]);
  close(fd);
  stat_line("big");
  SHOW("unlink big", unlink("big"));
}

static void cwd(void) {
  char start[PATH_MAX], now[PATH_MAX];
  if (!getcwd(start, sizeof start)) {
    printf("getcwd: %s\n", err_name(errno));
    return;
  }
  size_t base = strlen(start);
  SHOW("mkdir a", mkdir("a", 0777));
  SHOW("mkdir a/b", mkdir("a/b", 0777));
  SHOW("chdir a/b", chdir("a/b"));
  getcwd(now, sizeof now);
  printf("cwd: \"%s\"\n", now + (base == 1 ? 0 : base));
  SHOW("file here", write_file("here", "in b", 0));
  // (Debian's wasi-libc keeps its cwd as text: "/a/b/.." is not
  // normalised, so only the effect of ".." is compared.)
  SHOW("chdir ..", chdir(".."));
  print_file("relative from a", "b/here");
  SHOW("chdir file", chdir("b/here"));
  SHOW("chdir missing", chdir("missing"));
  SHOW("symlink to b", symlink("b", "bl"));
  SHOW("chdir through link", chdir("bl"));
  print_file("relative from the link", "here");
  char tiny[2];
  errno = 0;
  printf("getcwd tiny: %s %s\n", getcwd(tiny, sizeof tiny) ? "ok" : "NULL", err_name(errno));
  chdir(start);
}

static void times(void) {
  SHOW("create", write_file("timed", "t", 0));
  struct timespec ts[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
  SHOW("utimensat", utimensat(AT_FDCWD, "timed", ts, 0));
  struct stat st;
  stat("timed", &st);
  printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  struct timespec omit[2] = {{0, UTIME_OMIT}, {2000000000, 5}};
  SHOW("utimensat omit atime", utimensat(AT_FDCWD, "timed", omit, 0));
  stat("timed", &st);
  printf("atime %lld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec,
         st.st_mtim.tv_nsec);
  SHOW("utimensat missing", utimensat(AT_FDCWD, "missing", ts, 0));
  SHOW("symlink", symlink("timed", "timed_ln"));
  SHOW("utimensat nofollow", utimensat(AT_FDCWD, "timed_ln", ts, AT_SYMLINK_NOFOLLOW));
  stat("timed", &st);
  printf("target untouched: %s\n", st.st_mtim.tv_sec != 1000000000 ? "yes" : "no");
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "basic")) basic();
  else if (!strcmp(mode, "dirs")) dirs();
  else if (!strcmp(mode, "links")) links();
  else if (!strcmp(mode, "readdir")) listing();
  else if (!strcmp(mode, "large")) large();
  else if (!strcmp(mode, "cwd")) cwd();
  else if (!strcmp(mode, "times")) times();
  else {
    printf("unknown mode\n");
    return 2;
  }
  return 0;
}
