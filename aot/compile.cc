#include "compile.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "c_backend.h"
#include "compile_report.h"
#include "llvm/body_facts.h"
#include "llvm/llvm_backend.h"
#include "diagnostics.h"
#include "imports.h"
#include "module_loader.h"
#include "toolchain.h"
#include "work_dir.h"

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
#ifdef WASIXC_SANITIZE_FLAGS
  cmd.push_back(WASIXC_SANITIZE_FLAGS);  // a sanitizer build's runtime needs its runtime
#endif
  cmd.insert(cmd.end(), objects.begin(), objects.end());
  for (const char* lib : {"/libwasixc_rt.a", "/libuv_a.a"}) cmd.push_back(rt + lib);
  for (const char* lib : {"-lpthread", "-ldl", "-lm"}) cmd.push_back(lib);
  std::string out;
  CompileReport::Scope phase(compile_report(), Phase::kLink, /*child_processes=*/true);
  if (run_command(cmd, options.verbose, &out) != 0)
    fail("%s: linking %s failed:\n%s", options.input.c_str(), options.output.c_str(),
         out.c_str());
}

}  // namespace

namespace {

void compile_on_this_thread(const CompileOptions& options) {
  // Cheap checks first: imports are resolved on the import section alone
  // and the backend's features checked by the binary reader alone, before
  // the module's IR is built (a refusal costs milliseconds to a fraction of
  // a second and little memory); imports again below on the validated
  // module, which is what the backends use.
  auto cheap_checks = [&](const LoadedModule& head) {
    (void)resolve_imports(head, options.allow_missing_imports);
    if (options.backend == "llvm") require_llvm_features(head);
  };
  // The LLVM backend reads the module a slice of bodies at a time (bounded
  // memory, README "Partitions, jobs and memory"), except for --emit=ll,
  // which is one LLVM module of everything anyway.
  std::shared_ptr<llvmgen::BodyFacts> facts;
  LoadedModule module;
  if (options.backend == "llvm" && options.emit != "ll") {
    facts = std::make_shared<llvmgen::BodyFacts>();
    module = load_module_in_slices(options.input, wasixc_features(), cheap_checks,
                                   [&](const wabt::Module& slice, uint32_t first, uint32_t end) {
                                     facts->add(slice, first, end);
                                   });
    uint32_t functions = static_cast<uint32_t>(module.module->funcs.size());
    facts->add(*module.module, functions, functions);  // covers every index
  } else {
    module = load_module(options.input, wasixc_features(), cheap_checks, /*generate_names=*/options.backend == "c");
  }
  if (options.emit == "exe" && !exports_function(module, "_start") &&
      !exports_function(module, "_initialize"))
    fail("%s: exports neither _start (a WASI command) nor _initialize (a reactor)",
         options.input.c_str());
  // The WASI application ABI: a command's _start and a reactor's
  // _initialize take nothing and return nothing; the runtime calls them so.
  for (const wabt::Export* e : module.module->exports) {
    if (e->kind != wabt::ExternalKind::Func || (e->name != "_start" && e->name != "_initialize")) continue;
    const wabt::Func* f = module.module->GetFunc(e->var);
    if (f && (f->GetNumParams() != 0 || f->GetNumResults() != 0))
      fail("%s: the export %s must take no parameters and return nothing (it has %u and %u)",
           options.input.c_str(), e->name.c_str(), f->GetNumParams(), f->GetNumResults());
  }
  std::optional<CompileReport::Scope> imports_phase(std::in_place, compile_report(), Phase::kImports);
  ImportPlan imports = resolve_imports(module, options.allow_missing_imports);
  imports_phase.reset();

  // Removed on every way out (work_dir.h), unless the user keeps it.
  WorkDir work_dir(options.save_temps ? options.output + ".wasixc-temps" : "");
  std::vector<std::string> objects =
      options.backend == "llvm" ? compile_with_llvm_backend(module, imports, options, work_dir.path(), facts)
                                : compile_with_c_backend(module, imports, options, work_dir.path());
  if (options.emit == "obj") {
    if (rename(objects.front().c_str(), options.output.c_str()) != 0)
      fail("cannot write %s: %s", options.output.c_str(), strerror(errno));
  } else if (options.emit == "exe") {
    link_executable(objects, options);
  }
  if (options.save_temps)
    fprintf(stderr, "wasixc: intermediate files kept in %s\n", work_dir.path().c_str());
}

}  // namespace

void compile(const CompileOptions& options) {
  if (options.backend != "c" && options.backend != "llvm")
    fail("unknown backend '%s' (this build has: llvm, c)", options.backend.c_str());
  if (options.emit != "exe" && options.backend != "llvm")
    fail("--emit=%s needs the llvm backend", options.emit.c_str());
  // The passes over wabt's tree-shaped IR recurse once per nesting level
  // (bounded by ModuleLimits::kNestingDepth): a large stack, not main's.
  CompileReport& report = compile_report();
  report.start(options.time_report, !options.quiet);
  // The progress line is erased (and the report printed) on every way out.
  struct Finish {
    CompileReport& report;
    ~Finish() { report.finish(stderr); }
  } finish{report};
  run_on_compiler_stack([&] { compile_on_this_thread(options); });
}

}  // namespace wasixc::aot
