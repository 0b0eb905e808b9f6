// Memory 0 at a fixed address (abi.h, WASIXC_FIXED_MEMORY_ADDRESS): the
// default executable and one built with --no-fixed-memory behave the same,
// own memory and imported shared memory (threads) alike; an executable
// whose address range is taken says so and exits 1 instead of crashing.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.h"

namespace e2e {
namespace {

void expect_same_both_ways(const std::string& guest, const std::vector<std::string>& args) {
  RunResult fixed = run(compile(guest_wasm(guest)), args);
  RunResult movable = run(compile(guest_wasm(guest), {"--no-fixed-memory"}), args);
  EXPECT_FALSE(fixed.signaled) << fixed.err;
  EXPECT_EQ(fixed.exit_code, movable.exit_code) << fixed.err << movable.err;
  EXPECT_EQ(fixed.out, movable.out);
  EXPECT_FALSE(fixed.out.empty());
}

TEST(FixedMemory, OwnMemoryGuestRunsTheSameEitherWay) { expect_same_both_ways("compute", {}); }

TEST(FixedMemory, ImportedSharedMemoryWithThreadsRunsTheSameEitherWay) {
  for (const char* mode : {"basic", "fork"}) {
    SCOPED_TRACE(mode);
    expect_same_both_ways("threads", {mode});
  }
}

// A library preloaded into the executable takes the range first.
std::string occupier_library() {
  std::string dir = work_dir() + "/fixed-memory";
  run("/bin/mkdir", {"-p", dir});
  std::string src = dir + "/occupy.c", lib = dir + "/occupy.so";
  std::ofstream(src) << "#include <sys/mman.h>\n"
                        "__attribute__((constructor)) static void occupy(void) {\n"
                        "  mmap((void*)0x70000000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | "
                        "MAP_FIXED_NOREPLACE, -1, 0);\n"
                        "}\n";
  RunResult cc = run("/usr/bin/clang-19", {"-shared", "-fPIC", "-O1", src, "-o", lib});
  EXPECT_EQ(cc.exit_code, 0) << cc.err;
  return lib;
}

TEST(FixedMemory, TakenAddressRangeIsAClearErrorNotACrash) {
  RunOptions preload;
  preload.env_add = {"LD_PRELOAD=" + occupier_library()};
  RunResult r = run(compile(guest_wasm("compute")), {}, preload);
  EXPECT_FALSE(r.signaled);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wasixc: error: cannot reserve guest memory at 0x60000000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--no-fixed-memory"), std::string::npos) << r.err;
  // The escape hatch works where the default cannot.
  RunResult movable = run(compile(guest_wasm("compute"), {"--no-fixed-memory"}), {}, preload);
  EXPECT_EQ(movable.exit_code, 0) << movable.err;
  EXPECT_EQ(movable.out, run(guest_native("compute"), {}).out);
}

}  // namespace
}  // namespace e2e
