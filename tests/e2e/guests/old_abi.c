// A module of the 2023 WASIX ABI (wasm): every call through the older
// names and signatures, declared here with import_module/import_name as
// that toolchain's headers declared them: wasix_32v1.fd_write (a preview1
// name under wasix_32v1), proc_fork + the 2-argument proc_join(pid in/out,
// exit code out), proc_exit under wasix_32v1, the 5-argument thread_spawn
// running the export _start_thread(user data low, high), and the
// thread_local_* keys. Natively the same program is write(2), fork(2),
// waitpid(2), _exit(2), pthread_create(3) and pthread keys; the test
// compares the two. Wasm also prints the error paths (hostile arguments),
// after the common lines.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __wasm__
#define OLD(name) __attribute__((import_module("wasix_32v1"), import_name(#name)))
typedef struct {
  const void* buf;
  uint32_t len;
} ciovec;
uint32_t old_fd_write(uint32_t fd, const ciovec* iov, uint32_t n, uint32_t* written) OLD(fd_write);
uint32_t old_proc_fork(uint32_t copy_memory, uint32_t* pid) OLD(proc_fork);
uint32_t old_proc_join(uint32_t* pid, uint32_t* exit_code) OLD(proc_join);
_Noreturn void old_proc_exit(uint32_t code) OLD(proc_exit);
uint32_t old_proc_raise(uint32_t sig) OLD(proc_raise);
uint32_t old_thread_spawn(uint64_t user_data, uint64_t stack_base, uint64_t stack_start, uint32_t reactor,
                          uint32_t* tid) OLD(thread_spawn);
uint32_t old_thread_join(uint32_t tid) OLD(thread_join);
uint32_t tl_create(uint64_t user_data, uint32_t* key) OLD(thread_local_create);
uint32_t tl_destroy(uint32_t key) OLD(thread_local_destroy);
uint32_t tl_set(uint32_t key, uint64_t value) OLD(thread_local_set);
uint32_t tl_get(uint32_t key, uint64_t* value) OLD(thread_local_get);

static void say(const char* text) {
  ciovec iov = {text, (uint32_t)strlen(text)};
  uint32_t written = 0;
  old_fd_write(1, &iov, 1, &written);
}
// waitpid(pid, &code): the child's pid (the slot written back) or -errno.
static int join(int pid, int* code) {
  uint32_t slot = (uint32_t)pid, exit_code = 0;
  uint32_t e = old_proc_join(&slot, &exit_code);
  *code = (int)exit_code;
  return e ? -(int)e : (int)slot;
}
static int fork_child(void) {
  uint32_t pid = 0;
  return old_proc_fork(1, &pid) == 0 ? (int)pid : -1;
}
#define child_exit old_proc_exit
static int key_create(uint32_t* key) { return tl_create(99, key); }
static int key_set(uint32_t key, uint64_t v) { return tl_set(key, v); }
static uint64_t key_get(uint32_t key) {
  uint64_t v = 12345;
  return tl_get(key, &v) == 0 ? v : 12345;
}
#else
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
static void say(const char* text) { write(1, text, strlen(text)); }
static int join(int pid, int* code) {
  int status = 0;
  int r = waitpid(pid, &status, 0);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r < 0 ? -errno : r;
}
static int fork_child(void) { return fork(); }
#define child_exit _exit
static int key_create(uint32_t* key) {
  pthread_key_t k;
  int e = pthread_key_create(&k, 0);
  *key = (uint32_t)k;
  return e;
}
static int key_set(uint32_t key, uint64_t v) { return pthread_setspecific((pthread_key_t)key, (void*)(uintptr_t)v); }
static uint64_t key_get(uint32_t key) { return (uint64_t)(uintptr_t)pthread_getspecific((pthread_key_t)key); }
#endif

// What the second thread saw of the key, and its own value afterwards.
struct ThreadReport {
  uint32_t key;
  uint64_t before, after;
  uintptr_t local_at;  // where a local of the thread lived
  volatile int done;
};

__attribute__((noinline)) static uintptr_t local_address(void) {
  volatile char here = 0;
  volatile char* volatile at = &here;
  return (uintptr_t)at;
}

static void thread_body(struct ThreadReport* r) {
  r->local_at = local_address();
  r->before = key_get(r->key);
  key_set(r->key, 7);
  r->after = key_get(r->key);
  r->done = 1;
}

