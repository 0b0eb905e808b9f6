// The compile cache's key: everything that changes the code produced from
// a module changes the key, the developer knobs included.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "aot/compile_cache.h"

namespace wasixc::aot {
namespace {

class CacheKeyTest : public ::testing::Test {
 protected:
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    unsetenv("WASIXC_PIPELINE");
    unsetenv("WASIXC_LLVM_ARGS");
  }
};

TEST_F(CacheKeyTest, OptionsAndModuleBytesChangeTheKey) {
  CompileOptions options;
  std::string key = cache_key("module", options, {});
  EXPECT_EQ(key, cache_key("module", options, {}));
  EXPECT_NE(key, cache_key("module2", options, {}));
  CompileOptions o1 = options;
  o1.opt_level = options.opt_level == 1 ? 2 : 1;
  EXPECT_NE(key, cache_key("module", o1, {}));
}

TEST_F(CacheKeyTest, DeveloperKnobsThatChangeCodeChangeTheKey) {
  CompileOptions options;
  std::string plain = cache_key("module", options, {});
  setenv("WASIXC_PIPELINE", "function(sroa)", 1);
  std::string with_pipeline = cache_key("module", options, {});
  EXPECT_NE(plain, with_pipeline);
  setenv("WASIXC_PIPELINE", "function(instcombine)", 1);
  EXPECT_NE(with_pipeline, cache_key("module", options, {}));
  unsetenv("WASIXC_PIPELINE");
  setenv("WASIXC_LLVM_ARGS", "-unroll-threshold=0", 1);
  EXPECT_NE(plain, cache_key("module", options, {}));
  clear();
  EXPECT_EQ(plain, cache_key("module", options, {}));
}

}  // namespace
}  // namespace wasixc::aot
