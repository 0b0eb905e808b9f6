// The runtime's own cwd (wasix_32v1 getcwd/chdir), path_open2, raw
// preview1 details (fd_readdir's cut at the buffer end, set_times flags)
// and virtual directories. Run by tests/e2e/fs_test.cc with
//   WASIXC_DIRS=TMP/box::/,TMP/deep::/mnt/deep/er
// Not portable: the test asserts the output.
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <wasi/api.h>

#include "fs_common.h"
#include "wasix.h"

static const char* wasi_err(int e) {
  switch (e) {
    case 0: return "ok";
    case __WASI_ERRNO_RANGE: return "ERANGE";
    case __WASI_ERRNO_NOENT: return "ENOENT";
    case __WASI_ERRNO_NOTDIR: return "ENOTDIR";
    case __WASI_ERRNO_INVAL: return "EINVAL";
    case __WASI_ERRNO_NOTCAPABLE: return "ENOTCAPABLE";
    case __WASI_ERRNO_EXIST: return "EEXIST";
    case __WASI_ERRNO_BUSY: return "EBUSY";
    case __WASI_ERRNO_ISDIR: return "EISDIR";
    case __WASI_ERRNO_FAULT: return "EFAULT";
    case __WASI_ERRNO_ROFS: return "EROFS";
    case __WASI_ERRNO_NAMETOOLONG: return "ENAMETOOLONG";
    case __WASI_ERRNO_BADF: return "EBADF";
    default: return "other";
  }
}

// The raw imports (wasi-libc's wrappers take NUL-terminated strings): a
// hostile guest passes any pointer and length.
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path, int32_t len, int32_t out)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("path_filestat_get")));
int32_t raw_path_remove_directory(int32_t fd, int32_t path, int32_t len)
    __attribute__((import_module("wasi_snapshot_preview1"), import_name("path_remove_directory")));

static const char* raw_stat(int fd, const char* path, uint32_t len) {
  static __wasi_filestat_t st;
  return wasi_err(raw_path_filestat_get(fd, 0, (int32_t)(uintptr_t)path, (int32_t)len, (int32_t)(uintptr_t)&st));
}

static void show_cwd(const char* label) {
  char buf[64];
  memset(buf, 'x', sizeof buf);
  uint32_t len = sizeof buf;
  int e = __wasix_getcwd(buf, &len);
  int zeros = 1;
  for (uint32_t i = len; i < sizeof buf; ++i) zeros &= buf[i] == 0;
  printf("%s: %s \"%.*s\" len %u rest zeroed %s\n", label, wasi_err(e), (int)len, buf, len, zeros ? "yes" : "no");
}

static int cd(const char* path) { return __wasix_chdir(path, strlen(path)); }

