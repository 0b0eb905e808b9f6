// setjmp/longjmp over wasm exceptions: the three helpers clang-19 calls
// when it lowers setjmp/longjmp with `-mllvm -wasm-enable-sjlj` (Debian's
// wasi-libc has none). Built with -mexception-handling; an archive member,
// so only programs that use them link it.
//
// What clang emits: `setjmp(env)` becomes __wasm_setjmp(env, label, id),
// where `label` numbers the setjmp call in its function and `id` is the
// address of a slot in that function's frame (one per invocation); a call
// that may longjmp is wrapped in try/catch of the __c_longjmp tag, whose
// payload points to {env, value}; the catch asks __wasm_setjmp_test(env, id)
// for the label to resume at (0: not this invocation's setjmp, so it
// longjmps on with the same env and value).
#include <stdint.h>

struct wasm_jmp_record {
  void* invocation;  // the frame slot of the function that called setjmp
  uint32_t label;    // which of its setjmp calls
  struct {
    void* env;
    int value;
  } thrown;          // the __c_longjmp payload
};

_Static_assert(sizeof(struct wasm_jmp_record) <= 24, "a guest's jmp_buf must hold the record");

// The tag itself (clang's objects reference it weakly): one i32 param, the
// payload's address.
__asm__(".globl __c_longjmp\n.tagtype __c_longjmp i32\n__c_longjmp:\n");

void __wasm_setjmp(void* env, uint32_t label, void* invocation) {
  struct wasm_jmp_record* r = env;
  r->invocation = invocation;
  r->label = label;
}

uint32_t __wasm_setjmp_test(void* env, void* invocation) {
  struct wasm_jmp_record* r = env;
  return r->invocation == invocation ? r->label : 0;
}

_Noreturn void __wasm_longjmp(void* env, int value) {
  struct wasm_jmp_record* r = env;
  r->thrown.env = env;
  // C11 7.13.2.1: longjmp(env, 0) makes setjmp return 1.
  r->thrown.value = value ? value : 1;
  __builtin_wasm_throw(1, &r->thrown);  // 1: the __c_longjmp tag
}
