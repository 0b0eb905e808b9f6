#include "aot/command_exports.h"
#include "c_backend.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "diagnostics.h"
#include "llvm/llvm_backend.h"
#include "toolchain.h"
#include "wabt/c-writer.h"
#include "wabt/feature.h"
#include "wabt/stream.h"
#include "wasixc/abi.h"

namespace wasixc::aot {
namespace {

// What wabt 1.0.32's C writer can translate: its default features minus
// SIMD (it aborts on v128).
wabt::Features c_writer_features() {
  wabt::Features f;
  f.disable_simd();
  return f;
}

// Runs the C writer in a child process: libwabt asserts (aborts) on some
// inputs it does not support, and the compiler must never crash.
void write_c(const LoadedModule& m, const std::string& c_path, const std::string& h_path) {
  fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) fail("cannot fork for the C writer: %s", strerror(errno));
  if (pid == 0) {
    bool ok;
    {  // streams flush and close when they go out of scope, before _exit
      wabt::FileStream c_stream(c_path);
      wabt::FileStream h_stream(h_path);
      // Every generated function goes into the guest code section, so the
      // runtime can tell a fault in guest code from one in its own.
      c_stream.Writef("#pragma clang section text=\"%s\"\n", WASIXC_CODE_SECTION);
      // Host callbacks skip wasm-ld's command-export wrapper
      // (command_exports.h). This child's copy of the module only.
      wabt::Module* module = m.module.get();
      for (wabt::Export* e : module->exports)
        if (e->kind == wabt::ExternalKind::Func) e->var = wabt::Var(export_call_target(*module, *e), e->var.loc);
      wabt::WriteCOptions options;
      options.module_name = "guest";
      wabt::Result r = wabt::WriteC(&c_stream, &h_stream, "guest.h", m.module.get(), options);
      ok = wabt::Succeeded(r) && c_stream.result() == wabt::Result::Ok &&
           h_stream.result() == wabt::Result::Ok;
    }
    _exit(ok ? 0 : 1);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    fail("%s: internal error: wabt's C writer crashed (signal %d) on this module",
         m.path.c_str(), WTERMSIG(status));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("%s: wabt's C writer could not translate this module", m.path.c_str());
}

void write_file(const std::string& path, const std::string& text) {
  FILE* f = fopen(path.c_str(), "w");
  if (!f || fwrite(text.data(), 1, text.size(), f) != text.size() || fclose(f) != 0)
    fail("cannot write %s: %s", path.c_str(), strerror(errno));
}

std::string compile_c(const std::string& source, int opt_level, const CompileOptions& options,
                      const std::string& work_dir) {
  std::string object = source.substr(0, source.size() - 2) + ".o";
  std::string rt = runtime_dir();
  std::vector<std::string> cmd = {
      find_clang(), "-c", "-O" + std::to_string(opt_level),
      // wasm float semantics: no contraction into FMA, no fast-math.
      "-ffp-contract=off",
      // Stack probes, so a big frame cannot step over the stack guard.
      "-fstack-clash-protection", "-fno-strict-aliasing", "-w",
      "-I" + rt + "/include", "-I" + rt + "/include/c_backend", "-I" + work_dir,
      source, "-o", object};
  std::string out;
  if (run_command(cmd, options.verbose, &out) != 0)
    fail("%s: clang failed on the generated C (%s):\n%s", options.input.c_str(),
         source.c_str(), out.c_str());
  return object;
}

}  // namespace

std::vector<std::string> compile_with_c_backend(const LoadedModule& m, const ImportPlan& imports,
                                                const CompileOptions& options,
                                                const std::string& work_dir) {
  std::vector<std::string> needed = features_beyond(m, c_writer_features());
  if (!needed.empty()) {
    bool llvm_can = features_beyond(m, llvm_backend_features()).empty();
    fail("%s: the module uses %s, which the C backend (wabt 1.0.32's C writer) cannot compile%s",
         m.path.c_str(), join(needed).c_str(), llvm_can ? "; use the llvm backend" : "");
  }
  std::string c_path = work_dir + "/guest.c";
  write_c(m, c_path, work_dir + "/guest.h");
  std::string glue_path = work_dir + "/glue.c";
  write_file(glue_path, c_backend_glue(m, imports, options));
  return {compile_c(c_path, options.opt_level, options, work_dir),
          compile_c(glue_path, 2, options, work_dir)};
}

}  // namespace wasixc::aot
