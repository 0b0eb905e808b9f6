// The libc routines the llvm backend compiles as host routines
// (aot/llvm/libc_builtins.cc: memcpy, memmove, memset, memcmp, strlen, and
// strcspn at call sites) over many lengths, alignments and contents,
// printed so the wasixc build can be compared with the native one; and,
// wasm only, the edge of the memory.
//
//   libc_routines check                     results (compare with native)
//   libc_routines strcspn-unterminated      trap: no NUL before the end of memory
//   libc_routines strcspn-stops-before-end  0: a reject byte before the end
//   libc_routines strcspn-past-end          trap: s starts past the memory
//   libc_routines memcmp-call-oob           trap: equal up to the end, n beyond
//   libc_routines memcpy-call-oob           trap: the range ends past the memory
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t hash = 2166136261u;
static void mix(uint32_t v) {
  hash ^= v;
  hash *= 16777619u;
}
static int sign(int v) { return (v > 0) - (v < 0); }

static char a[1024], b[1024], buf[1024];

static void check(void) {
  // strlen and strcspn: every start, several lengths and reject sets.
  static const char* rejects[] = {"", "z", ",;", "aeiou", "0123456789", "\x7f\x80\xff"};
  for (int len = 0; len < 200; len += 7) {
    for (int start = 0; start < 9; ++start) {
      for (int i = 0; i < len; ++i) a[start + i] = (char)('a' + (i * 7 + start) % 26);
      a[start + len] = 0;
      if (len > 10) a[start + len / 2] = (char)(len % 3 == 0 ? ',' : len % 3 == 1 ? '\x80' : '5');
      mix((uint32_t)strlen(a + start));
      for (size_t r = 0; r < sizeof rejects / sizeof *rejects; ++r) mix((uint32_t)strcspn(a + start, rejects[r]));
    }
  }
  printf("strlen/strcspn: %08x\n", hash);
  // memcmp: equal ranges, a difference at every position, both signs.
  for (int n = 0; n < 300; n += 13) {
    for (int off = 0; off < 5; ++off) {
      for (int i = 0; i < n; ++i) a[off + i] = b[i] = (char)(i * 31);
      mix((uint32_t)sign(memcmp(a + off, b, (size_t)n)));
      for (int at = 0; at < n; at += 5) {
        a[off + at] ^= (char)0x81;
        mix((uint32_t)sign(memcmp(a + off, b, (size_t)n)) + 3);
        mix((uint32_t)sign(memcmp(b, a + off, (size_t)n)) + 7);
        a[off + at] ^= (char)0x81;
      }
    }
  }
  printf("memcmp: %08x\n", hash);
  // memcpy, memmove (overlapping both ways) and memset.
  for (int n = 0; n < 500; n += 11) {
    for (int i = 0; i < 1024; ++i) buf[i] = (char)i;
    memcpy(a + (n % 7), buf + 3, (size_t)n);
    memmove(buf + 5, buf, (size_t)n);
    memmove(buf, buf + 9, (size_t)n);
    memset(buf + n, n & 0xff, (size_t)(n / 3));
    for (int i = 0; i < 1024; ++i) mix((uint8_t)buf[i] + ((uint32_t)(uint8_t)a[i] << 8));
  }
  printf("memcpy/memmove/memset: %08x\n", hash);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const char* mode = argv[1];
  if (!strcmp(mode, "check")) {
    check();
    return 0;
  }
#ifdef __wasm__
  printf("about to run: %s\n", mode);
  fflush(stdout);
  char* end = (char*)(__builtin_wasm_memory_size(0) * 65536);
  volatile size_t n = 64;  // not a constant: clang must call the routine
  if (!strcmp(mode, "strcspn-unterminated")) {
    memset(end - 16, 'x', 16);  // the last byte is not NUL: the guest's own loop runs
    return (int)strcspn(end - 16, "y");
  }
  if (!strcmp(mode, "strcspn-stops-before-end")) {
    memset(end - 16, 'x', 16);
    printf("%zu\n", strcspn(end - 16, "x"));
    return 0;
  }
  if (!strcmp(mode, "strcspn-past-end")) return (int)strcspn(end + 16, "x");
  if (!strcmp(mode, "memcmp-call-oob")) {
    memset(end - 32, 'x', 32);
    return memcmp(end - 16, end - 32, n);
  }
  if (!strcmp(mode, "memcpy-call-oob")) return memcpy(end - 8, mode, n) != 0;
#endif
  printf("no such mode\n");
  return 3;
}
