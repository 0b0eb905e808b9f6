// vfork (wasix_32v1 proc_fork with copy_memory 0): the parent is
// suspended until the child exits or execs, as on Linux.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

TEST(Vfork, ParentResumesAfterTheChildExitsAsNatively) {
  std::string exe = compile(guest_wasm("vfork"));
  ASSERT_FALSE(exe.empty());
  for (const char* mode : {"exit", "exec"}) {
    SCOPED_TRACE(mode);
    RunOptions opts;
    opts.argv0 = "vfork";
    RunResult wasm = run(exe, {mode}, opts);
    RunResult native = run(guest_native("vfork"), {mode}, opts);
    EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
    EXPECT_EQ(wasm.out, native.out);
    std::string first = std::string(mode) == "exit" ? "child: done\nparent: resumed\nparent: child exited with 7\n"
                                                    : "child: done\nchild: exec failed\nparent: resumed\n";
    EXPECT_EQ(wasm.out.rfind(first, 0), 0u) << wasm.out;
  }
}

}  // namespace
}  // namespace e2e