int main(int argc, char** argv) {
  if (argc > 1 && !strcmp(argv[1], "cwd")) {
    show_cwd("after exec");
    return 0;
  }
  show_cwd("start");
  printf("mkdir a/b: %s\n", err_name(mkdir("a", 0777) || mkdir("a/b", 0777) ? errno : 0));
  write_file("a/file", "x", 0);
  symlink("a/b", "blink");
  printf("chdir a/b: %s\n", wasi_err(cd("a/b")));
  show_cwd("after");
  printf("chdir ..: %s\n", wasi_err(cd("..")));
  show_cwd("after ..");
  printf("chdir file: %s\n", wasi_err(cd("file")));
  printf("chdir missing: %s\n", wasi_err(cd("missing")));
  printf("chdir /blink: %s\n", wasi_err(cd("/blink")));
  show_cwd("through a link");
  char small[8];
  uint32_t len = 3;  // "/a/b" is 4 bytes
  printf("getcwd in 3: %s, needs %u\n", wasi_err(__wasix_getcwd(small, &len)), len);
  memset(small, 'x', sizeof small);
  len = 4;  // fits without a NUL: wasix-libc's getcwd(NULL, 0) relies on it
  printf("getcwd in 4: %s, len %u \"%.4s\"\n", wasi_err(__wasix_getcwd(small, &len)), len, small);
  len = 5;
  printf("getcwd in 5: %s, len %u \"%s\"\n", wasi_err(__wasix_getcwd(small, &len)), len, small);
  len = 0;
  printf("getcwd(NULL, 0): %s, needs %u\n", wasi_err(__wasix_getcwd(0, &len)), len);
  len = 64;
  printf("getcwd(NULL, 64): %s\n", wasi_err(__wasix_getcwd(0, &len)));
  len = 64;
  printf("getcwd bad pointer: %s\n", wasi_err(__wasix_getcwd((char*)0xfffffff0u, &len)));
  // The virtual directories above the /mnt/deep/er mapping.
  printf("chdir /mnt/deep: %s\n", wasi_err(cd("/mnt/deep")));
  show_cwd("virtual");
  printf("chdir er: %s\n", wasi_err(cd("er")));
  show_cwd("into the mapping");
  print_file("mapped file", "/mnt/deep/er/inside");
  printf("chdir ../..: %s\n", wasi_err(cd("../..")));
  show_cwd("back up");
  printf("chdir /nowhere: %s\n", wasi_err(cd("/nowhere")));
  cd("/");
  __wasi_filestat_t st;
  int e = __wasi_path_filestat_get(3, 1, "mnt/deep", &st);
  printf("stat a virtual dir: %s, %s\n", wasi_err(e), st.filetype == __WASI_FILETYPE_DIRECTORY ? "directory" : "other");
  __wasi_fd_t fd;
  e = __wasi_path_open(3, 0, "mnt", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  printf("open a virtual dir: %s\n", wasi_err(e));
  printf("mkdir in a virtual dir: %s\n", wasi_err(__wasi_path_create_directory(3, "mnt/new")));
  printf("mkdir over a mapping: %s\n", wasi_err(__wasi_path_create_directory(3, "mnt/deep/er")));
  printf("rmdir a mapping: %s\n", wasi_err(__wasi_path_remove_directory(3, "mnt/deep/er")));
  printf("unlink a mapping: %s\n", wasi_err(__wasi_path_unlink_file(3, "mnt/deep/er")));
  // path_open2 with CLOEXEC; relative to the mapping's preopen (fd 4).
  uint32_t fd2 = 0;
  e = __wasix_path_open2(4, 0, "inside", 6, 0, __WASI_RIGHTS_FD_READ, 0, 0, 1, &fd2);
  char buf[16] = {0};
  ssize_t n = e ? -1 : read(fd2, buf, sizeof buf - 1);
  printf("path_open2: %s, read \"%s\" (%zd)\n", wasi_err(e), buf, n);
  printf("dotdot from the mapping's preopen: %s\n",
         wasi_err(__wasix_path_open2(4, 0, "../../../a/file", 15, 0, __WASI_RIGHTS_FD_READ, 0, 0, 0, &fd2)));
  // set_times: a time and "now" for the same field is EINVAL.
  e = __wasi_path_filestat_set_times(3, 0, "a/file", 5, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW);
  printf("set_times ATIM|ATIM_NOW: %s\n", wasi_err(e));
  e = __wasi_path_filestat_set_times(3, 0, "a/file", 0, 7000000000ull, __WASI_FSTFLAGS_MTIM);
  (void)__wasi_path_filestat_get(3, 0, "a/file", &st);
  printf("set mtime: %s, mtim %llu\n", wasi_err(e), (unsigned long long)st.mtim);
  e = __wasi_path_filestat_set_times(3, 0, "a/file", 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
  (void)__wasi_path_filestat_get(3, 0, "a/file", &st);
  printf("set mtime now: %s, recent %s\n", wasi_err(e), st.mtim > 1700000000000000000ull ? "yes" : "no");
  // fd_readdir: the last entry is cut at the buffer's end, bufused == size.
  e = __wasi_path_open(3, 0, "a", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
  uint8_t dents[30];
  __wasi_size_t used = 0;
  e = e ? e : __wasi_fd_readdir(fd, dents, sizeof dents, 0, &used);
  printf("readdir into 30 bytes: %s, used %u\n", wasi_err(e), (unsigned)used);
  uint8_t all[512];
  e = __wasi_fd_readdir(fd, all, sizeof all, 0, &used);
  int entries = 0;
  for (uint32_t at = 0; at + 24 <= used; ++entries) {
    __wasi_dirent_t d;
    memcpy(&d, all + at, sizeof d);
    at += 24 + d.d_namlen;
  }
  printf("readdir a: %s, %d entries, used < size %s\n", wasi_err(e), entries, used < sizeof all ? "yes" : "no");
  __wasi_dirent_t first;
  memcpy(&first, all, sizeof first);
  e = __wasi_fd_readdir(fd, all, sizeof all, first.d_next, &used);
  int rest = 0;
  for (uint32_t at = 0; at + 24 <= used; ++rest) {
    __wasi_dirent_t d;
    memcpy(&d, all + at, sizeof d);
    at += 24 + d.d_namlen;
  }
  printf("resume after the first: %d entries\n", rest);
  printf("readdir of a file: %s\n", wasi_err(__wasi_fd_readdir(0, all, sizeof all, 0, &used)));
  // Path arguments as a hostile guest passes them, from the preopen of a
  // mapping's root (fd 4, the resolver's shortest path) and a bad fd.
  static char long_name[4096];
  memset(long_name, 'n', sizeof long_name);
  printf("raw stat inside: %s\n", raw_stat(4, "inside", 6));
  printf("raw stat inside/: %s\n", raw_stat(4, "inside/", 7));
  printf("raw stat, pointer past memory: %s\n", raw_stat(4, (const char*)0xfffffff0u, 100));
  printf("raw stat, NUL inside: %s\n", raw_stat(4, "ins\0ide", 7));
  printf("raw stat, 4096 bytes: %s\n", raw_stat(4, long_name, 4096));
  printf("raw stat, 4096 bytes, bad fd: %s\n", raw_stat(99, long_name, 4096));  // the name first, as Linux
  printf("raw stat, a 256-byte name: %s\n", raw_stat(4, long_name, 256));
  printf("raw rmdir ., bad fd: %s\n",
         wasi_err(raw_path_remove_directory(99, (int32_t)(uintptr_t)".", 1)));  // the fd first, as Linux
  // execve(2) keeps the cwd: the new image (this program, copied into the
  // box by the test) starts where this one was.
  cd("/a/b");
  char* args[] = {"fs_wasix", "cwd", 0};
  char* env[] = {"WASIXC_CWD=/mnt", 0};  // the guest's envp never chooses it
  fflush(stdout);
  execve("/fs_wasix", args, env);
  printf("exec: %s\n", err_name(errno));
  return 1;
}
