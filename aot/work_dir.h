// The compiler's temporary directory, removed on every way out: a scope
// guard for returns and exceptions, an atexit hook for exit() from deep
// inside a library, and (once the driver installs them) signal handlers for
// Ctrl-C, kill, and crashes, so no wasixc-XXXXXX directory is left behind.
// Also the compiler's threads: a deep but bounded recursion (nesting up to
// ModuleLimits::kNestingDepth) needs more than the default 8 MiB stack.
#pragma once

#include <sys/types.h>

#include <pthread.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>

namespace wasixc::aot {

class WorkDir {
 public:
  // A fresh directory under $TMPDIR (or /tmp), or `keep_at` (created if
  // missing) when the user asked to keep intermediate files.
  explicit WorkDir(const std::string& keep_at = "");
  ~WorkDir();  // removes the directory unless it is kept
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool keep_;
};

// Makes SIGINT, SIGTERM, SIGHUP, SIGQUIT and crash signals (SIGSEGV, SIGBUS,
// SIGILL, SIGFPE, SIGABRT) remove the live WorkDir, stop the child process
// the compiler is waiting for, and then end the process by the same signal,
// as Linux reports it to the shell. LLVM's out-of-memory and fatal errors
// become "wasixc: error: <input>: ..." and exit status 1. For a program's
// main(), once.
void install_cleanup_handlers(const std::string& input);

// The child process the compiler is waiting for (0: none), stopped by the
// handlers above. Set by whoever forks or spawns.
void set_running_child(pid_t pid);

// Stack for the compiler's threads (reserved, touched only as used).
constexpr size_t kCompilerStackBytes = size_t{256} << 20;

// A thread with a kCompilerStackBytes stack and an alternate signal stack
// (so the handlers above run even on a stack overflow).
class CompilerThread {
 public:
  explicit CompilerThread(std::function<void()> fn);  // starts it
  ~CompilerThread();                                   // waits for it
  void join();  // waits, and rethrows what `fn` threw
  CompilerThread(const CompilerThread&) = delete;
  CompilerThread& operator=(const CompilerThread&) = delete;

  struct State {
    std::function<void()> fn;
    std::exception_ptr error;
  };

 private:
  std::unique_ptr<State> state_;
  pthread_t thread_{};
  bool started_ = false;
};

// Runs `fn` on a new thread with a kCompilerStackBytes stack (and an
// alternate signal stack, so the handlers run even on overflow); returns
// when it ends, rethrowing what it threw.
void run_on_compiler_stack(const std::function<void()>& fn);

// Gives the calling thread an alternate signal stack.
void use_alternate_signal_stack();

}  // namespace wasixc::aot
