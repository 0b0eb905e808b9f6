/* dlopen/dlsym/dlclose through the wasix_32v1 imports wasix-libc uses:
 * each fails with an errno and a dlerror() text. Prints what it got. */
#include <stdio.h>
#include <string.h>

#include "wasix.h"

int main(void) {
  char err[64];
  memset(err, 'x', sizeof err);
  uint32_t handle = 12345;
  const char* lib = "libplugin.so";
  wasix_errno_t e = __wasix_dlopen(lib, strlen(lib), 2, err, sizeof err, "", 0, &handle);
  /* the text is NUL-terminated inside the buffer even when truncated */
  printf("dlopen: errno %u, terminated %d, handle untouched %d\n", e, memchr(err, 0, sizeof err) != NULL,
         handle == 12345);
  printf("dlopen text: %s\n", err);
  char small[1] = {'x'};
  e = __wasix_dlsym(0, "main", 4, small, sizeof small, &handle);
  printf("dlsym: errno %u, empty text %d\n", e, small[0] == 0);
  e = __wasix_dl_invalid_handle(0);
  printf("dlclose: errno %u\n", e);
  return 0;
}
