// The preview1 file calls against node's WASI (node:wasi) where node
// behaves like Linux (tests/e2e/guests/fs_portable.c): wasixc, the native
// build and node must print the same.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string fresh(const std::string& name) {
  std::string dir = work_dir() + "/" + name;
  run("/bin/rm", {"-rf", dir});
  run("/bin/mkdir", {"-p", dir});
  return dir;
}

RunResult run_in(const std::string& dir, const std::string& program, std::vector<std::string> args,
                 RunOptions options = {}) {
  std::vector<std::string> sh = {"-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir, program};
  sh.insert(sh.end(), args.begin(), args.end());
  return run("/bin/sh", sh, options);
}

TEST(NodeWasi, PortableFileCallsMatchNodeAndNative) {
  std::string exe = compile(guest_wasm("fs_portable"));
  ASSERT_FALSE(exe.empty());
  std::string wasm_dir = fresh("portable-wasixc"), native_dir = fresh("portable-native"),
              node_dir = fresh("portable-node");
  RunOptions mapped;
  mapped.env_add = {"WASIXC_DIRS=" + wasm_dir + "::/"};
  RunResult wasixc = run_in(wasm_dir, exe, {}, mapped);
  RunResult native = run_in(native_dir, guest_native("fs_portable"), {});
  // Node 18 (Debian bookworm's) needs the flag; later versions accept it.
  RunResult node = run_in(node_dir, "/usr/bin/env",
                          {"node", "--no-warnings", "--experimental-wasi-unstable-preview1",
                           std::string(E2E_SOURCE_DIR) + "/node_wasi.mjs", guest_wasm("fs_portable"), node_dir});
  ASSERT_EQ(node.exit_code, 0) << "node: " << node.err;
  EXPECT_EQ(wasixc.exit_code, 0) << wasixc.err;
  EXPECT_EQ(wasixc.out, native.out);
  EXPECT_EQ(wasixc.out, node.out);
  EXPECT_NE(native.out.find("readdir d: 20 entries"), std::string::npos) << native.out;
}

}  // namespace
}  // namespace e2e
