// wasixc: the driver. `wasixc IN.wasm -o OUT ...` (and --help, --version,
// --list-syscalls) runs the compiler proper, lib/wasixc/wasixc-compiler
// (tools/compiler_main.cc), in this same process (execv, so signals, exit
// status and limits are the compiler's). `wasixc run` and `wasixc cache`
// are served here, without LLVM: a cached executable starts as fast as
// it would alone.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "aot/compile.h"
#include "aot/compile_cache.h"
#include "aot/diagnostics.h"
#include "options.h"

namespace {

using wasixc::tools::usage_error;

// <dir of wasixc>/../lib/wasixc: where the compiler proper is installed
// (the build tree and an install alike).
std::string install_lib_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string self = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string(".");
  return self.substr(0, self.find_last_of('/')) + "/../lib/wasixc";
}

// The runtime the compiler links against: $WASIXC_RUNTIME_DIR (as the
// compiler reads it, aot/toolchain.h), else the installed one.
std::string runtime_dir() {
  if (const char* env = getenv("WASIXC_RUNTIME_DIR"); env && *env) return env;
  return install_lib_dir();
}

std::string compiler_path() { return install_lib_dir() + "/wasixc-compiler"; }


// The compiler's own arguments for `opts` (run mode: no --dir/--env).
std::vector<std::string> compiler_args(const wasixc::aot::CompileOptions& o) {
  std::vector<std::string> a = {"wasixc", o.input, "-o", o.output, "-O" + std::to_string(o.opt_level),
                                "--backend=" + o.backend, "--cpu=" + o.cpu};
  if (!o.safepoints) a.push_back("--no-safepoints");
  if (!o.interrupts) a.push_back("--poll-safepoints");
  if (!o.fixed_memory) a.push_back("--no-fixed-memory");
  if (o.partition_size) a.push_back("--partition-size=" + std::to_string(o.partition_size));
  if (o.allow_missing_imports) a.push_back("--allow-missing-imports");
  if (o.allow_host_exec) a.push_back("--allow-host-exec");
  static const char* const kNet[] = {"--net=off", "--net=loopback", "--net=all"};
  if (o.net_policy) a.push_back(kNet[o.net_policy > 2 ? 2 : o.net_policy]);
  if (o.jobs) a.push_back("-j" + std::to_string(o.jobs));
  if (o.quiet) a.push_back("-q");
  if (o.time_report) a.push_back("--time-report");
  if (o.verbose) a.push_back("-v");
  return a;
}

// The compiler failed (its own diagnostics already on stderr): the exit
// status to pass on, in `cache --compile-fd`, after the cache has removed
// its temporaries.
struct CompilerFailed {
  int status;
};

