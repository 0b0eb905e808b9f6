// Lists the directories the host granted (wasixc --dir), straight from the
// WASI prestat calls wasi-libc uses at start-up.
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

int main(void) {
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t prestat;
    __wasi_errno_t err = __wasi_fd_prestat_get(fd, &prestat);
    if (err == __WASI_ERRNO_BADF) break;
    if (err != 0) {
      printf("fd %u: error %u\n", fd, err);
      return 1;
    }
    char name[256] = {0};
    size_t len = prestat.u.dir.pr_name_len;
    if (len >= sizeof name) return 1;
    err = __wasi_fd_prestat_dir_name(fd, (uint8_t*)name, len);
    printf("fd %u: %s (err %u)\n", fd, name, err);
  }
  printf("short buffer: %s\n",
         __wasi_fd_prestat_dir_name(3, (uint8_t*)"", 0) == __WASI_ERRNO_NAMETOOLONG ? "NAMETOOLONG" : "other");
  printf("bad pointer: %s\n",
         __wasi_fd_prestat_get(3, (__wasi_prestat_t*)0xfffffff0u) == __WASI_ERRNO_FAULT ? "FAULT" : "other");
  return 0;
}
