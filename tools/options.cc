#include "options.h"

#include <exception>
#include <new>

#include "aot/diagnostics.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "syscall_info.h"
#include "wasixc/abi.h"

#ifndef WASIXC_VERSION
#define WASIXC_VERSION "0.0.0-dev"
#endif

namespace wasixc::tools {

extern const char kUsage[] =
    "usage: wasixc IN.wasm -o OUT [options]\n"
    "       wasixc run [options] IN.wasm [--] [args...]\n"
    "       wasixc cache --list | --clean | --dir\n"
    "\n"
    "Compiles a WebAssembly module that imports WASI preview1 / WASIX calls into\n"
    "a native Linux executable. `./OUT args...` runs it: argv and the environment\n"
    "pass through, the exit status is the guest's, a trap exits with status 134.\n"
    "\n"
    "options:\n"
    "  -o FILE                  output executable (required)\n"
    "  -O0 -O1 -O2 -O3          optimisation level for generated code (default -O2)\n"
    "  --backend=llvm|c         code generator: llvm (default: own wasm -> LLVM IR\n"
    "                           codegen) or c (wabt's C writer + clang-19, kept for\n"
    "                           differential testing)\n"
    "  --emit=exe|obj|ll        write the executable (default), or (llvm backend)\n"
    "                           the object file or the optimised LLVM IR to OUT\n"
    "  --cpu=NAME               llvm backend: target CPU (default x86-64; native)\n"
    "  --no-safepoints          llvm backend: signals reach the guest only when it\n"
    "                           calls the host (no polls, no interrupts)\n"
    "  --poll-safepoints        llvm backend: signals wait for a poll at a loop or\n"
    "                           call cycle instead of interrupting the guest's code\n"
    "                           where it is (~5% slower on SQLite)\n"
    "  --no-fixed-memory        llvm backend: the guest memory may live anywhere (its\n"
    "                           base is kept in a register: ~5% slower); by default it\n"
    "                           is at a fixed address (0x60000000) the code has built in\n"
    "  -j N, --jobs=N           llvm backend: compile N partitions at once (default:\n"
    "                           the cores available); the output is the same for any N\n"
    "  --partition-size=N       llvm backend: partitions of about N instructions\n"
    "                           (default: chosen from the module's size)\n"
    "  --time-report            print the time and CPU spent per phase, and peak RSS\n"
    "  -q, --quiet              no progress line (shown on a terminal for compiles\n"
    "                           longer than ~2 s)\n"
    "  --dir HOST[::GUEST][:ro] give the guest the host directory HOST, seen as GUEST\n"
    "                           (default: the same path; :ro: read-only); repeatable;\n"
    "                           WASIXC_DIRS=SPEC,... replaces them at run time\n"
    "  --env K=V                set K=V in the guest's environment (over the inherited\n"
    "                           one); repeatable\n"
    "  --allow-missing-imports  compile imports wasixc does not provide into traps\n"
    "                           that name the import when called\n"
    "  --net[=all|loopback|off] let the guest use the host's IPv4/IPv6 networking\n"
    "                           (default off; loopback: only 127.0.0.0/8 and ::1);\n"
    "                           WASIXC_NET=all|loopback|off changes it at run time\n"
    "  --allow-host-exec        let the guest exec/spawn programs not built by wasixc\n"
    "                           (by default only wasixc-built executables may run)\n"
    "  --save-temps             keep intermediate files in OUT.wasixc-temps/\n"
    "  --list-syscalls[=markdown]  print the syscall table (module, name, status;\n"
    "                           markdown: the compatibility table, libwasix/SYSCALLS.md)\n"
    "  -v                       print the commands run\n"
    "\n"
    "wasixc run compiles through a cache ($WASIXC_CACHE_DIR, else\n"
    "$XDG_CACHE_HOME/wasixc, else ~/.cache/wasixc; keyed by the module's bytes,\n"
    "the compiler and the code options) and runs the result with the arguments\n"
    "that follow the module: a second run starts at native speed. Its --dir and\n"
    "--env apply at run time (not baked in); -q hides the compile notice.\n"
    "  --help, --version\n";

int usage_error(const char* fmt, const char* arg) {
  fprintf(stderr, "wasixc: error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(run 'wasixc --help' for usage)\n");
  return 1;
}

namespace {

void list_syscalls() { fputs(wasixc::syscall_list_text().c_str(), stdout); }

}  // namespace

int parse_args(int argc, char** argv, int first, aot::CompileOptions& opts, bool run_mode, int* rest,
               bool* quiet) {
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)flag;
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      fputs(kUsage, stdout);
      return 0;
    } else if (a == "--version") {
      printf("wasixc %s (runtime ABI %d)\n", WASIXC_VERSION, WASIXC_ABI_VERSION);
      return 0;
    } else if (a == "--list-syscalls") {
      list_syscalls();
      return 0;
    } else if (a == "--list-syscalls=markdown") {
      fputs(wasixc::syscall_compat_markdown().c_str(), stdout);
      return 0;
    } else if (run_mode && a == "--") {
      *rest = i + 1;
      return -1;
    } else if (a == "-q" || a == "--quiet") {
      *quiet = true;
      opts.quiet = true;
    } else if (a == "--time-report") {
      opts.time_report = true;
    } else if (a == "-j" || (a.compare(0, 2, "-j") == 0 && a.size() > 2) || a.compare(0, 7, "--jobs=") == 0) {
      const char* v = a == "-j" ? value("-j") : a[1] == 'j' ? argv[i] + 2 : argv[i] + 7;
      char* end = nullptr;
      unsigned long n = v ? strtoul(v, &end, 10) : 0;
      if (!v || !*v || *end || n == 0 || n > 1024) return usage_error("bad -j '%s' (want a number of jobs, 1 to 1024)", v ? v : "");
      opts.jobs = static_cast<unsigned>(n);
    } else if (a == "-o" && !run_mode) {
      const char* v = value("-o");
      if (!v) return usage_error("%s needs a file name", "-o");
      opts.output = v;
    } else if (a.size() == 3 && a.compare(0, 2, "-O") == 0 && a[2] >= '0' && a[2] <= '3') {
      opts.opt_level = a[2] - '0';
    } else if (a.compare(0, 10, "--backend=") == 0) {
      opts.backend = a.substr(10);
      if (opts.backend != "c" && opts.backend != "llvm")
        return usage_error("unknown backend '%s' (available: llvm, c)", opts.backend.c_str());
    } else if (a.compare(0, 7, "--emit=") == 0) {
      opts.emit = a.substr(7);
      if (opts.emit != "exe" && opts.emit != "obj" && opts.emit != "ll")
        return usage_error("unknown --emit kind '%s' (exe, obj or ll)", opts.emit.c_str());
    } else if (a.compare(0, 6, "--cpu=") == 0) {
      opts.cpu = a.substr(6);
    } else if (a.compare(0, 17, "--partition-size=") == 0) {
      opts.partition_size = strtoull(a.c_str() + 17, nullptr, 10);
      if (opts.partition_size == 0) return usage_error("bad %s (want a number of instructions)", a.c_str());
    } else if (a == "--no-safepoints") {
      opts.safepoints = false;
    } else if (a == "--poll-safepoints") {
      opts.interrupts = false;
    } else if (a == "--no-fixed-memory") {
      opts.fixed_memory = false;
    } else if (a == "--dir" || a.compare(0, 6, "--dir=") == 0) {
      const char* v = a == "--dir" ? value("--dir") : argv[i] + 6;
      if (!v || !*v) return usage_error("%s needs HOST[::GUEST][:ro]", "--dir");
      std::string spec = v;
      // ":ro": a read-only mapping. The guest field keeps the suffix; the
      // runtime parses it (kernel/dir_mappings.h, the WASIXC_DIRS syntax).
      bool read_only = spec.size() > 3 && spec.compare(spec.size() - 3, 3, ":ro") == 0;
      if (read_only) spec.resize(spec.size() - 3);
      size_t sep = spec.find("::");
      std::string host = spec.substr(0, sep);
      std::string guest = sep == std::string::npos ? host : spec.substr(sep + 2);
      if (host.empty() || guest.empty()) return usage_error("bad --dir '%s' (want HOST[::GUEST][:ro])", v);
      opts.dirs.emplace_back(host, read_only ? guest + ":ro" : guest);
    } else if (a == "--env" || a.compare(0, 6, "--env=") == 0) {
      const char* v = a == "--env" ? value("--env") : argv[i] + 6;
      if (!v || !strchr(v, '=') || *v == '=') return usage_error("bad --env '%s' (want K=V)", v ? v : "");
      opts.env.emplace_back(v);
    } else if (a == "--net" || a.compare(0, 6, "--net=") == 0) {
      // --net: the whole network; --net=loopback; --net=off (the default).
      std::string v = a == "--net" ? "all" : a.substr(6);
      if (v == "all" || v == "on") opts.net_policy = 2;
      else if (v == "loopback") opts.net_policy = 1;
      else if (v == "off") opts.net_policy = 0;
      else return usage_error("unknown --net setting '%s' (all, loopback or off)", v.c_str());
    } else if (a == "--allow-host-exec") {
      opts.allow_host_exec = true;
    } else if (a == "--allow-missing-imports") {
      opts.allow_missing_imports = true;
    } else if (a == "--save-temps") {
      opts.save_temps = true;
    } else if (a == "-v" || a == "--verbose") {
      opts.verbose = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("unknown option '%s'", a.c_str());
    } else if (opts.input.empty()) {
      opts.input = a;
      if (run_mode) {  // the guest's arguments follow
        *rest = i + 1 < argc && std::string(argv[i + 1]) == "--" ? i + 2 : i + 1;
        return -1;
      }
    } else {
      return usage_error("more than one input file ('%s')", a.c_str());
    }
  }
  *rest = argc;
  return -1;
}

int guarded(const std::string& input, const std::function<void()>& step) {
  try {
    step();
  } catch (const wasixc::aot::CompileError& e) {
    fprintf(stderr, "wasixc: error: %s\n", e.message.c_str());
    return 1;
  } catch (const std::bad_alloc&) {
    fprintf(stderr, "wasixc: error: %s: out of memory compiling this module\n", input.c_str());
    return 1;
  } catch (const std::exception& e) {
    fprintf(stderr, "wasixc: error: %s: internal error: %s\n", input.c_str(), e.what());
    return 1;
  }
  return 0;
}

}  // namespace wasixc::tools
