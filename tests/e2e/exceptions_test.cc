// Exceptions (the legacy instructions): tests/e2e/modules/exceptions*.wat
// and the EH-based setjmp/longjmp guest against its native build.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

TEST(Exceptions, ThrowAndCatchAcrossFramesAndTables) {
  for (const char* level : {"-O2", "-O0"}) {
    SCOPED_TRACE(level);
    std::string exe = compile(module_wasm("exceptions"), {level});
    ASSERT_FALSE(exe.empty());
    RunResult r = run(exe, {});
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(lines(r.out), (std::vector<std::string>{
                                "71",       // caught 100 frames below the throw
                                "72",       // through call_indirect
                                "15",       // call_indirect that does not throw
                                "12345",    // i64 and f64 payload
                                "5",
                                "3",        // catch_all
                                "74",       // rethrow from a nested catch
                                "75",       // delegate
                                "76",       // br out of a catch body
                                "76",       // a throw out of a catch body
                                "1000000",  // a million throws, each caught
                            }));
  }
}

TEST(Exceptions, PartitionedCompilation) {
  std::string exe = compile(module_wasm("exceptions"), {"--partition-size=1"});
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(r.out).size(), 11u) << r.out;
}

TEST(Exceptions, UncaughtIsACleanTrap) {
  std::string exe = compile(module_wasm("exceptions_uncaught"));
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {});
  EXPECT_FALSE(r.signaled);
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_NE(r.err.find("wasixc: trap: uncaught exception"), std::string::npos) << r.err;
}

TEST(Exceptions, CatchAllDoesNotCatchTraps) {
  std::string exe = compile(module_wasm("exceptions_trap"));
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {});
  EXPECT_FALSE(r.signaled);
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_NE(r.err.find("wasixc: trap: unreachable"), std::string::npos) << r.err;
}

TEST(Exceptions, SetjmpLongjmpAsExceptionsMatchesNative) {
  for (const char* level : {"-O2", "-O0"}) {
    SCOPED_TRACE(level);
    std::string exe = compile(guest_wasm("eh_setjmp"), {level});
    ASSERT_FALSE(exe.empty());
    RunOptions opts;
    opts.argv0 = "eh_setjmp";
    RunResult wasm = run(exe, {}, opts);
    RunResult native = run(guest_native("eh_setjmp"), {}, opts);
    EXPECT_FALSE(wasm.signaled) << wasm.err;
    EXPECT_EQ(wasm.exit_code, native.exit_code) << wasm.err;
    EXPECT_EQ(wasm.out, native.out);
    EXPECT_EQ(wasm.err, native.err);
    EXPECT_NE(wasm.out.find("pingpong: sum=399995"), std::string::npos) << wasm.out;
  }
}

TEST(Exceptions, CBackendRefusesByName) {
  RunResult r = run_wasixc({module_wasm("exceptions"), "-o", work_dir() + "/exceptions-c.exe", "--backend=c"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("exception handling"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e
