// Linear memories: an 8 GiB PROT_NONE reservation per memory, of which the
// first `pages * 64 KiB` are read/write. Growing is an mprotect; the base
// never moves, so generated code may keep it in a register and needs no
// bounds checks (an access past the end faults -> out-of-bounds trap).
#include <pthread.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "runtime/runtime.h"
#include "wasixc/abi.h"

extern "C" void wasixc_memory_allocate_at(wasixc_memory* mem,
                                          uint32_t initial_pages,
                                          uint32_t max_pages,
                                          uint32_t is_shared,
                                          uint64_t address) {
  // MAP_FIXED_NOREPLACE (Linux 4.17): the fixed range or an error, never
  // a mapping clobbered. Kernels before 4.17 take the flag as a hint and
  // may place the range elsewhere, so the result is checked too.
  int fixed = address ? MAP_FIXED_NOREPLACE : 0;
  void* base = mmap(reinterpret_cast<void*>(address), WASIXC_MEMORY_RESERVATION, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | fixed, -1, 0);
  if (base != MAP_FAILED && address && base != reinterpret_cast<void*>(address)) {
    munmap(base, WASIXC_MEMORY_RESERVATION);
    base = MAP_FAILED;
    errno = EEXIST;
  }
  if (base == MAP_FAILED && address)
    wasixc::fatal("cannot reserve guest memory at %#llx, where this executable's code expects it "
                  "(rebuild with --no-fixed-memory to let it live anywhere): %s",
                  static_cast<unsigned long long>(address), strerror(errno));
  if (base == MAP_FAILED)
    wasixc::fatal("cannot reserve guest memory: %s", strerror(errno));
  uint64_t bytes = uint64_t{initial_pages} * WASIXC_PAGE_SIZE;
  if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0)
    wasixc::fatal("cannot commit %u pages of guest memory: %s", initial_pages,
                  strerror(errno));
  mem->data = static_cast<uint8_t*>(base);
  mem->pages = initial_pages;
  // A memory that starts below 4 GiB never grows to it: its 65536th page is
  // refused (the spec lets memory.grow fail at any size; a native 32-bit
  // process cannot map its whole address space either). So an access at
  // or above 4 GiB - 64 KiB always traps, which lets the code generator
  // give 32-bit address induction variables 64-bit twins
  // (aot/llvm/address_iv_widening.cc).
  uint32_t cap = initial_pages < WASIXC_MAX_PAGES ? WASIXC_MAX_PAGES - 1 : WASIXC_MAX_PAGES;
  mem->max_pages = max_pages > cap ? cap : max_pages;
  mem->size = bytes;
  mem->is_shared = is_shared;
  wasixc::register_guest_memory(mem);
}

extern "C" void wasixc_memory_allocate(wasixc_memory* mem,
                                       uint32_t initial_pages,
                                       uint32_t max_pages, uint32_t is_shared) {
  wasixc_memory_allocate_at(mem, initial_pages, max_pages, is_shared, 0);
}

namespace {
// Guest threads share a memory and may grow it at the same time: one grow
// at a time, each seeing the other's result (threads proposal: memory.grow
// is atomic). Held across fork(2), so a child never inherits it locked.
std::mutex g_grow_lock;
[[maybe_unused]] const bool g_atfork = [] {
  pthread_atfork([] { g_grow_lock.lock(); }, [] { g_grow_lock.unlock(); }, [] { g_grow_lock.unlock(); });
  return true;
}();
}  // namespace

extern "C" uint32_t wasixc_memory_grow(wasixc_memory* mem, uint32_t delta) {
  std::unique_lock<std::mutex> guard(g_grow_lock, std::defer_lock);
  if (mem->is_shared) guard.lock();
  uint32_t old_pages = mem->pages;
  uint64_t new_pages = uint64_t{old_pages} + delta;
  if (new_pages > mem->max_pages) return UINT32_MAX;
  if (delta == 0) return old_pages;
  uint64_t new_size = new_pages * WASIXC_PAGE_SIZE;
  if (mprotect(mem->data + mem->size, new_size - mem->size,
               PROT_READ | PROT_WRITE) != 0)
    return UINT32_MAX;  // out of host memory: memory.grow returns -1
  mem->pages = static_cast<uint32_t>(new_pages);
  mem->size = new_size;
  return old_pages;
}

extern "C" void wasixc_memory_free(wasixc_memory* mem) {
  if (!mem->data) return;
  wasixc::unregister_guest_memory(mem);
  munmap(mem->data, WASIXC_MEMORY_RESERVATION);
  mem->data = nullptr;
  mem->pages = 0;
  mem->size = 0;
}
