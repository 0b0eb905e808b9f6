/* Threads for guests of Debian's wasi-libc, which has none (wasix.h).
 *
 * A thread is one allocation: its shadow stack (linear-memory stack), its
 * TLS block, and a struct wasix_thread that begins with the 64-byte
 * start-args struct of wasix-abi.md §3.4. thread_spawn_v2 hands that
 * struct to the host, which calls the export wasi_thread_start(tid, it)
 * on a new instance of the module. wasi_thread_start is assembly because
 * nothing may touch the shadow stack before __stack_pointer is set.
 *
 * The end of a thread is assembly too (__wasix_thread_finish): it sets the
 * `done` flag, wakes the joiner, and calls thread_exit without another
 * access to memory, so the joiner may free the stack the moment it sees
 * the flag. Ending with thread_exit (never returning) also keeps wasm-ld's
 * command wrapper of the export from running __wasm_call_dtors (atexit
 * handlers, the stdio flush) at every thread's end.
 *
 * Built with -matomics -mbulk-memory: link it only into shared-memory
 * programs (an archive member is linked only when used).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wasix.h"

struct wasix_thread {
  /* wasix-abi.md §3.4, read by the host and by wasi_thread_start. */
  uint32_t stack_top; /* +0: initial __stack_pointer, 16-aligned */
  uint32_t tls_base;  /* +4: this thread's TLS block */
  uint32_t start_fn;  /* +8 */
  uint32_t start_arg; /* +12 */
  uint32_t self;      /* +16 */
  uint32_t reserved[9];
  uint32_t stack_size; /* +56 */
  uint32_t guard_size; /* +60 */
  /* The library's own. */
  void* (*fn)(void*);  /* +64 */
  void* arg;           /* +68 */
  void* result;        /* +72 */
  uint32_t done;       /* +76: 1 once the thread no longer touches this block */
  uint32_t tid;        /* +80 */
  void* block;         /* +84: the allocation to free */
};
_Static_assert(offsetof(struct wasix_thread, stack_size) == 56, "start-args layout");
_Static_assert(offsetof(struct wasix_thread, done) == 76, "the assembly below uses offset 76");

void __wasix_thread_main(uint32_t tid, struct wasix_thread* t);
_Noreturn void __wasix_thread_finish(struct wasix_thread* t);
void __wasm_init_tls(void* block); /* made by wasm-ld for shared-memory builds */

__asm__(
    ".globaltype __stack_pointer, i32\n"
    ".functype __wasm_init_tls (i32) -> ()\n"
    ".functype __wasix_thread_main (i32, i32) -> ()\n"
    ".functype __wasix_thread_finish (i32) -> ()\n"
    ".functype __wasix_thread_exit (i32) -> ()\n"
    ".import_module __wasix_thread_exit, wasix_32v1\n"
    ".import_name __wasix_thread_exit, thread_exit\n"
    /* wasi_thread_start(tid, start): stack, TLS, the C part, the end. */
    ".section .text.wasi_thread_start,\"\",@\n"
    ".globl wasi_thread_start\n"
    ".export_name wasi_thread_start, wasi_thread_start\n"
    ".type wasi_thread_start,@function\n"
    "wasi_thread_start:\n"
    ".functype wasi_thread_start (i32, i32) -> ()\n"
    "  local.get 1\n"
    "  i32.load 0\n"
    "  global.set __stack_pointer\n"
    "  local.get 1\n"
    "  i32.load 4\n"
    "  call __wasm_init_tls\n"
    "  local.get 0\n"
    "  local.get 1\n"
    "  call __wasix_thread_main\n"
    "  local.get 1\n"
    "  call __wasix_thread_finish\n"
    "  unreachable\n"
    "  end_function\n"
    /* __wasix_thread_finish(t): done = 1, wake the joiner, thread_exit. */
    ".section .text.__wasix_thread_finish,\"\",@\n"
    ".globl __wasix_thread_finish\n"
    ".type __wasix_thread_finish,@function\n"
    "__wasix_thread_finish:\n"
    ".functype __wasix_thread_finish (i32) -> ()\n"
    "  local.get 0\n"
    "  i32.const 1\n"
    "  i32.atomic.store 76\n"
    "  local.get 0\n"
    "  i32.const -1\n"
    "  memory.atomic.notify 76\n"
    "  drop\n"
    "  i32.const 0\n"
    "  call __wasix_thread_exit\n"
    "  unreachable\n"
    "  end_function\n");

static _Thread_local struct wasix_thread* current; /* NULL on the main thread */

/* Threads alive, the main thread included. The last to end calls exit(0)
 * here in the guest, as musl's pthread_exit does, so atexit handlers run
 * and stdio is flushed (the host's last-thread exit could not do that). */
static uint32_t live_threads = 1;

static void leave(void) {
  if (__atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL) == 0) exit(0);
}

