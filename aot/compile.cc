#include "compile.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "c_backend.h"
#include "diagnostics.h"
#include "imports.h"
#include "module_loader.h"
#include "toolchain.h"

namespace wasixc::aot {
namespace {

// Links generated objects with the runtime into one executable. libuv and
// libstdc++ are linked statically, so the result needs only libc-class
// system libraries at run time.
void link_executable(const std::vector<std::string>& objects, const CompileOptions& options) {
  std::string rt = runtime_dir();
  std::vector<std::string> cmd = {find_clang(), "--driver-mode=g++", "-fuse-ld=lld",
                                  "-static-libstdc++", "-static-libgcc", "-o", options.output};
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
  if (options.backend != "c")
    fail("unknown backend '%s' (this build has: c)", options.backend.c_str());
  LoadedModule module = load_module(options.input);
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
        compile_with_c_backend(module, imports, options, work_dir);
    link_executable(objects, options);
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
