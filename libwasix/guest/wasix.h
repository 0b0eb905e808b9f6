/* wasix.h — WASIX process calls for guest programs built with Debian's
 * clang-19 and wasi-libc (which knows only WASI preview1).
 *
 * Two layers: the raw `wasix_32v1` imports (as wasixc's syscall table and
 * wasix-libc define them, ../../shared/wasix-abi.md §2.3, §3.2), and small
 * POSIX-style wrappers over them (fork, waitpid, getpid, ...) in
 * libwasix-guest.a, so tests and users write ordinary C:
 *
 *   clang-19 --target=wasm32-wasi --sysroot=/usr -I<wasixc>/lib/wasixc/guest \
 *       prog.c <wasixc>/lib/wasixc/guest/libwasix-guest.a -o prog.wasm
 */
#ifndef WASIXC_GUEST_WASIX_H
#define WASIXC_GUEST_WASIX_H

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASIX_IMPORT(name) __attribute__((import_module("wasix_32v1"), import_name(#name)))

typedef uint16_t wasix_errno_t; /* WASI errno values (== wasi-libc's errno) */

/* option<pid>: tag 0 = none (any child), 1 = some. 8 bytes. */
typedef struct {
  uint8_t tag;
  uint32_t pid;
} wasix_option_pid_t;

/* join_status: 6 bytes, align 2. */
enum {
  WASIX_JOIN_NOTHING = 0,
  WASIX_JOIN_EXIT_NORMAL = 1,
  WASIX_JOIN_EXIT_SIGNAL = 2,
  WASIX_JOIN_STOPPED = 3,
};
typedef struct {
  uint8_t tag;
  uint16_t code;  /* EXIT_NORMAL / EXIT_SIGNAL: exit code */
  uint8_t signal; /* EXIT_SIGNAL: the signal */
} wasix_join_status_t;

enum { WASIX_JOIN_NON_BLOCKING = 1, WASIX_JOIN_WAKE_STOPPED = 2 };

wasix_errno_t __wasix_proc_id(uint32_t* pid) WASIX_IMPORT(proc_id);
wasix_errno_t __wasix_proc_parent(uint32_t pid, uint32_t* parent) WASIX_IMPORT(proc_parent);
wasix_errno_t __wasix_proc_fork(uint32_t copy_memory, uint32_t* pid) WASIX_IMPORT(proc_fork);
wasix_errno_t __wasix_proc_join(wasix_option_pid_t* pid, uint32_t flags,
                                wasix_join_status_t* status) WASIX_IMPORT(proc_join);
_Noreturn void __wasix_proc_exit2(uint32_t code) WASIX_IMPORT(proc_exit2);

/* ---- POSIX-style wrappers (wasix_posix.c) ---- */

pid_t fork(void);
pid_t getpid(void);
pid_t getppid(void);
pid_t waitpid(pid_t pid, int* status, int options);
pid_t wait(int* status);

/* waitpid status encoding, as on Linux (code << 8, or the signal). */
#ifndef WNOHANG
#define WNOHANG 1
#define WUNTRACED 2
#endif
#ifndef WEXITSTATUS
#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (!WTERMSIG(s))
#define WIFSTOPPED(s) ((short)((((s) & 0xffff) * 0x10001U) >> 8) > 0x7f00)
#define WIFSIGNALED(s) (((s) & 0xffff) - 1U < 0xffu)
#endif

#ifdef __cplusplus
}
#endif

#endif /* WASIXC_GUEST_WASIX_H */
