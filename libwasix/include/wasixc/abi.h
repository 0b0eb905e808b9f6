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

#define WASIXC_ABI_VERSION 7
#define WASIXC_ABI_STAMP wasixc_runtime_abi_v7
extern const uint32_t WASIXC_ABI_STAMP;

#define WASIXC_PAGE_SIZE 65536u
#define WASIXC_MAX_PAGES 65536u

/* Bytes reserved (PROT_NONE) for every 32-bit linear memory: an address is
 * a u32 index plus a u32 static offset, so every access lands below 8 GiB;
 * anything past the accessible size faults and becomes an out-of-bounds
 * trap. No explicit bounds checks are needed in generated code. */
#define WASIXC_MEMORY_RESERVATION (8ull << 30)

/* clang's wasm red zone (WebAssemblyFrameLowering): leaf functions with
 * frames up to this size keep locals below __stack_pointer without moving
 * it. A signal handler run in the middle of guest code starts its frames
 * this far below (a poll's slow path in generated code, or the runtime
 * for code it interrupts). */
#define WASIXC_WASM_RED_ZONE 128u

/* A linear memory. Field names match what wabt's C writer emits
 * (data/pages/max_pages/size) so both backends share this one type. */
typedef struct wasixc_memory {
  uint8_t* data;      /* base of the reservation; index 0 of the memory */
  uint32_t pages;     /* current size in 64 KiB pages */
  uint32_t max_pages; /* declared maximum (WASIXC_MAX_PAGES if none), capped by memory.cc */
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
  WASIXC_TRAP_UNINITIALIZED_ELEMENT, /* call_indirect through a null entry */
  WASIXC_TRAP_UNALIGNED_ATOMIC,
  WASIXC_TRAP_WAIT_ON_UNSHARED,      /* memory.atomic.wait on unshared memory */
  WASIXC_TRAP_NULL_EXCEPTION_REFERENCE, /* throw_ref of a null exnref */
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
/* Where an executable's memory 0 lives unless compiled with
 * --no-fixed-memory: generated code then adds the guest address to this
 * constant (one x86 addressing mode, `[index + 0x60000000 + offset]`)
 * instead of keeping the base in a register. It is below 2 GiB so that
 * base + offset fits a sign-extended 32-bit displacement, and above the
 * low addresses valgrind and non-PIE executables use. */
#define WASIXC_FIXED_MEMORY_ADDRESS 0x60000000ull
/* wasixc_memory_allocate at `address` (0: anywhere); fatal if that
 * address range is taken. */
void wasixc_memory_allocate_at(wasixc_memory* mem, uint32_t initial_pages,
                               uint32_t max_pages, uint32_t is_shared,
                               uint64_t address);
/* Returns the old size in pages, or 0xffffffff if the memory can't grow. */
uint32_t wasixc_memory_grow(wasixc_memory* mem, uint32_t delta_pages);
void wasixc_memory_free(wasixc_memory* mem);

/* ---- LLVM backend: instances described by data -------------------------
 *
 * The LLVM backend emits, besides code, a wasixc_module_info that tells an
 * embedder (the runtime's main(), the spec-test harness) how to build an
 * instance: its size, its imports (each filled into a slot of the
 * instance), its exports, and two init functions. An instance is a block of
 * `instance_size` bytes that starts with a wasixc_ctx; generated code finds
 * everything else at offsets the compiler chose. */

/* A function reference (funcref value, table element): a pointer to one of
 * these, NULL for ref.null. call_indirect compares type ids. */
typedef struct wasixc_funcref {
  void* code;      /* native function: (instance*, params...) -> results,
                      in LLVM's tailcc, not the C convention (the callee
                      pops its argument area; aot/llvm/codegen.h): host
                      code calls exports through wasixc_invoke_fn */
  void* instance;  /* the instance it closes over */
  uint32_t type_id; /* canonical signature id (wasixc_type_id) */
  uint32_t reserved_;
} wasixc_funcref;

/* A table: `size` pointer-sized elements (wasixc_funcref* or externref). */
typedef struct wasixc_table {
  void** data;
  uint32_t size;
  uint32_t max; /* 0xffffffff: no maximum */
} wasixc_table;

enum wasixc_extern_kind {
  WASIXC_EXTERN_FUNC = 0,
  WASIXC_EXTERN_TABLE = 1,
  WASIXC_EXTERN_MEMORY = 2,
  WASIXC_EXTERN_GLOBAL = 3,
  WASIXC_EXTERN_TAG = 4, /* exception tag: slot/offset of a pointer whose
                            value is the tag's identity; type "params:" */
};

/* Generic entry to an exported function: args and results as 64-bit slots
 * (i32 zero-extended, floats by bit pattern, refs as pointers, a v128 in
 * two slots, low half first). */
typedef void (*wasixc_invoke_fn)(void* instance, const uint64_t* args, uint64_t* results);

typedef struct wasixc_import_desc {
  const char* module; /* names may hold NUL bytes: use the lengths */
  const char* name;
  uint32_t module_length;
  uint32_t name_length;
  uint32_t kind;      /* wasixc_extern_kind */
  uint32_t slot;      /* byte offset in the instance of the pointer to fill:
                         wasixc_funcref*, wasixc_table*, wasixc_memory*, or
                         the global's 8-byte cell (16 bytes, 16-aligned,
                         for a v128) */
  const char* type;   /* func: signature "params:results" in letters
                         (i I f F v=v128 r=funcref e=externref); global: one letter
                         plus "m" if mutable; table: element letter */
  uint64_t min, max;  /* table/memory limits (max UINT64_MAX: none) */
  uint32_t shared;    /* memory: shared */
  uint32_t resolved;  /* func: bound to the syscall table at compile time,
                         the slot need not be filled */
} wasixc_import_desc;

typedef struct wasixc_export_desc {
  const char* name;    /* may hold NUL bytes: use name_length */
  uint32_t name_length;
  uint32_t kind;       /* wasixc_extern_kind */
  uint32_t offset;     /* byte offset in the instance of a pointer to the
                          object: wasixc_funcref*, wasixc_table*,
                          wasixc_memory*, or the global's 8-byte cell */
  const char* type;    /* as in wasixc_import_desc */
  wasixc_invoke_fn invoke; /* func only */
} wasixc_export_desc;

typedef struct wasixc_module_info {
  uint32_t instance_size;
  uint32_t import_count;
  const wasixc_import_desc* imports;
  uint32_t export_count;
  const wasixc_export_desc* exports;
  /* Step 1, after the import slots are filled: creates own memories and
   * tables, sets globals, type ids and funcrefs. Cannot trap. */
  void (*init)(void* instance);
  /* Step 2: active element and data segments, then the start function.
   * May trap (out of bounds segment, or in the start function). */
  void (*run_segments_and_start)(void* instance);
  /* Non-zero: memory 0 must be reserved at this address (an imported
   * `env.memory` the embedder creates too), as generated code uses it as
   * a constant. */
  uint64_t memory0_address;
  /* Non-zero: a signal may run the guest's handler at any instruction of
   * this module's code (aot/llvm/interruptible.cc): its loop polls are
   * compiler barriers only, and its shadow-stack pointer is always
   * current in the instance, at byte offset stack_pointer_offset
   * (UINT32_MAX: the module has none). */
  uint32_t interruptible;
  uint32_t stack_pointer_offset;
} wasixc_module_info;

/* Canonical id of a function signature ("params:results" letters), equal
 * for equal signatures across every module in the process. */
uint32_t wasixc_type_id(const char* signature);

/* Runtime helpers the LLVM backend calls (runtime/llvm_support.cc). */
void wasixc_table_allocate(wasixc_table* table, uint32_t size, uint32_t max);
uint32_t wasixc_table_grow(wasixc_table* table, uint32_t delta, void* init);
/* Bulk table operations; each returns non-zero (and does nothing) when a
 * range is out of bounds, so the caller traps in guest code. */
uint32_t wasixc_table_fill(wasixc_table* table, uint32_t at, void* value, uint32_t n);
uint32_t wasixc_table_copy(wasixc_table* dst, uint32_t d, wasixc_table* src, uint32_t s, uint32_t n);
uint32_t wasixc_table_init(wasixc_table* table, uint32_t d, void* const* segment,
                           uint32_t segment_len, uint32_t s, uint32_t n);
/* Instantiation helpers, so init code stays small for huge modules. */
typedef struct wasixc_funcref_init {
  void* code;          /* NULL: an import the embedder binds; skipped */
  uint32_t type_index; /* module type index of the function */
  uint32_t reserved_;
} wasixc_funcref_init;
/* For each function i: record i (at records + 24 i) gets code, the
 * instance and the canonical id read from type_ids + 4 type_index; the
 * pointer at ptrs + 8 i is set to the record. Offsets are into the instance. */
void wasixc_init_funcrefs(void* instance, const wasixc_funcref_init* table, uint32_t count,
                          uint32_t ptrs, uint32_t records, uint32_t type_ids);
/* Element segment items from function indices (-1: ref.null). */
void wasixc_init_elem_items(void* instance, const int32_t* functions, uint32_t count,
                            uint32_t items, uint32_t ptrs);
/* Called at a safepoint when ctx->pending is set; preserve_most calling
 * convention (it saves what it uses, so polls stay cheap). Defined in
 * assembly (runtime/safepoint_x86_64.S), so the convention holds whatever
 * compiler builds the runtime; only clang knows the attribute. */
#if defined(__clang__)
__attribute__((preserve_most))
#endif
void wasixc_safepoint(wasixc_ctx* ctx);
/* memory.atomic.wait32/64 and notify (threads proposal). */
uint32_t wasixc_atomic_wait32(wasixc_memory* mem, uint64_t addr, uint32_t expected, int64_t timeout_ns);
uint32_t wasixc_atomic_wait64(wasixc_memory* mem, uint64_t addr, uint64_t expected, int64_t timeout_ns);
uint32_t wasixc_atomic_notify(wasixc_memory* mem, uint64_t addr, uint32_t count);

/* What the compiler bakes into an executable from `wasixc --dir/--env`. */
typedef struct wasixc_dir_mapping {
  const char* host_path;
  const char* guest_path; /* GUEST or GUEST:ro (a read-only mapping) */
} wasixc_dir_mapping;

typedef struct wasixc_config {
  const char* const* env; /* "K=V" entries added to the inherited environ */
  uint32_t env_count;
  const wasixc_dir_mapping* dirs; /* preopened at fd 3, 4, ... in order */
  uint32_t dir_count;
  uint32_t allow_host_exec; /* exec/spawn may start non-wasixc programs */
  /* The wasixc driver that built this executable (absolute path, "" if
   * unknown): exec/spawn of a .wasm program compiles it with it. */
  const char* compiler;
  uint32_t net_policy;      /* --net: 0 off, 1 loopback, 2 all (kernel/net_policy.h) */
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
  /* The instance description. LLVM backend: complete, instantiate and
   * run_entry are NULL and the runtime instantiates from it. C backend:
   * only the exports (invoke thunks take the C writer's instance). */
  const wasixc_module_info* info;
} wasixc_module;

extern const wasixc_module wasixc_guest_module;

/* Linker-provided bounds of the section that holds all generated code: a
 * fault is a guest trap only when the faulting pc lies between them. Weak:
 * an embedder without such a section (the spec harness) sees null. */
#define WASIXC_CODE_SECTION "wasixc_guest_text"
extern const char __start_wasixc_guest_text[] __attribute__((weak));
extern const char __stop_wasixc_guest_text[] __attribute__((weak));

#ifdef __cplusplus
}
#endif

#endif /* WASIXC_ABI_H */
