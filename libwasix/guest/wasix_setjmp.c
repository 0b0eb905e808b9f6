/* setjmp/longjmp for guests of Debian's wasi-libc (which has none), shaped
 * like wasix-libc's: setjmp -> helper -> stack_checkpoint. The helper keeps
 * the result in a local whose address it passes (on the shadow stack), and
 * traps on an error, as wasix-libc does. */
#include "wasix.h"

__attribute__((noinline)) static int checkpoint_helper(wasix_jmp_buf env) {
  uint64_t value = 0;
  if (__wasix_stack_checkpoint(&env->snapshot, &value) != 0) __builtin_trap();
  return (int)value;
}

__attribute__((noinline)) int wasix_setjmp(wasix_jmp_buf env) { return checkpoint_helper(env); }

void wasix_longjmp(wasix_jmp_buf env, int value) {
  __wasix_stack_restore(&env->snapshot, (uint64_t)(unsigned)value);
}
