// dlopen/dlsym/dlclose (libwasix/wasix/dl.cc): programs that import them
// compile and run; every call fails as dlopen(3) fails on Linux, with a
// text for dlerror().
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

TEST(DynamicLinking, FailsWithATextInsteadOfRefusingTheProgram) {
  std::string exe = compile(guest_wasm("dl"));
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("dlopen: errno 58, terminated 1, handle untouched 1\n"), std::string::npos) << r.out;
  // 64-byte buffer: the text is cut to 63 characters and starts with the name.
  EXPECT_NE(r.out.find("dlopen text: libplugin.so: cannot load: wasixc runs one ahead-of-time compil\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("dlsym: errno 58, empty text 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dlclose: errno 8\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace e2e
