// The part of the file API where node's WASI (node:wasi, uvwasi) behaves
// like Linux: the same program under wasixc, natively and under node must
// print the same. (Where node differs from Linux, e.g. O_NOFOLLOW or
// readdir's "." and "..", the fs_files guest compares wasixc with native.)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void check(const char* what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerror(errno)); }

int main(void) {
  check("mkdir d", mkdir("d", 0755) == 0);
  check("mkdir d again (EEXIST)", !(mkdir("d", 0755) == 0) && errno == EEXIST);
  int fd = open("d/a.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  check("create d/a.txt", fd >= 0);
  const char text[] = "hello, files\n";
  check("write", write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
  check("seek to 100", lseek(fd, 100, SEEK_SET) == 100);
  check("write past the end", write(fd, "x", 1) == 1);
  close(fd);
  struct stat st;
  check("stat size 101", stat("d/a.txt", &st) == 0 && st.st_size == 101 && S_ISREG(st.st_mode));
  fd = open("d/a.txt", O_WRONLY | O_APPEND);
  check("append", fd >= 0 && write(fd, "tail\n", 5) == 5);
  close(fd);
  char buf[256] = {0};
  fd = open("d/a.txt", O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf);
  printf("read %zd bytes, starts \"%.12s\", ends \"%.4s\"\n", n, buf, buf + n - 5);
  check("pread at 0", pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0);
  close(fd);
  check("open missing (ENOENT)", open("d/missing", O_RDONLY) < 0 && errno == ENOENT);
  check("O_EXCL on existing (EEXIST)", open("d/a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0 && errno == EEXIST);
  for (int i = 0; i < 20; i++) {
    char name[32];
    snprintf(name, sizeof name, "d/f%02d", i);
    int f = open(name, O_WRONLY | O_CREAT, 0644);
    close(f);
  }
  check("rename", rename("d/f00", "d/renamed") == 0);
  check("unlink", unlink("d/f01") == 0);
  check("unlink again (ENOENT)", unlink("d/f01") != 0 && errno == ENOENT);
  DIR* dir = opendir("d");
  char* names[64];
  int count = 0;
  struct dirent* e;
  while (dir && (e = readdir(dir)) && count < 64)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[count++] = strdup(e->d_name);
  if (dir) closedir(dir);
  qsort(names, count, sizeof names[0], cmp);
  printf("readdir d: %d entries:", count);
  for (int i = 0; i < count; i++) printf(" %s", names[i]);
  printf("\n");
  check("rmdir non-empty (ENOTEMPTY)", rmdir("d") != 0 && errno == ENOTEMPTY);
  for (int i = 0; i < count; i++) {
    char path[64];
    snprintf(path, sizeof path, "d/%s", names[i]);
    unlink(path);
  }
  check("rmdir", rmdir("d") == 0);
  check("stat removed (ENOENT)", stat("d", &st) != 0 && errno == ENOENT);
  return 0;
}
