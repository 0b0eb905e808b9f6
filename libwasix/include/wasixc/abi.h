/* wasixc runtime ABI — contract 1 of DESIGN.md.
 *
 * The one header that generated code (every backend) and the runtime agree
 * on: the per-thread context layout, the memory descriptor, trap codes, the
 * module descriptor the generated glue exports, and the ABI stamp.
 *
 * ABI stamp: every generated object takes the address of
 * WASIXC_ABI_STAMP; only a runtime built from this same header defines that
 * symbol. An object built against another ABI version therefore fails to
 * link ("undefined reference to wasixc_runtime_abi_vN") instead of crashing.
 * Bump WASIXC_ABI_VERSION whenever anything below changes layout or meaning.
 *
 * Plain C so that C-backend output can include it.
 */
#ifndef WASIXC_ABI_H
#define WASIXC_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASIXC_ABI_VERSION 1
#define WASIXC_ABI_STAMP wasixc_runtime_abi_v1
extern const uint32_t WASIXC_ABI_STAMP;

#define WASIXC_PAGE_SIZE 65536u
#define WASIXC_MAX_PAGES 65536u

/* Bytes reserved (PROT_NONE) for every 32-bit linear memory: an address is
 * a u32 index plus a u32 static offset, so every access lands below 8 GiB;
 * anything past the accessible size faults and becomes an out-of-bounds
 * trap. No explicit bounds checks are needed in generated code. */
#define WASIXC_MEMORY_RESERVATION (8ull << 30)

/* A linear memory. Field names match what wabt's C writer emits
 * (data/pages/max_pages/size) so both backends share this one type. */
typedef struct wasixc_memory {
  uint8_t* data;      /* base of the reservation; index 0 of the memory */
  uint32_t pages;     /* current size in 64 KiB pages */
  uint32_t max_pages; /* declared maximum, WASIXC_MAX_PAGES if none */
  uint64_t size;      /* current size in bytes (pages * 64 KiB) */
  uint32_t is_shared; /* threads proposal: reserved at max, never moves */
  uint32_t reserved_;
} wasixc_memory;

/* Per-thread context. The generated code passes it to every import; the
 * LLVM backend also reads the fields below at the static offsets. */
typedef struct wasixc_ctx {
  wasixc_memory* memory;     /* the instance's memory 0 (NULL if none) */
  volatile uint32_t pending; /* non-zero: the kernel wants a safepoint */
  uint32_t thread_id;        /* WASIX tid; main thread tid == pid */
  void* instance;            /* backend-specific instance object */
  void* runtime;             /* runtime-private (wasixc::Thread*) */
} wasixc_ctx;

#define WASIXC_CTX_OFFSET_MEMORY 0
#define WASIXC_CTX_OFFSET_PENDING 8
#define WASIXC_CTX_OFFSET_INSTANCE 16

#if defined(__cplusplus)
static_assert(offsetof(wasixc_ctx, memory) == WASIXC_CTX_OFFSET_MEMORY, "");
static_assert(offsetof(wasixc_ctx, pending) == WASIXC_CTX_OFFSET_PENDING, "");
static_assert(offsetof(wasixc_ctx, instance) == WASIXC_CTX_OFFSET_INSTANCE, "");
static_assert(sizeof(wasixc_memory) == 32, "");
#else
_Static_assert(offsetof(wasixc_ctx, memory) == WASIXC_CTX_OFFSET_MEMORY, "");
_Static_assert(offsetof(wasixc_ctx, pending) == WASIXC_CTX_OFFSET_PENDING, "");
_Static_assert(offsetof(wasixc_ctx, instance) == WASIXC_CTX_OFFSET_INSTANCE, "");
_Static_assert(sizeof(wasixc_memory) == 32, "");
#endif

/* Why a guest stopped. Messages are in runtime/traps.cc. */
typedef enum wasixc_trap_code {
  WASIXC_TRAP_NONE = 0,
  WASIXC_TRAP_UNREACHABLE,
  WASIXC_TRAP_MEMORY_OOB,       /* out of bounds memory access */
  WASIXC_TRAP_TABLE_OOB,        /* out of bounds table access */
  WASIXC_TRAP_OOB,              /* memory or table; C backend can't tell */
  WASIXC_TRAP_INT_DIV_ZERO,
  WASIXC_TRAP_INT_OVERFLOW,
  WASIXC_TRAP_INVALID_CONVERSION,
  WASIXC_TRAP_INDIRECT_CALL,    /* C backend: undefined, null or mismatch */
  WASIXC_TRAP_INDIRECT_CALL_TYPE,
  WASIXC_TRAP_UNDEFINED_ELEMENT,
  WASIXC_TRAP_NULL_REFERENCE,
  WASIXC_TRAP_STACK_EXHAUSTED,
  WASIXC_TRAP_MISSING_IMPORT,   /* --allow-missing-imports stub was called */
  WASIXC_TRAP_UNCAUGHT_EXCEPTION,
  WASIXC_TRAP_COUNT
} wasixc_trap_code;

/* Ends the process: prints "wasixc: trap: <kind>[ in <function>]" and exits
 * with status 134 (what a shell shows for abort()). Never returns. */
__attribute__((noreturn)) void wasixc_trap(wasixc_trap_code code);
/* Same, for a call to an import that was not resolved at compile time. */
__attribute__((noreturn)) void wasixc_trap_missing_import(const char* module,
                                                          const char* name);

/* Linear memory management (runtime/memory.cc). */
void wasixc_memory_allocate(wasixc_memory* mem, uint32_t initial_pages,
                            uint32_t max_pages, uint32_t is_shared);
/* Returns the old size in pages, or 0xffffffff if the memory can't grow. */
uint32_t wasixc_memory_grow(wasixc_memory* mem, uint32_t delta_pages);
void wasixc_memory_free(wasixc_memory* mem);

/* What the compiler bakes into an executable from `wasixc --dir/--env`. */
typedef struct wasixc_dir_mapping {
  const char* host_path;
  const char* guest_path;
} wasixc_dir_mapping;

typedef struct wasixc_config {
  const char* const* env; /* "K=V" entries added to the inherited environ */
  uint32_t env_count;
  const wasixc_dir_mapping* dirs; /* preopened at fd 3, 4, ... in order */
  uint32_t dir_count;
} wasixc_config;

/* The one object the generated glue exports: how the runtime drives the
 * guest. The runtime's main() finds it by name. */
typedef struct wasixc_module {
  const uint32_t* abi_stamp; /* &WASIXC_ABI_STAMP: the link-time check */
  const char* name;          /* input file name, for messages */
  const char* backend;       /* "c" or "llvm" */
  /* Builds the instance for `ctx` (sets ctx->memory and ctx->instance) and
   * runs the module's start function. */
  void (*instantiate)(wasixc_ctx* ctx);
  /* Calls `_start` (commands) or `_initialize` (reactors); NULL if none. */
  void (*run_entry)(wasixc_ctx* ctx);
  const wasixc_config* config;
} wasixc_module;

extern const wasixc_module wasixc_guest_module;

/* Linker-provided bounds of the section that holds all generated code: a
 * fault is a guest trap only when the faulting pc lies between them. */
#define WASIXC_CODE_SECTION "wasixc_guest_text"
extern const char __start_wasixc_guest_text[];
extern const char __stop_wasixc_guest_text[];

#ifdef __cplusplus
}
#endif

#endif /* WASIXC_ABI_H */
