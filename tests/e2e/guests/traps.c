// Triggers one kind of trap, named on the command line, after printing a
// line (flushed) so the tests can see output before the trap survives.
#include <limits.h>
#include <stdio.h>
#include <string.h>

volatile int zero = 0;
volatile int minus_one = -1;
volatile int int_min = INT_MIN;
volatile float not_a_number = __builtin_nanf("");

// Recursion whose frames live in the guest's shadow stack (linear memory):
// the shadow stack pointer runs below 0 and the access goes out of bounds.
int shadow_recurse(int n) {
  volatile char frame[256];
  frame[0] = (char)n;
  return shadow_recurse(n + 1) + frame[0];
}

// Recursion through a function pointer keeps everything in registers: the
// native stack runs out instead.
int native_recurse(int n);
int (*volatile native_recurse_ptr)(int) = native_recurse;
int native_recurse(int n) { return n == 0 ? 0 : native_recurse_ptr(n - 1) + 1; }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  printf("about to trap: %s\n", argv[1]);
  fflush(stdout);
  const char* kind = argv[1];
  if (!strcmp(kind, "unreachable")) __builtin_trap();
  if (!strcmp(kind, "oob")) return *(volatile int*)0xfffffff0u;
  if (!strcmp(kind, "div")) return 10 / zero;
  if (!strcmp(kind, "overflow")) return int_min / minus_one;
  if (!strcmp(kind, "shadow-stack")) return shadow_recurse(0);
  if (!strcmp(kind, "native-stack")) return native_recurse(INT_MAX);
#ifdef __wasm__
  if (!strcmp(kind, "conversion")) return __builtin_wasm_trunc_s_i32_f32(not_a_number);
  // libc routines the llvm backend compiles as bulk-memory operations:
  // ranges that end past the memory still trap.
  char* end = (char*)(__builtin_wasm_memory_size(0) * 65536);
  volatile size_t n = 64;  // not a constant: clang must call the routine
  if (!strcmp(kind, "memcpy-oob")) return memcpy(end - 8, kind, n) != 0;
  if (!strcmp(kind, "memset-oob")) return memset(end - 8, 1, n) != 0;
  if (!strcmp(kind, "memcmp-oob")) {
    memset(end - 32, 'x', 32);  // equal up to the end of memory, then past it
    return memcmp(end - 16, end - 32, n);
  }
  if (!strcmp(kind, "strlen-oob")) {
    memset(end - 16, 'x', 16);  // no NUL before the end of memory
    return (int)strlen(end - 16);
  }
#endif
  printf("no such trap\n");
  return 3;
}
