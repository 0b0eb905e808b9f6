#include <gtest/gtest.h>

#include "aot/c_backend.h"

namespace wasixc::aot {
namespace {

// Must agree with wabt 1.0.32's C writer, whose symbols the glue defines.
TEST(CGlue, ManglesLikeTheCWriter) {
  EXPECT_EQ(wasm2c_mangle("fd_write"), "fd_write");
  EXPECT_EQ(wasm2c_mangle("thread-spawn"), "threadZ2Dspawn");
  EXPECT_EQ(wasm2c_mangle("Zmod.x"), "Z5AmodZ2Ex");
  EXPECT_EQ(wasm2c_mangle("mem Z"), "memZ20Z5A");
}

TEST(CGlue, StringLiteralsEscapeEverything) {
  EXPECT_EQ(c_string_literal("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(c_string_literal("x\ny"), "\"x\\012y\"");
  EXPECT_EQ(c_string_literal("??="), "\"\\077\\077=\"");  // no trigraphs
}

}  // namespace
}  // namespace wasixc::aot
