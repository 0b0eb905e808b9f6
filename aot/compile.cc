#include "compile.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "c_backend.h"
#include "llvm/llvm_backend.h"
#include "diagnostics.h"
#include "imports.h"
#include "module_loader.h"
#include "toolchain.h"

namespace wasixc::aot {
namespace {

// Links generated objects with the runtime into one executable. libuv and
// libstdc++ are linked statically, so the result needs only libc-class
// system libraries at run time. -z now binds every libc symbol at start-up:
// with lazy binding each forked child would resolve the symbols its parent
// never called (the child's exit path) again, on every fork.
void link_executable(const std::vector<std::string>& objects, const CompileOptions& options) {
  std::string rt = runtime_dir();
  std::vector<std::string> cmd = {find_clang(), "--driver-mode=g++", "-fuse-ld=lld",
                                  "-static-libstdc++", "-static-libgcc", "-Wl,-z,now", "-o", options.output};
  cmd.insert(cmd.end(), objects.begin(), objects.end());
  for (const char* lib : {"/libwasixc_rt.a", "/libuv_a.a"}) cmd.push_back(rt + lib);
  for (const char* lib : {"-lpthread", "-ldl", "-lm"}) cmd.push_back(lib);
  std::string out;
  if (run_command(cmd, options.verbose, &out) != 0)
    fail("%s: linking %s failed:\n%s", options.input.c_str(), options.output.c_str(),
         out.c_str());
}

}  // namespace

void compile(const CompileOptions& options) {
  if (options.backend != "c" && options.backend != "llvm")
    fail("unknown backend '%s' (this build has: llvm, c)", options.backend.c_str());
  if (options.emit != "exe" && options.backend != "llvm")
    fail("--emit=%s needs the llvm backend", options.emit.c_str());
  LoadedModule module = load_module(options.input);
  if (options.emit == "exe" && !exports_function(module, "_start") &&
      !exports_function(module, "_initialize"))
    fail("%s: exports neither _start (a WASI command) nor _initialize (a reactor)",
         options.input.c_str());
  ImportPlan imports = resolve_imports(module, options.allow_missing_imports);

  std::string work_dir;
  if (options.save_temps) {
    work_dir = options.output + ".wasixc-temps";
    mkdir(work_dir.c_str(), 0755);
  } else {
    work_dir = make_temp_dir();
  }
  try {
    std::vector<std::string> objects =
        options.backend == "llvm" ? compile_with_llvm_backend(module, imports, options, work_dir)
                                  : compile_with_c_backend(module, imports, options, work_dir);
    if (options.emit == "obj") {
      if (rename(objects.front().c_str(), options.output.c_str()) != 0)
        fail("cannot write %s: %s", options.output.c_str(), strerror(errno));
    } else if (options.emit == "exe") {
      link_executable(objects, options);
    }
  } catch (...) {
    if (!options.save_temps) remove_tree(work_dir);
    throw;
  }
  if (options.save_temps)
    fprintf(stderr, "wasixc: intermediate files kept in %s\n", work_dir.c_str());
  else
    remove_tree(work_dir);
}

}  // namespace wasixc::aot