// Runs the compiler as a child; its diagnostics reach our stderr. A
// failure exits with the compiler's status (or throws CompilerFailed).
void run_compiler_or(const wasixc::aot::CompileOptions& o, bool throw_on_failure) {
  std::vector<std::string> args = compiler_args(o);
  std::vector<char*> argv;
  for (std::string& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::string compiler = compiler_path();
  pid_t pid = fork();
  if (pid < 0) wasixc::aot::fail("cannot fork: %s", strerror(errno));
  if (pid == 0) {
    execv(compiler.c_str(), argv.data());
    fprintf(stderr, "wasixc: error: cannot run the compiler %s: %s\n", compiler.c_str(), strerror(errno));
    _exit(1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    // Ctrl-C during a compile: end as the compiler did.
    signal(WTERMSIG(status), SIG_DFL);
    raise(WTERMSIG(status));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    if (throw_on_failure) throw CompilerFailed{code};
    exit(code);
  }
}

void run_compiler(const wasixc::aot::CompileOptions& o) { run_compiler_or(o, false); }

// wasixc run [options] app.wasm [--] [args...]: compile through the cache
// (compile_cache.h), then exec the executable with the guest's arguments.
// --dir and --env are not baked in (the cache entry stays the same for
// every mapping): they reach the executable as WASIXC_DIRS (the run-time
// mapping override, README "Files and the sandbox") and as environment.
int run_command(int argc, char** argv) {
  wasixc::aot::CompileOptions opts;
  int rest = argc;
  bool quiet = false;
  if (int status = wasixc::tools::parse_args(argc, argv, 2, opts, true, &rest, &quiet); status >= 0) return status;
  if (opts.input.empty()) return usage_error("%s", "run: no module (wasixc run [options] app.wasm [args...])");
  if (opts.emit != "exe") return usage_error("%s", "run: --emit does not apply");
  std::vector<std::pair<std::string, std::string>> dirs = std::move(opts.dirs);
  std::vector<std::string> env = std::move(opts.env);
  opts.dirs.clear();
  opts.env.clear();
  std::string exe;
  bool hit = false;
  bool announce = !quiet && isatty(2);
  int status = wasixc::tools::guarded(opts.input, [&] {
    if (announce) fprintf(stderr, "wasixc: compiling %s (cached for the next run)...\r", opts.input.c_str());
    exe = wasixc::aot::compile_cached(opts, {compiler_path(), runtime_dir() + "/libwasixc_rt.a"}, run_compiler,
                                      &hit);
    if (announce) fprintf(stderr, "\33[2K\r");
  });
  if (status != 0) return status;
  if (opts.verbose) fprintf(stderr, "wasixc: %s %s\n", hit ? "cached:" : "compiled:", exe.c_str());
  if (!dirs.empty()) {
    std::string spec;
    for (auto& [host, guest] : dirs) spec += (spec.empty() ? "" : ",") + host + "::" + guest;
    setenv("WASIXC_DIRS", spec.c_str(), 1);
  }
  for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
  // argv[0] of the guest: the module as named (as other runtimes do).
  std::vector<char*> args = {const_cast<char*>(opts.input.c_str())};
  for (int i = rest; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  execv(exe.c_str(), args.data());
  fprintf(stderr, "wasixc: error: cannot run %s: %s\n", exe.c_str(), strerror(errno));
  return 127;
}

// wasixc cache --compile-fd N [--allow-host-exec]: what a runtime runs
// when its guest execs or spawns a .wasm program (kernel/wasm_program.h).
// Reads the module from descriptor N (the file the runtime's path resolver
// checked; nothing is looked up by name), compiles it into the cache if it
// is not there (default code options; --allow-host-exec when the
// launching executable was built with it) and prints the entry's path.
// Compile errors: the compiler's message on stderr, non-zero status.
int compile_fd_command(int argc, char** argv) {
  wasixc::aot::CompileOptions opts;
  int fd = -1;
  for (int i = 3; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--allow-host-exec") {
      opts.allow_host_exec = true;
    } else if (fd < 0 && !a.empty() && a.find_first_not_of("0123456789") == std::string::npos && a.size() < 8) {
      fd = atoi(a.c_str());
    } else {
      return usage_error("cache --compile-fd: unexpected argument '%s'", a.c_str());
    }
  }
  if (fd < 0) return usage_error("%s", "usage: wasixc cache --compile-fd N [--allow-host-exec]");
  opts.input = "/dev/fd/" + std::to_string(fd);
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      fprintf(stderr, "wasixc: error: descriptor %d: cannot read: %s\n", fd, strerror(errno));
      return 1;
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  std::string exe;
  bool hit = false;
  int failed = 0;
  int status = wasixc::tools::guarded("module", [&] {
    try {
      exe = wasixc::aot::compile_cached_bytes(bytes, opts, {compiler_path(), runtime_dir() + "/libwasixc_rt.a"},
                                              [](const wasixc::aot::CompileOptions& o) { run_compiler_or(o, true); },
                                              &hit);
    } catch (const CompilerFailed& f) {
      failed = f.status ? f.status : 1;
    }
  });
  if (failed) return failed;
  if (status != 0) return status;
  printf("%s\n", exe.c_str());
  return fflush(stdout) == 0 ? 0 : 1;
}

// wasixc cache --list | --clean | --dir
int cache_command(int argc, char** argv) {
  std::string what = argc > 2 ? argv[2] : "";
  int status = 1;
  if (what == "--compile-fd") return compile_fd_command(argc, argv);
  if (what == "--list") {
    status = wasixc::tools::guarded("cache", [] {
      for (const auto& e : wasixc::aot::list_cache()) printf("%10llu  %s\n", (unsigned long long)e.bytes, e.path.c_str());
    });
  } else if (what == "--clean") {
    status = wasixc::tools::guarded("cache", [] { printf("removed %zu files\n", wasixc::aot::clean_cache()); });
  } else if (what == "--dir") {
    status = wasixc::tools::guarded("cache", [] { printf("%s\n", wasixc::aot::cache_directory().c_str()); });
  } else {
    return usage_error("%s", "usage: wasixc cache --list | --clean | --dir");
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "run") return run_command(argc, argv);
  if (argc > 1 && std::string(argv[1]) == "cache") return cache_command(argc, argv);
  std::string compiler = compiler_path();
  execv(compiler.c_str(), argv);
  fprintf(stderr, "wasixc: error: cannot run the compiler %s: %s\n", compiler.c_str(), strerror(errno));
  return 1;
}
