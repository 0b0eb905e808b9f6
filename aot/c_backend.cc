#include "aot/command_exports.h"
#include "c_backend.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "diagnostics.h"
#include "imports.h"
#include "syscall_info.h"
#include "llvm/llvm_backend.h"
#include "toolchain.h"
#include "work_dir.h"
#include "wabt/c-writer.h"
#include "wabt/cast.h"
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
  set_running_child(pid);  // stopped by the cleanup handlers (work_dir.h)
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  set_running_child(0);
  if (WIFSIGNALED(status))
    fail("%s: internal error: wabt's C writer crashed (signal %d) on this module",
         m.path.c_str(), WTERMSIG(status));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("%s: wabt's C writer could not translate this module", m.path.c_str());
}

// What clang accepts in the C the writer produces: each if opens a brace
// (clang stops at 256 nested brackets by default), each loop a labelled
// statement that clang parses recursively (it overflows its stack near
// 10,000). Deeper modules are refused before the C writer runs.
constexpr int kCIfNesting = 200;
constexpr int kCLoopAndIfNesting = 4'000;

struct Nesting {
  int ifs = 0, loops_and_ifs = 0;
};

// Depth bounded by ModuleLimits::kNestingDepth (checked on reading).
Nesting nesting_of(const wabt::ExprList& list) {
  Nesting deepest;
  auto inner = [&](const wabt::ExprList& l, int ifs, int loops) {
    Nesting n = nesting_of(l);
    deepest.ifs = std::max(deepest.ifs, n.ifs + ifs);
    deepest.loops_and_ifs = std::max(deepest.loops_and_ifs, n.loops_and_ifs + loops);
  };
  for (const wabt::Expr& e : list) {
    if (auto* b = wabt::dyn_cast<wabt::BlockExpr>(&e)) {
      inner(b->block.exprs, 0, 0);
    } else if (auto* l = wabt::dyn_cast<wabt::LoopExpr>(&e)) {
      inner(l->block.exprs, 0, 1);
    } else if (auto* i = wabt::dyn_cast<wabt::IfExpr>(&e)) {
      inner(i->true_.exprs, 1, 1);
      inner(i->false_, 1, 1);
    }
  }
  return deepest;
}

void check_c_nesting(const LoadedModule& m) {
  for (size_t f = 0; f < m.module->funcs.size(); ++f) {
    Nesting n = nesting_of(m.module->funcs[f]->exprs);
    if (n.ifs > kCIfNesting || n.loops_and_ifs > kCLoopAndIfNesting)
      fail("%s: function %zu nests %d ifs and %d loops and ifs, more than the C backend can compile "
           "(%d and %d); use the llvm backend",
           m.path.c_str(), f, n.ifs, n.loops_and_ifs, kCIfNesting, kCLoopAndIfNesting);
  }
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
  // Constructs wabt reads only after the lowering pass rewrote them into
  // calls of intrinsics, whose meaning only the llvm backend emits.
  if (!m.lowered_features.empty())
    fail("%s: the module uses %s, which the C backend (wabt 1.0.32's C writer) cannot compile; use the llvm backend",
         m.path.c_str(), join(m.lowered_features).c_str());
  std::vector<std::string> needed = features_beyond(m, c_writer_features());
  if (!needed.empty()) {
    bool llvm_can = features_beyond(m, llvm_backend_features()).empty();
    fail("%s: the module uses %s, which the C backend (wabt 1.0.32's C writer) cannot compile%s",
         m.path.c_str(), join(needed).c_str(), llvm_can ? "; use the llvm backend" : "");
  }
  check_c_nesting(m);
  // A checkpoint needs the caller's frame to outlive the call, which only
  // the llvm backend arranges (aot/llvm/stack_checkpoints.h).
  for (const FunctionImport& f : imports.functions)
    if (f.syscall && (f.syscall->flags & SYSCALL_RETURNS_TWICE))
      fail("%s: the module uses setjmp/longjmp (%s.%s), which the C backend cannot compile; use the llvm backend",
           m.path.c_str(), f.module.c_str(), f.name.c_str());
  std::string c_path = work_dir + "/guest.c";
  write_c(m, c_path, work_dir + "/guest.h");
  std::string glue_path = work_dir + "/glue.c";
  write_file(glue_path, c_backend_glue(m, imports, options));
  return {compile_c(c_path, options.opt_level, options, work_dir),
          compile_c(glue_path, 2, options, work_dir)};
}

}  // namespace wasixc::aot
