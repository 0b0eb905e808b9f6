#include "work_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>

#include "diagnostics.h"
#include "llvm/Support/ErrorHandling.h"
#include "toolchain.h"

namespace wasixc::aot {
namespace {

// The live temporary directory, readable from a signal handler: a fixed
// buffer and flags, no allocation.
char g_dir[PATH_MAX];
std::atomic<bool> g_dir_live{false};
std::atomic<pid_t> g_owner{0};  // the process that made it (not a forked child)
std::atomic<pid_t> g_child{0};

// Removes g_dir's files and g_dir itself with async-signal-safe calls only
// (raw getdents64, unlinkat, rmdir). The directory is flat: every backend
// writes its files directly into it.
void remove_live_dir_signal_safe() {
  if (!g_dir_live.exchange(false)) return;
  int fd = open(g_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buf[4096];
    // Removing entries under the directory cursor may hide others: read
    // again from the start until a pass removes nothing.
    for (int pass = 0; pass < 16; ++pass) {
      lseek(fd, 0, SEEK_SET);
      bool removed = false;
      long n;
      while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
          auto* d = reinterpret_cast<struct dirent64*>(buf + off);
          off += d->d_reclen;
          if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) continue;
          if (unlinkat(fd, d->d_name, 0) == 0) removed = true;
        }
      }
      if (!removed) break;
    }
    close(fd);
  }
  rmdir(g_dir);
}

void on_fatal_signal(int sig) {
  int saved_errno = errno;
  if (getpid() == g_owner.load()) {
    // A child still writing into the directory would recreate files in it.
    if (pid_t child = g_child.exchange(0); child > 0) {
      kill(child, SIGKILL);
      while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    remove_live_dir_signal_safe();
  }
  errno = saved_errno;
  // SA_RESETHAND restored the default action: the signal, blocked while
  // this handler runs, ends the process once it returns (a fault re-faults).
  raise(sig);
}

// The input's name for messages written without allocating.
char g_input[PATH_MAX];

void write_stderr(const char* s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(2, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

// LLVM's allocation failures (it calls this instead of throwing) and fatal
// errors become the compiler's own error line, never an abort.
[[noreturn]] void on_llvm_bad_alloc(void*, const char*, bool) {
  write_stderr("wasixc: error: ");
  write_stderr(g_input);
  write_stderr(": out of memory compiling this module\n");
  remove_live_dir_signal_safe();
  _exit(1);
}

[[noreturn]] void on_llvm_fatal_error(void*, const char* reason, bool) {
  write_stderr("wasixc: error: ");
  write_stderr(g_input);
  write_stderr(": internal error: LLVM: ");
  write_stderr(reason ? reason : "");
  write_stderr("\n");
  remove_live_dir_signal_safe();
  _exit(1);
}

void remove_live_dir_at_exit() {
  if (getpid() == g_owner.load()) remove_live_dir_signal_safe();
}

}  // namespace

WorkDir::WorkDir(const std::string& keep_at) : keep_(!keep_at.empty()) {
  if (keep_) {
    path_ = keep_at;
    if (mkdir(path_.c_str(), 0755) != 0 && errno != EEXIST)
      fail("cannot create %s: %s", path_.c_str(), strerror(errno));
    return;
  }
  path_ = make_temp_dir();
  if (path_.size() < sizeof g_dir && !g_dir_live.load()) {
    memcpy(g_dir, path_.c_str(), path_.size() + 1);
    g_owner = getpid();
    g_dir_live = true;
    static bool hooked = (atexit(remove_live_dir_at_exit), true);
    (void)hooked;
  }
}

WorkDir::~WorkDir() {
  if (keep_) return;
  if (g_dir_live.load() && path_ == g_dir) g_dir_live = false;
  remove_tree(path_);
}

void install_cleanup_handlers(const std::string& input) {
  snprintf(g_input, sizeof g_input, "%s", input.c_str());
  llvm::install_bad_alloc_error_handler(on_llvm_bad_alloc);
  llvm::install_fatal_error_handler(on_llvm_fatal_error);
  use_alternate_signal_stack();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
  sigfillset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) {
    struct sigaction old;
    // A signal ignored by whoever started us (nohup, a shell's background
    // job for SIGINT) stays ignored, as POSIX asks of programs.
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &sa, nullptr);
  }
}

void set_running_child(pid_t pid) { g_child = pid; }

void use_alternate_signal_stack() {
  // One per thread, left to the thread's end (a few pages; threads are few).
  constexpr size_t kSize = 64 * 1024;
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = malloc(kSize);
  if (!ss.ss_sp) return;
  ss.ss_size = kSize;
  sigaltstack(&ss, nullptr);
}

namespace {
void* compiler_thread_main(void* arg) {
  auto* state = static_cast<CompilerThread::State*>(arg);
  use_alternate_signal_stack();
  try {
    state->fn();
  } catch (...) {
    state->error = std::current_exception();
  }
  stack_t off, old;
  memset(&off, 0, sizeof off);
  off.ss_flags = SS_DISABLE;
  if (sigaltstack(&off, &old) == 0 && !(old.ss_flags & SS_DISABLE)) free(old.ss_sp);
  return nullptr;
}
}  // namespace

CompilerThread::CompilerThread(std::function<void()> fn) : state_(new State{std::move(fn), nullptr}) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kCompilerStackBytes);
  started_ = pthread_create(&thread_, &attr, compiler_thread_main, state_.get()) == 0;
  pthread_attr_destroy(&attr);
  if (!started_) compiler_thread_main(state_.get());  // no thread to be had: run here
}

CompilerThread::~CompilerThread() {
  if (started_) pthread_join(thread_, nullptr);
}

void CompilerThread::join() {
  if (started_) pthread_join(thread_, nullptr);
  started_ = false;
  if (state_->error) std::rethrow_exception(std::exchange(state_->error, nullptr));
}

void run_on_compiler_stack(const std::function<void()>& fn) { CompilerThread(fn).join(); }

}  // namespace wasixc::aot
