// A tiny bytecode interpreter dispatching through a table of function
// pointers (indirect-call-heavy, like call_indirect in real programs).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { int64_t acc, x; uint32_t pc; } Vm;
typedef void (*Op)(Vm*);
static void op_add(Vm* v) { v->acc += v->x; }
static void op_mul(Vm* v) { v->acc = v->acc * 3 + 1; }
static void op_xor(Vm* v) { v->acc ^= v->acc >> 7; }
static void op_inc(Vm* v) { v->x++; }
static void op_rot(Vm* v) { v->acc = (int64_t)(((uint64_t)v->acc << 13) | ((uint64_t)v->acc >> 51)); }
static void op_sub(Vm* v) { v->acc -= v->x * 5; }
static void op_neg(Vm* v) { v->acc = -v->acc; }
static void op_mix(Vm* v) { v->x ^= v->acc & 0xffff; }

int main(int argc, char** argv) {
  long steps = argc > 1 ? atol(argv[1]) : 100000000;
  Op ops[8] = {op_add, op_mul, op_xor, op_inc, op_rot, op_sub, op_neg, op_mix};
  uint8_t code[4096];
  uint32_t s = 9;
  for (int i = 0; i < 4096; i++) { s = s * 1103515245u + 12345u; code[i] = (uint8_t)((s >> 16) & 7); }
  Vm vm = {1, 1, 0};
  for (long i = 0; i < steps; i++) ops[code[vm.pc++ & 4095]](&vm);
  printf("%lld %lld\n", (long long)vm.acc, (long long)vm.x);
  return 0;
}
