// Naive recursive Fibonacci and Ackermann-like recursion (call-heavy).
#include <stdio.h>
#include <stdlib.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int tak(int x, int y, int z) { return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z; }

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 40;
  printf("%d %d\n", fib(n), tak(30, 20, 10));
  return 0;
}
