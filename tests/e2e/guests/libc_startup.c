// A guest that starts up as wasix-libc does (wasm only; no wasixc guest
// library, so no __wasixc_signal_disposition export): it reads the
// inherited dispositions, registers `__wasm_signal` with callback_signal,
// and its __wasm_signal calls the handler table, whose entries for
// signals without a user handler are NULL -- as in wasix-libc versions
// whose default handler is not set up until the first sigaction(). A
// signal reaching it without a handler traps (uninitialized element).
// Only SIGUSR1 has a handler. It forks; the child exits 5; the parent
// joins, then sends itself SIGWINCH (ignore-by-default) and SIGUSR1.
#include <stdio.h>
#include <time.h>

#include "wasix.h"

typedef void (*handler_fn)(int);
static volatile int seen[65];
static void on_usr1(int sig) { seen[sig]++; }
static handler_fn handlers[65];

__attribute__((export_name("__wasm_signal"))) void __wasm_signal(int sig) {
  if (sig <= 0 || sig >= 65) return;
  handler_fn volatile h = handlers[sig];
  h(sig);  // NULL without a user handler: a trap, as in wasix-libc
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, 0);
}

int main(void) {
  uint32_t count = 0;
  wasix_signal_disposition_t inherited[64];
  if (__wasix_proc_signals_sizes_get(&count) != 0 || count > 64 || __wasix_proc_signals_get(inherited) != 0)
    return 3;
  handlers[SIGUSR1] = on_usr1;
  static const char name[] = "__wasm_signal";
  __wasix_callback_signal(name, sizeof name - 1);

  uint32_t pid = 0;
  if (__wasix_proc_fork(1, &pid) != 0) return 4;
  if (pid == 0) __wasix_proc_exit2(5);
  wasix_option_pid_t which = {1, pid};
  wasix_join_status_t status = {0};
  wasix_errno_t e = __wasix_proc_join(&which, 0, &status);
  sleep_ms(50);  // a SIGCHLD would be delivered at these syscalls' exits
  uint32_t self = 0;
  __wasix_proc_id(&self);
  __wasix_proc_signal(self, SIGWINCH);
  __wasix_proc_signal(self, SIGUSR1);
  sleep_ms(10);
  printf("join %d: child %u exit %u; USR1 seen %d, CHLD seen %d, WINCH seen %d\n", e, which.pid, status.code,
         seen[SIGUSR1], seen[SIGCHLD], seen[SIGWINCH]);
  return 0;
}