void __wasix_thread_main(uint32_t tid, struct wasix_thread* t) {
  current = t;
  __atomic_store_n(&t->tid, tid, __ATOMIC_RELAXED);
  t->result = t->fn(t->arg);
  leave();
}

static uintptr_t align_up(uintptr_t v, uintptr_t a) { return (v + a - 1) & ~(a - 1); }

/* wasi-libc's malloc has no lock: the library's own allocations take this
 * one, so threads creating and joining threads at once are safe. */
static wasix_mutex_t alloc_lock = WASIX_MUTEX_INIT;

int wasix_thread_create(wasix_thread_t* thread, void* (*fn)(void*), void* arg, size_t stack_size) {
  if (!thread || !fn) return EINVAL;
  if (stack_size == 0) stack_size = WASIX_THREAD_DEFAULT_STACK;
  if (stack_size < WASIX_THREAD_MIN_STACK) stack_size = WASIX_THREAD_MIN_STACK;
  stack_size = align_up(stack_size, 16);
  size_t tls_align = __builtin_wasm_tls_align();
  if (tls_align < 16) tls_align = 16;
  size_t tls_size = align_up(__builtin_wasm_tls_size(), 16);
  size_t total = stack_size + tls_align + tls_size + align_up(sizeof(struct wasix_thread), 16);
  wasix_mutex_lock(&alloc_lock);
  uint8_t* block = aligned_alloc(16, align_up(total, 16));
  wasix_mutex_unlock(&alloc_lock);
  if (!block) return EAGAIN; /* pthread_create: insufficient resources */
  uintptr_t tls = align_up((uintptr_t)block + stack_size, tls_align);
  struct wasix_thread* t = (struct wasix_thread*)(tls + tls_size);
  *t = (struct wasix_thread){0};
  t->stack_top = (uint32_t)((uintptr_t)block + stack_size); /* the stack grows down from here */
  t->tls_base = (uint32_t)tls;
  t->start_fn = (uint32_t)(uintptr_t)fn;
  t->start_arg = (uint32_t)(uintptr_t)arg;
  t->self = (uint32_t)(uintptr_t)t;
  t->stack_size = (uint32_t)stack_size;
  t->fn = fn;
  t->arg = arg;
  t->block = block;
  uint32_t tid = 0;
  __atomic_add_fetch(&live_threads, 1, __ATOMIC_ACQ_REL);
  wasix_errno_t e = __wasix_thread_spawn_v2(t, &tid);
  if (e != 0) {
    __atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL);
    wasix_mutex_lock(&alloc_lock);
    free(block);
    wasix_mutex_unlock(&alloc_lock);
    return e;
  }
  __atomic_store_n(&t->tid, tid, __ATOMIC_RELAXED);
  *thread = t;
  return 0;
}

int wasix_thread_join(wasix_thread_t t, void** result) {
  if (!t) return EINVAL;
  if (t == current) return EDEADLK; /* POSIX pthread_join: joining oneself */
  while (__atomic_load_n(&t->done, __ATOMIC_ACQUIRE) == 0)
    __builtin_wasm_memory_atomic_wait32((int32_t*)&t->done, 0, -1);
  if (result) *result = t->result;
  wasix_mutex_lock(&alloc_lock);
  free(t->block);
  wasix_mutex_unlock(&alloc_lock);
  return 0;
}

_Noreturn void wasix_thread_exit(void* result) {
  struct wasix_thread* t = current;
  leave();
  if (!t) __wasix_thread_exit(0); /* the main thread: the others go on */
  t->result = result;
  __wasix_thread_finish(t);
}

uint32_t wasix_thread_tid(wasix_thread_t t) { return t ? __atomic_load_n(&t->tid, __ATOMIC_RELAXED) : 0; }

int wasix_futex_wait(uint32_t* addr, uint32_t expected, int64_t timeout_ns) {
  wasix_option_timestamp_t timeout = {timeout_ns >= 0, timeout_ns >= 0 ? (uint64_t)timeout_ns : 0};
  uint8_t woken = 0;
  wasix_errno_t e = __wasix_futex_wait(addr, expected, &timeout, &woken);
  if (e != 0) return e;
  return woken ? 0 : ETIMEDOUT;
}

int wasix_futex_wake(uint32_t* addr, int all) {
  uint8_t woken = 0;
  wasix_errno_t e = all ? __wasix_futex_wake_all(addr, &woken) : __wasix_futex_wake(addr, &woken);
  return e != 0 ? -(int)e : woken;
}

/* Drepper's three-state futex mutex ("Futexes Are Tricky"): 0 free,
 * 1 locked, 2 locked with (possible) waiters. */
void wasix_mutex_lock(wasix_mutex_t* m) {
  uint32_t c = 0;
  if (__atomic_compare_exchange_n(&m->state, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
  if (c != 2) c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
  while (c != 0) {
    wasix_futex_wait(&m->state, 2, -1);
    c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
  }
}

void wasix_mutex_unlock(wasix_mutex_t* m) {
  if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2) wasix_futex_wake(&m->state, 0);
}
