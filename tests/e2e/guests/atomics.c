// Shared memory and atomics in one thread: C11 atomics (lowered to wasm
// atomic instructions), compare-exchange, and memory.atomic.wait/notify
// results (not-equal, timed-out, no waiters). Built as a shared-memory
// module (tests/CMakeLists.txt); prints the same lines natively.
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static _Atomic uint32_t counter;
static _Atomic uint64_t wide;
static _Atomic uint8_t byte;

int main(void) {
  for (int i = 0; i < 1000; i++) atomic_fetch_add(&counter, 3);
  atomic_fetch_sub(&counter, 1000);
  atomic_fetch_or(&wide, 0xf0f0f0f000000000ull);
  atomic_fetch_and(&wide, 0xff00ff00ffffffffull);
  atomic_fetch_xor(&wide, 0x1);
  uint32_t expected = 2000;
  int swapped = atomic_compare_exchange_strong(&counter, &expected, 7);
  uint32_t expected_wrong = 1;
  int not_swapped = atomic_compare_exchange_strong(&counter, &expected_wrong, 9);
  atomic_store(&byte, 200);
  uint8_t old_byte = atomic_exchange(&byte, 17);
  printf("counter %u swapped %d not_swapped %d seen %u\n", atomic_load(&counter), swapped, not_swapped,
         expected_wrong);
  printf("wide %llx byte %u old %u\n", (unsigned long long)atomic_load(&wide), atomic_load(&byte), old_byte);
  atomic_thread_fence(memory_order_seq_cst);
#ifdef __wasm__
  // memory.atomic.wait32: 1 = "not-equal", 2 = "timed-out"; notify: woken.
  int not_equal = __builtin_wasm_memory_atomic_wait32((int*)&counter, 12345, -1);
  int timed_out = __builtin_wasm_memory_atomic_wait32((int*)&counter, 7, 1000000);
  int woken = __builtin_wasm_memory_atomic_notify((int*)&counter, 1);
#else
  int not_equal = 1, timed_out = 2, woken = 0;
#endif
  printf("wait: not-equal %d timed-out %d notify woke %d\n", not_equal, timed_out, woken);
  return 0;
}
