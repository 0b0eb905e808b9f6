// wasixc-compiler: the compiler behind the `wasixc` driver (which execs it
// for every compile, so `wasixc run` need not load LLVM to start a cached
// executable). Parses flags, calls aot::compile, prints diagnostics.
// Installed beside the runtime (lib/wasixc/).
#include <cstdio>
#include <functional>
#include <new>
#include <string>

#include "aot/compile.h"
#include "aot/diagnostics.h"
#include "aot/work_dir.h"
#include "options.h"

// Read by jemalloc at start-up (linked statically: tools/CMakeLists.txt;
// unused with glibc's malloc). Its defaults keep freed pages for ten
// seconds, then keep them lazily purged, so a compile's peak RSS followed
// what earlier partitions had freed, not the live IR: the 3 MB module of
// tests/fuzz/memory_test.py peaked anywhere between 212 and 288 MiB. With
// pages returned after a second and purged at once: 194-207 MiB, the same
// compile time (purging at once, dirty_decay_ms:0, made it 5x slower).
extern "C" __attribute__((used)) const char* malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0";

namespace {


}  // namespace

int main(int argc, char** argv) {
  wasixc::aot::CompileOptions opts;
  int rest = 0;
  bool quiet = false;
  if (int status = wasixc::tools::parse_args(argc, argv, 1, opts, false, &rest, &quiet); status >= 0) return status;
  if (opts.input.empty()) return wasixc::tools::usage_error("%s", "no input file");
  if (opts.output.empty()) return wasixc::tools::usage_error("%s", "no output file (use -o OUT)");
  // No temporary directory outlives the compiler, even on Ctrl-C or kill.
  wasixc::aot::install_cleanup_handlers(opts.input);
  return wasixc::tools::guarded(opts.input, [&] { wasixc::aot::compile(opts); });
}
