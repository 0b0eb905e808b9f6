// setjmp/longjmp (wasix_32v1 stack_checkpoint / stack_restore): the guest
// (tests/e2e/guests/setjmp.c) against its native build, and the cases C
// leaves undefined, which wasixc turns into clean traps.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string build_setjmp(const std::vector<std::string>& flags = {}) { return compile(guest_wasm("setjmp"), flags); }

void expect_same_as_native(const std::string& exe, const std::string& mode) {
  SCOPED_TRACE(mode);
  RunOptions opts;
  opts.argv0 = "setjmp";
  RunResult wasm = run(exe, {mode}, opts);
  RunResult native = run(guest_native("setjmp"), {mode}, opts);
  EXPECT_FALSE(wasm.signaled) << wasm.err;
  EXPECT_EQ(wasm.exit_code, native.exit_code) << wasm.err;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_EQ(wasm.err, native.err);
  EXPECT_FALSE(wasm.out.empty());
}

TEST(Setjmp, MatchesNative) {
  for (const char* level : {"-O2", "-O1", "-O0"}) {
    std::string exe = build_setjmp({level});
    ASSERT_FALSE(exe.empty());
    for (const char* mode : {"basic", "pingpong", "zero", "nested", "signal", "alarm-loop", "fork"})
      expect_same_as_native(exe, mode);
  }
}

TEST(Setjmp, PartitionedCompilationMatchesNative) {
  // Every function in a partition of its own: the setjmp helpers are
  // inlined across partitions.
  std::string exe = build_setjmp({"--partition-size=1"});
  ASSERT_FALSE(exe.empty());
  for (const char* mode : {"basic", "pingpong", "nested"}) expect_same_as_native(exe, mode);
}

TEST(Setjmp, UndefinedJumpsAreCleanTraps) {
  std::string exe = build_setjmp();
  ASSERT_FALSE(exe.empty());
  struct Case {
    const char* mode;
    const char* message;
  } cases[] = {
      {"returned", "wasixc: trap: longjmp: the function that called setjmp has returned"},
      // its frame is the helper's own, gone when setjmp returns
      {"pointer", "wasixc: trap: longjmp: the function that called setjmp has returned"},
      {"forged", "wasixc: trap: longjmp: the jmp_buf was not filled by setjmp"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.mode);
    RunResult r = run(exe, {c.mode});
    EXPECT_FALSE(r.signaled);
    EXPECT_EQ(r.exit_code, 134);
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("back in a dead frame"), std::string::npos);
  }
}

TEST(Setjmp, CBackendRefusesWithAClearError) {
  RunResult r = run_wasixc({guest_wasm("setjmp"), "-o", work_dir() + "/setjmp-c.exe", "--backend=c"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("setjmp/longjmp (wasix_32v1.stack_checkpoint)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("use the llvm backend"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e
