// Every entry of the syscall table, called by a hostile guest with
// out-of-bounds pointers and lengths: the call must return EFAULT (or
// another errno), or end the guest with a clean trap (`wasixc: trap:`,
// status 134) — never crash the runtime (SIGABRT from an uncaught
// exception, SIGSEGV), hang, or print an internal error.
//
// For each syscall a module imports it and calls it once with arguments
// chosen by argc: pattern 0 puts 0xfffffff0 in every i32 argument; pattern
// k (1..n) puts an out-of-bounds value in argument k-1 only and a base
// value in the others. Three bases: 0, 1 (a valid fd, stdout; a valid
// pointer) and 0x100 (a valid pointer into zeroed memory; a bad fd). The
// first 256 bytes of memory hold 0x01 so that option tags and futex words
// read as "something". i64 arguments are never pointers: always 0.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "harness.h"
#include "syscall_info.h"

namespace e2e {
namespace {

std::vector<std::string> param_types(const std::string& params) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 2 < params.size(); ++i) {
    if (params.compare(i, 3, "I32") == 0) out.push_back("i32");
    if (params.compare(i, 3, "I64") == 0) out.push_back("i64");
  }
  return out;
}

std::string module_text(const wasixc::SyscallInfo& s, int base) {
  std::vector<std::string> params = param_types(s.params);
  std::string result = std::string(s.result) == "VOID" ? "" : std::string(s.result) == "I64" ? "i64" : "i32";
  std::ostringstream w;
  w << "(module\n  (import \"" << s.module << "\" \"" << s.name << "\" (func $f";
  if (!params.empty()) {
    w << " (param";
    for (auto& p : params) w << " " << p;
    w << ")";
  }
  if (!result.empty()) w << " (result " << result << ")";
  w << "))\n";
  w << "  (import \"wasi_snapshot_preview1\" \"args_sizes_get\" (func $argsz (param i32 i32) (result i32)))\n";
  w << "  (memory (export \"memory\") 1)\n";
  // An entry chosen only for modules built by wasix-libc: look like one.
  if (s.flags & wasixc::SYSCALL_IF_WASIX_LIBC) w << "  (func (export \"__wasm_signal\") (param i32))\n";
  w << "  (func (export \"_start\") (local $p i32)\n";
  w << "    (memory.fill (i32.const 0) (i32.const 1) (i32.const 256))\n";
  w << "    (drop (call $argsz (i32.const 4096) (i32.const 4100)))\n";
  w << "    (local.set $p (i32.sub (i32.load (i32.const 4096)) (i32.const 1)))\n";
  w << "    (memory.fill (i32.const 4096) (i32.const 0) (i32.const 8))\n";
  w << "    (call $f";
  for (size_t i = 0; i < params.size(); ++i) {
    // this argument is out of range in pattern 0 and pattern i+1
    std::string bad = "(i32.or (i32.eqz (local.get $p)) (i32.eq (local.get $p) (i32.const " +
                      std::to_string(i + 1) + ")))";
    if (params[i] == "i32")
      w << "\n      (select (i32.const -16) (i32.const " << base << ") " << bad << ")";
    else
      w << "\n      (i64.const 0)";  // never a pointer in wasm32 (times, offsets, sizes)
  }
  w << ")\n";
  if (!result.empty()) w << "    drop\n";
  w << "  ))\n";
  return w.str();
}

// Writes `text` to `path` only if it differs, so compile()'s cache holds.
void write_if_changed(const std::string& path, const std::string& text) {
  std::ifstream in(path);
  std::stringstream old;
  old << in.rdbuf();
  if (in && old.str() == text) return;
  std::ofstream(path) << text;
}

TEST(SyscallFaults, EverySyscallSurvivesOutOfBoundsPointers) {
  std::string dir = work_dir() + "/syscall_faults";
  mkdir(dir.c_str(), 0755);
  int calls = 0, runs = 0;
  for (size_t id = 0; id < wasixc::syscall_count(); ++id) {
    const wasixc::SyscallInfo* s = &wasixc::syscall_table()[id];
    size_t nparams = param_types(s->params).size();
    if (nparams == 0) continue;  // nothing to make out of bounds
    ++calls;
    for (int base : {0, 1, 0x100}) {
      // Named by entry point: one name may have several entries.
      std::string file = std::string(s->symbol) + "." + std::to_string(base);
      for (char& c : file)
        if (c == '-') c = '_';
      std::string stem = dir + "/" + file;
      write_if_changed(stem + ".wat", module_text(*s, base));
      RunResult as = run(WAT2WASM, {stem + ".wat", "-o", stem + ".wasm.new"});
      ASSERT_EQ(as.exit_code, 0) << as.err;
      // Keep the old .wasm (and its compiled executable) when unchanged.
      std::ifstream a(stem + ".wasm.new", std::ios::binary), b(stem + ".wasm", std::ios::binary);
      std::stringstream na, nb;
      na << a.rdbuf();
      nb << b.rdbuf();
      if (na.str() != nb.str()) rename((stem + ".wasm.new").c_str(), (stem + ".wasm").c_str());
      std::string exe = compile(stem + ".wasm", {"-O0"});
      ASSERT_FALSE(exe.empty());
      for (size_t pattern = 0; pattern <= nparams; ++pattern) {
        SCOPED_TRACE(std::string(s->module) + "." + s->name + " base " + std::to_string(base) + " pattern " +
                     std::to_string(pattern));
        RunOptions opts;
        opts.timeout_seconds = 20;
        std::vector<std::string> args(pattern, "x");
        RunResult r = run(exe, args, opts);
        ++runs;
        EXPECT_FALSE(r.timed_out);
        EXPECT_EQ(r.err.find("terminate called"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
        if (r.signaled) {
          // Only a signal the guest itself asked for (base 1 = SIGHUP
          // through proc_raise / a 1 ms timer) may end it.
          EXPECT_EQ(r.term_signal, SIGHUP) << strsignal(r.term_signal) << "\n" << r.err;
        } else if (r.exit_code == 134) {
          EXPECT_NE(r.err.find("wasixc: trap: "), std::string::npos) << r.err;
        }
      }
    }
  }
  EXPECT_GT(calls, 40);
  printf("%d syscalls, %d runs\n", calls, runs);
}

}  // namespace
}  // namespace e2e
