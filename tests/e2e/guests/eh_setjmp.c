// setjmp/longjmp as wasm exceptions: built for wasm with clang-19
// `-mllvm -wasm-enable-sjlj` (setjmp/longjmp lowered to try/catch of the
// __c_longjmp tag; the helpers come from wasixc's guest library) and
// natively over the C library; the outputs must match
// (e2e/exceptions_test.cc).
#ifdef __wasm__
// Debian's wasi-libc has no <setjmp.h>: clang lowers calls by these names.
typedef struct {
  void* words[6];
} jmp_buf[1];
int setjmp(jmp_buf) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf, int);
#else
#include <setjmp.h>
#endif
#include <stdio.h>
#include <string.h>

static jmp_buf outer, inner;
static volatile int depth_reached;

__attribute__((noinline)) static void dive(int depth, int value) {
  volatile char frame[64];
  memset((char*)frame, depth, sizeof frame);
  depth_reached = depth;
  if (depth == 0) longjmp(outer, value);
  dive(depth - 1, value);
  printf("not reached %d\n", frame[0]);
}

// A frame with a setjmp of its own between the longjmp and its target:
// its catch sees an env that is not its own and passes the jump on.
__attribute__((noinline)) static int middle(int value) {
  volatile int mine = 0;
  if (setjmp(inner) == 0) {
    mine = 1;
    dive(20, value);
  }
  printf("middle: wrong target (%d)\n", mine);
  return 0;
}

int main(void) {
  volatile int after = 0;
  int r = setjmp(outer);
  if (r == 0) {
    after = 41;
    dive(100, 7);
  }
  printf("basic: setjmp returned %d, after=%d, depth=%d\n", r, after + 1, depth_reached);

  volatile long sum = 0;
  for (int i = 0; i < 100000; i++) {
    int v = setjmp(outer);
    if (v == 0) dive(i % 50, i % 7 + 1);
    sum += v;
  }
  printf("pingpong: sum=%ld\n", sum);

  r = setjmp(outer);
  if (r == 0) dive(3, 0);
  printf("zero: setjmp returned %d\n", r);

  r = setjmp(outer);
  if (r == 0) middle(9);
  printf("through: setjmp returned %d\n", r);
  return 0;
}