#ifdef __wasm__
static char thread_stack[64 * 1024] __attribute__((aligned(16)));
__attribute__((export_name("_start_thread"))) void start_thread(uint32_t low, uint32_t high) {
  (void)high;
  thread_body((struct ThreadReport*)(uintptr_t)low);
}
static int run_thread(struct ThreadReport* r) {
  uint32_t tid = 0;
  uint64_t top = (uint64_t)(uintptr_t)(thread_stack + sizeof thread_stack);
  if (old_thread_spawn((uint64_t)(uintptr_t)r, top, (uint64_t)(uintptr_t)thread_stack, 0, &tid) != 0) return -1;
  return old_thread_join(tid) == 0 ? 0 : -1;
}
#else
static void* native_thread(void* r) {
  thread_body(r);
  return 0;
}
static int run_thread(struct ThreadReport* r) {
  pthread_t t;
  if (pthread_create(&t, 0, native_thread, r) != 0) return -1;
  return pthread_join(t, 0);
}
#endif

int main(void) {
  char line[160];
  say("hello through the older names\n");

  // fork, then join that pid: the exit code comes back.
  int pid = fork_child();
  if (pid == 0) child_exit(7);
  int code = -1;
  int joined = join(pid, &code);
  snprintf(line, sizeof line, "joined the child: pid matches %s, exit code %d\n", joined == pid ? "yes" : "no", code);
  say(line);
  // join any child (-1): the pid slot says which.
  pid = fork_child();
  if (pid == 0) child_exit(3);
  joined = join(-1, &code);
  snprintf(line, sizeof line, "joined any child: pid matches %s, exit code %d\n", joined == pid ? "yes" : "no", code);
  say(line);
  joined = join(-1, &code);
  snprintf(line, sizeof line, "no child left: ECHILD %s\n", joined == -ECHILD ? "yes" : "no");
  say(line);

  // Thread-local keys: per thread, kept across fork by the forking thread.
  uint32_t key = 0;
  if (key_create(&key) != 0) return 2;
  key_set(key, 42);
  snprintf(line, sizeof line, "main's value %llu\n", (unsigned long long)key_get(key));
  say(line);
  pid = fork_child();
  if (pid == 0) child_exit((int)key_get(key));
  join(pid, &code);
  snprintf(line, sizeof line, "the fork child saw %d\n", code);
  say(line);
  struct ThreadReport r = {key, 0, 0, 0, 0};
  if (run_thread(&r) != 0) return 3;
  snprintf(line, sizeof line, "a new thread saw %llu, then its own %llu; main's still %llu\n",
           (unsigned long long)r.before, (unsigned long long)r.after, (unsigned long long)key_get(key));
  say(line);

#ifdef __wasm__
  // The thread ran on the stack thread_spawn was given.
  int on_stack = r.local_at >= (uintptr_t)thread_stack && r.local_at < (uintptr_t)thread_stack + sizeof thread_stack;
  snprintf(line, sizeof line, "the thread's locals on its given stack: %s\n", on_stack ? "yes" : "no");
  say(line);
  // Error paths, wasm only (natively they are undefined behaviour).
  uint64_t v = 0;
  uint32_t tid = 0, slot = 0, exit_code = 0;
  tl_destroy(key);
  snprintf(line, sizeof line,
           "destroyed key: get %u set %u destroy %u; never-created key: get %u\n", tl_get(key, &v),
           tl_set(key, 1), tl_destroy(key), tl_get(999999, &v));
  say(line);
  snprintf(line, sizeof line, "bad pointers: create %u get %u join %u spawn %u\n",
           tl_create(1, (uint32_t*)0xfffffff0u), tl_get(key, (uint64_t*)0xfffffff0u),
           old_proc_join((uint32_t*)0xfffffff0u, &exit_code),
           old_thread_spawn(0, 0, 0, 0, (uint32_t*)0xfffffff0u));
  say(line);
  snprintf(line, sizeof line, "spawn: reactor %u, stack past the memory %u, inverted stack %u\n",
           old_thread_spawn(0, 0, 0, 1, &tid), old_thread_spawn(0, 0xfffffff0u, 0x10000u, 0, &tid),
           old_thread_spawn(0, 0x1000u, 0x2000u, 0, &tid));
  say(line);
  int made = 0;
  uint32_t k = 0;
  while (made < 5000 && tl_create(0, &k) == 0) made++;
  snprintf(line, sizeof line, "keys until EAGAIN: %d\n", made);
  say(line);
  // A child killed by a signal: the form has only an exit code, 128 + sig.
  pid = fork_child();
  if (pid == 0) {
    old_proc_raise(9);  // SIGKILL
    child_exit(1);
  }
  joined = join(pid, &code);
  snprintf(line, sizeof line, "killed child: pid matches %s, exit code %d\n", joined == pid ? "yes" : "no", code);
  say(line);
  slot = 424242;  // not a child
  snprintf(line, sizeof line, "join a stranger: %u\n", old_proc_join(&slot, &exit_code));
  say(line);
#endif
  return 0;
}
