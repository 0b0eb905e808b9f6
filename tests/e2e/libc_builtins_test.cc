// libc routines compiled as host routines (aot/llvm/libc_builtins.cc), in
// function bodies and expanded at call sites: results against the native
// build at -O2 and -O0, and at the memory's end, the traps (or the
// absence of one) the guest's own wasm loops give (guests/libc_routines.c).
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

TEST(LibcBuiltins, ResultsMatchNative) {
  RunResult native = run(guest_native("libc_routines"), {"check"});
  ASSERT_EQ(native.exit_code, 0) << native.err;
  ASSERT_EQ(lines(native.out).size(), 3u) << native.out;
  for (const char* level : {"-O2", "-O0"}) {
    SCOPED_TRACE(level);
    std::string exe = compile(guest_wasm("libc_routines"), {level});
    ASSERT_FALSE(exe.empty());
    RunResult wasm = run(exe, {"check"});
    EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
    EXPECT_EQ(wasm.out, native.out);
  }
}

TEST(LibcBuiltins, EdgeOfMemoryBehavesAsTheWasmLoops) {
  std::string exe = compile(guest_wasm("libc_routines"));
  ASSERT_FALSE(exe.empty());
  const char* oob = "wasixc: trap: out of bounds memory access in function ";
  for (const char* mode : {"strcspn-unterminated", "strcspn-past-end", "memcmp-call-oob", "memcpy-call-oob"}) {
    SCOPED_TRACE(mode);
    RunResult r = run(exe, {mode});
    EXPECT_FALSE(r.signaled) << "died by signal " << r.term_signal;
    EXPECT_EQ(r.exit_code, 134);
    EXPECT_EQ(r.out, std::string("about to run: ") + mode + "\n");
    EXPECT_EQ(r.err.rfind(oob, 0), 0u) << r.err;
  }
  RunResult found = run(exe, {"strcspn-stops-before-end"});
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_EQ(found.out, "about to run: strcspn-stops-before-end\n0\n");
}

}  // namespace
}  // namespace e2e
