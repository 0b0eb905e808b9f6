/* wasm-rt.h for the C backend: maps the names that wabt 1.0.32's C writer
 * emits onto the wasixc runtime ABI (wasixc/abi.h), so C-backend output and
 * LLVM-backend output link against the same runtime.
 *
 * Written for wasixc (not wabt's header). Configuration, fixed here:
 *   - memory accesses carry no bounds checks: every 32-bit memory is an
 *     8 GiB PROT_NONE reservation and a stray access faults into the
 *     runtime's trap handler (WASM_RT_MEMCHECK_SIGNAL_HANDLER = 1);
 *   - stack exhaustion is caught the same way, on the guard region below the
 *     guest thread's stack, so no call-depth counter is kept
 *     (WASM_RT_USE_STACK_DEPTH_COUNT = 0);
 *   - exceptions are not supported (the compiler refuses such modules).
 */
#ifndef WASIXC_C_BACKEND_WASM_RT_H
#define WASIXC_C_BACKEND_WASM_RT_H

#include <stdbool.h>
#include <stdint.h>

#include "wasixc/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WASM_RT_MEMCHECK_SIGNAL_HANDLER 1
#define WASM_RT_USE_STACK_DEPTH_COUNT 0
#define WASM_RT_MAX_CALL_STACK_DEPTH 0
#define WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS 0

#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define wasm_rt_memcpy __builtin_memcpy
#define wasm_rt_unreachable __builtin_unreachable
#define WASM_RT_NO_RETURN __attribute__((noreturn))

/* Trap kinds the C writer names (TRAP(OOB) etc.). It uses one kind for
 * memory and table bounds and one for every call_indirect failure. */
typedef wasixc_trap_code wasm_rt_trap_t;
#define WASM_RT_TRAP_NONE WASIXC_TRAP_NONE
#define WASM_RT_TRAP_OOB WASIXC_TRAP_OOB
#define WASM_RT_TRAP_INT_OVERFLOW WASIXC_TRAP_INT_OVERFLOW
#define WASM_RT_TRAP_DIV_BY_ZERO WASIXC_TRAP_INT_DIV_ZERO
#define WASM_RT_TRAP_INVALID_CONVERSION WASIXC_TRAP_INVALID_CONVERSION
#define WASM_RT_TRAP_UNREACHABLE WASIXC_TRAP_UNREACHABLE
#define WASM_RT_TRAP_CALL_INDIRECT WASIXC_TRAP_INDIRECT_CALL
#define WASM_RT_TRAP_UNCAUGHT_EXCEPTION WASIXC_TRAP_UNCAUGHT_EXCEPTION
#define WASM_RT_TRAP_EXHAUSTION WASIXC_TRAP_STACK_EXHAUSTED
#define wasm_rt_trap wasixc_trap

typedef enum {
  WASM_RT_I32,
  WASM_RT_I64,
  WASM_RT_F32,
  WASM_RT_F64,
  WASM_RT_FUNCREF,
  WASM_RT_EXTERNREF,
} wasm_rt_type_t;

typedef void (*wasm_rt_function_ptr_t)(void);

typedef struct {
  uint32_t func_type; /* id from wasm_rt_register_func_type */
  wasm_rt_function_ptr_t func;
  void* module_instance;
} wasm_rt_funcref_t;

static const wasm_rt_funcref_t wasm_rt_funcref_null_value = {0, 0, 0};

typedef void* wasm_rt_externref_t;
static const wasm_rt_externref_t wasm_rt_externref_null_value = 0;

typedef wasixc_memory wasm_rt_memory_t;

typedef struct {
  wasm_rt_funcref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_funcref_table_t;

typedef struct {
  wasm_rt_externref_t* data;
  uint32_t max_size;
  uint32_t size;
} wasm_rt_externref_table_t;

#define wasm_rt_is_initialized() true

/* Structural function-type ids for call_indirect checks
 * (runtime/c_backend_support.cc). */
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...);

#define wasm_rt_allocate_memory(mem, initial, max) \
  wasixc_memory_allocate((mem), (initial), (max), 0)
#define wasm_rt_grow_memory wasixc_memory_grow
#define wasm_rt_free_memory wasixc_memory_free

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t*, uint32_t elements,
                                    uint32_t max_elements);
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t*);
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t*, uint32_t delta,
                                    wasm_rt_funcref_t init);
void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t*,
                                      uint32_t elements, uint32_t max_elements);
void wasm_rt_free_externref_table(wasm_rt_externref_table_t*);
uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t*,
                                      uint32_t delta, wasm_rt_externref_t init);

#ifdef __cplusplus
}
#endif

#endif /* WASIXC_C_BACKEND_WASM_RT_H */
