// Tail calls (return_call, return_call_indirect): chains deeper than any
// stack run in constant stack (tests/e2e/modules/tail_calls.wat), while
// the same recursion through plain calls exhausts it.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

TEST(TailCalls, ChainsRunInConstantStack) {
  for (const char* level : {"-O2", "-O0"}) {
    SCOPED_TRACE(level);
    std::string exe = compile(module_wasm("tail_calls"), {level});
    ASSERT_FALSE(exe.empty());
    RunResult r = run(exe, {});
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exit_code, 7) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(lines(r.out), (std::vector<std::string>{
                                "1",        // even(10,000,000)
                                "0",        // even(9,999,999)
                                "5000000",  // 1,000,000 steps between 10 and 2 parameters
                                "2880067194370816120",  // fib(90), fib(91): two results
                                "4660046610375530309",
                                "8",  // path_open(fd 99) through the table: EBADF
                            }));
  }
}

TEST(TailCalls, TheSameRecursionWithPlainCallsExhaustsTheStack) {
  std::string exe = compile(module_wasm("tail_calls_overflow"));
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {});
  EXPECT_FALSE(r.signaled);
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_NE(r.err.find("call stack exhausted"), std::string::npos) << r.err;
}

TEST(TailCalls, CBackendRefusesByName) {
  RunResult r = run_wasixc({module_wasm("tail_calls"), "-o", work_dir() + "/tail_calls-c.exe", "--backend=c"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("tail calls"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e
