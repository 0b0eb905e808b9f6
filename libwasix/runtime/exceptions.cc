// Wasm exceptions (the exception-handling proposal) on the host unwinder.
//
// Generated code (aot/llvm/emit_exceptions.cc) turns the calls inside a
// try body into LLVM invokes whose landing pads catch everything, under
// libstdc++'s personality (__gxx_personality_v0): the non-throwing path
// costs nothing (no registration, no checks), and a throw walks the
// unwind tables like a C++ throw. A wasm exception is a foreign exception
// to that personality (our own exception class), which only catch-all
// clauses match; the landing pad then compares the tag itself.
//
// An exception object is reference counted: a throw creates it with one
// reference, which the catch that lands it owns; `rethrow` takes another
// (the catch may still be running when the rethrown exception is caught
// again, inside it); a catch releases its reference when it is left.
// An exnref (catch_ref / catch_all_ref, as lowered: aot/lowering/exnref.cc)
// is the exception object itself, with a reference of its own
// (wasixc_exception_retain) that is never given back: an exnref may be
// copied into locals, globals and tables, and nothing tracks its last use.
// So an exception ever caught by a *_ref clause is never freed: one object
// (48 bytes + 8 per payload value) per such exception, however often it is
// re-thrown by throw_ref and caught again (that only counts up).
// A trap is not an exception: it never unwinds, so catch_all cannot see it.
#include <unwind.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "runtime/runtime.h"

namespace wasixc {
namespace {

constexpr uint64_t kWasmExceptionClass = 0x5741534958430000ull;  // "WASIXC\0\0"

struct WasmException {
  _Unwind_Exception header;  // first: landing pads receive its address
  uint32_t references;
  uint32_t count;
  const void* tag;
  uint64_t values[];
};

WasmException* as_wasm(void* landed) {
  auto* e = static_cast<WasmException*>(landed);
  // Only guest code throws through guest frames; anything else (a C++
  // exception escaping the runtime) must not be mistaken for a wasm one.
  if (e->header.exception_class != kWasmExceptionClass) wasixc_trap(WASIXC_TRAP_UNCAUGHT_EXCEPTION);
  return e;
}

void destroy(_Unwind_Reason_Code, _Unwind_Exception* header) { free(header); }

[[noreturn]] void raise(WasmException* e) {
  _Unwind_RaiseException(&e->header);
  // No frame catches it (phase 1 found no handler up to the invoke thunk,
  // which always has one, so this is a throw outside any thunk): nothing
  // was unwound, and it ends like an uncaught exception.
  wasixc_trap(WASIXC_TRAP_UNCAUGHT_EXCEPTION);
}

}  // namespace
}  // namespace wasixc

using wasixc::WasmException;

extern "C" {

void wasixc_exception_throw(const void* tag, const uint64_t* values, uint32_t count) {
  auto* e = static_cast<WasmException*>(calloc(1, sizeof(WasmException) + 8ull * count));
  if (!e) wasixc_trap(WASIXC_TRAP_STACK_EXHAUSTED);  // no memory for it: like running out of stack
  e->header.exception_class = wasixc::kWasmExceptionClass;
  e->header.exception_cleanup = wasixc::destroy;
  e->references = 1;
  e->count = count;
  e->tag = tag;
  if (count) memcpy(e->values, values, 8ull * count);
  wasixc::raise(e);
}

// `rethrow` from a catch body: the catch keeps its reference.
void wasixc_exception_rethrow(void* landed) {
  WasmException* e = wasixc::as_wasm(landed);
  ++e->references;
  wasixc::raise(e);
}

// A landing pad that matched none of its clauses and has no handler left
// in its function: the exception continues to the callers with the
// reference the pad received.
void wasixc_exception_propagate(void* landed) { wasixc::raise(wasixc::as_wasm(landed)); }

// catch_ref / catch_all_ref: the exnref's own reference (never released,
// see above); `throw_ref` is wasixc_exception_rethrow of it.
void* wasixc_exception_retain(void* landed) {
  WasmException* e = wasixc::as_wasm(landed);
  ++e->references;
  return e;
}

const void* wasixc_exception_tag(void* landed) { return wasixc::as_wasm(landed)->tag; }

const uint64_t* wasixc_exception_values(void* landed) { return wasixc::as_wasm(landed)->values; }

void wasixc_exception_release(void* landed) {
  WasmException* e = wasixc::as_wasm(landed);
  if (--e->references == 0) free(e);
}

// The invoke thunk's catch-all: an exception left the guest.
void wasixc_exception_uncaught(void* landed) {
  (void)landed;
  wasixc_trap(WASIXC_TRAP_UNCAUGHT_EXCEPTION);
}

}  // extern "C"
