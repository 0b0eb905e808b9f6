// The thread and futex family: wasi.thread-spawn, wasix_32v1
// thread_spawn_v2 (and its alias thread_spawn), thread_id, thread_join,
// thread_exit, thread_sleep, thread_parallelism, futex_wait, futex_wake,
// futex_wake_all (wasix-abi.md §3.4, §3.5). Decodes guest memory and maps
// errors; spawning is the runtime's (runtime/guest_threads.cc), the
// meaning the kernel's (kernel/threads.h, kernel/futex.h).
// (thread_signal is with the signal family, wasix/signal.cc.)
#include <climits>

#include "kernel/futex.h"
#include "kernel/threads.h"
#include "process_state.h"
#include "runtime/runtime.h"
#include "wasix.h"

namespace wasixc::wasix {
namespace {

// A futex word: a 4-byte-aligned u32 inside the memory. Its host address.
const void* futex_word(Ctx& ctx, u32 addr) { return guest_memory(ctx).bytes(addr, 4).data(); }

}  // namespace

// wasi-threads: the tid (>= 0) or a negated errno. start_arg is passed to
// wasi_thread_start untouched; the host reads nothing of it.
u32 thread_spawn_wasi(Ctx& ctx, u32 start_arg) {
  u32 tid = 0;
  Errno e = spawn_guest_thread(&ctx, start_arg, &tid);
  return e == Errno::SUCCESS ? tid : static_cast<u32>(-static_cast<int32_t>(e));
}

// The 2023 form (Wasmer 3.x, and the Rust wasm32-wasmer-wasi std of
// then): the new thread runs the export _start_thread(user_data low 32
// bits, high 32 bits) with its __stack_pointer at stack_base, the top of
// the stack the guest allocated (stack_start is its bottom; stacks grow
// down). Reactors (reactor = 1) are refused as Wasmer refused them.
Errno thread_spawn_v1(Ctx& ctx, u64 user_data, u64 stack_base, u64 stack_start, u32 reactor, u32 tid_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(tid_out, 4);
  if (reactor != 0) return Errno::NOTCAPABLE;
  if (stack_base > UINT32_MAX || stack_start > stack_base) return Errno::INVAL;
  if (stack_base) mem.check(stack_start, stack_base - stack_start);  // the stack lies in the memory
  u32 tid = 0;
  GuestThreadEntry how{"_start_thread", false, static_cast<u32>(user_data), static_cast<u32>(user_data >> 32),
                       static_cast<u32>(stack_base)};
  Errno e = spawn_guest_thread(&ctx, how, &tid);
  if (e == Errno::SUCCESS) mem.store<u32>(tid_out, tid);
  return e;
}

Errno thread_spawn_v2(Ctx& ctx, u32 start_arg, u32 tid_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(tid_out, 4);  // fault before a thread exists, not after
  u32 tid = 0;
  Errno e = spawn_guest_thread(&ctx, start_arg, &tid);
  if (e == Errno::SUCCESS) mem.store<u32>(tid_out, tid);
  return e;
}

Errno thread_id(Ctx& ctx, u32 tid_out) {
  guest_memory(ctx).store<u32>(tid_out, ctx.thread_id);
  return Errno::SUCCESS;
}

Errno thread_join(Ctx&, u32 tid) { return errno_from_host(kernel::join_thread(tid)); }

void thread_exit(Ctx&, u32 /*code: ignored, as WASIX says*/) { exit_guest_thread(); }

Errno thread_sleep(Ctx&, u64 ns) {
  kernel::sleep_thread(ns);
  return Errno::SUCCESS;
}

Errno thread_parallelism(Ctx& ctx, u32 count_out) {
  guest_memory(ctx).store<u32>(count_out, kernel::parallelism());
  return Errno::SUCCESS;
}

// option_timestamp (16 bytes): tag u8 @0 (1 = some), u64 ns @8, relative.
// A null pointer is read as "none". A value that differs is no error
// (woken = 1): wasix-libc traps on any error from futex_wait.
Errno futex_wait(Ctx& ctx, u32 addr, u32 expected, u32 timeout, u32 woken_out) {
  GuestMemory mem = guest_memory(ctx);
  if (addr % 4) return Errno::INVAL;  // futex(2): the word must be aligned
  const void* word = futex_word(ctx, addr);
  mem.check(woken_out, 1);
  int64_t timeout_ns = -1;
  if (timeout && mem.load<uint8_t>(timeout) == 1) {
    u64 ns = mem.load<u64>(timeout + 8);
    timeout_ns = ns > INT64_MAX ? -1 : static_cast<int64_t>(ns);
  }
  kernel::WaitResult r = kernel::futex_wait32(word, expected, timeout_ns);
  mem.store<uint8_t>(woken_out, r != kernel::WaitResult::kTimedOut);
  return Errno::SUCCESS;
}

namespace {
Errno wake(Ctx& ctx, u32 addr, u32 woken_out, u32 count) {
  GuestMemory mem = guest_memory(ctx);
  if (addr % 4) return Errno::INVAL;
  const void* word = futex_word(ctx, addr);
  mem.check(woken_out, 1);
  mem.store<uint8_t>(woken_out, kernel::futex_wake(word, count) > 0);
  return Errno::SUCCESS;
}
}  // namespace

Errno futex_wake(Ctx& ctx, u32 addr, u32 woken_out) { return wake(ctx, addr, woken_out, 1); }

Errno futex_wake_all(Ctx& ctx, u32 addr, u32 woken_out) { return wake(ctx, addr, woken_out, UINT32_MAX); }

}  // namespace wasixc::wasix
