// SIMD128 and relaxed SIMD (aot/llvm/emit_simd.cc) end to end: an
// auto-vectorised C program (clang -O2 -msimd128) against its native
// build, an intrinsics program (wasm_simd128.h) against its scalar twin,
// both at the baseline CPU and at --cpu=native; malformed SIMD input is a
// clean error. The lane semantics instruction by instruction are the spec
// suite's (ctest spec_simd).
#include <gtest/gtest.h>

#include <fstream>

#include "harness.h"

namespace e2e {
namespace {

// The intrinsics guest takes ~8 s of CPU to compile (a hundred vector
// loops): on a loaded machine longer than harness.h's compile() waits.
std::string compile_slowly(const std::string& guest, const std::vector<std::string>& flags) {
  std::string exe = work_dir() + "/" + guest + (flags.empty() ? "" : flags[0]) + ".exe";
  std::vector<std::string> args = {guest_wasm(guest), "-o", exe};
  args.insert(args.end(), flags.begin(), flags.end());
  RunOptions opts;
  opts.timeout_seconds = 900;
  RunResult r = run(wasixc_path(), args, opts);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? exe : "";
}

void expect_same_as_native(const std::string& guest, const std::vector<std::string>& flags) {
  SCOPED_TRACE(guest + (flags.empty() ? "" : " " + flags[0]));
  std::string exe = compile_slowly(guest, flags);
  ASSERT_FALSE(exe.empty());
  RunResult wasm = run(exe, {});
  RunResult native = run(guest_native(guest), {});
  EXPECT_FALSE(wasm.signaled) << wasm.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(native.exit_code, 0);
  EXPECT_EQ(wasm.err, "");
  EXPECT_GT(lines(native.out).size(), 30u);  // the program really reported
  EXPECT_EQ(wasm.out, native.out);
}

// The guest really is SIMD code: the C backend (which cannot translate it)
// names the proposals it uses.
void expect_uses(const std::string& guest, const std::vector<std::string>& features) {
  RunResult r = run_wasixc({guest_wasm(guest), "-o", work_dir() + "/" + guest + "-c", "--backend=c"});
  EXPECT_EQ(r.exit_code, 1);
  for (const std::string& f : features) EXPECT_NE(r.err.find(f), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("use the llvm backend"), std::string::npos) << r.err;
}

TEST(Simd, AutoVectorisedProgramMatchesNative) {
  expect_uses("simd_autovec", {"the module uses SIMD (v128)"});
  expect_same_as_native("simd_autovec", {});
  expect_same_as_native("simd_autovec", {"--cpu=native"});
}

TEST(Simd, IntrinsicsMatchTheScalarTwin) {
  expect_uses("simd_intrinsics", {"SIMD (v128)", "relaxed SIMD"});
  expect_same_as_native("simd_intrinsics", {});
  expect_same_as_native("simd_intrinsics", {"--cpu=native"});
  expect_same_as_native("simd_intrinsics", {"-O0"});
}

// ---- malformed and invalid SIMD code ---------------------------------------

std::string leb(size_t v) {
  std::string out;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out += static_cast<char>(byte | (v ? 0x80 : 0));
  } while (v);
  return out;
}
std::string section(char id, const std::string& payload) { return std::string(1, id) + leb(payload.size()) + payload; }

// A command module whose _start has `body` (without the locals count and
// end), with one page of memory.
std::string module_with_body(const std::string& body) {
  std::string m("\0asm\1\0\0\0", 8);
  m += section(1, std::string("\x01\x60\x00\x00", 4));
  m += section(3, std::string("\x01\x00", 2));
  m += section(5, std::string("\x01\x00\x01", 3));
  m += section(7, std::string("\x01\x06_start\x00\x00", 10));
  std::string code = std::string(1, '\0') + body + "\x0b";
  m += section(10, "\x01" + leb(code.size()) + code);
  return m;
}

std::string v128_zero() { return std::string("\xfd\x0c", 2) + std::string(16, '\0'); }

TEST(Simd, MalformedSimdCodeIsAnErrorNotACrash) {
  struct Case {
    const char* what;
    std::string body;
  } cases[] = {
      {"extract_lane index 16", v128_zero() + std::string("\xfd\x15\x10\x1a", 4)},
      {"replace_lane index 16", v128_zero() + std::string("\x41\x00\xfd\x17\x10\x1a", 6)},
      {"load lane index 2 of i64x2", std::string("\x41\x00", 2) + v128_zero() + std::string("\xfd\x57\x03\x00\x02\x1a", 6)},
      {"shuffle lane 32", v128_zero() + v128_zero() + std::string("\xfd\x0d", 2) + std::string(15, '\0') + "\x20\x1a"},
      {"v128.load aligned past its size", std::string("\x41\x00\xfd\x00\x05\x00\x1a", 7)},
      {"unknown SIMD opcode", std::string("\xfd\xff\x03", 3)},
      {"truncated v128.const", std::string("\xfd\x0c\x01\x02", 4)},
      {"i32x4.add on an i32", std::string("\x41\x00", 2) + v128_zero() + std::string("\xfd\xae\x01\x1a", 4)},
      {"splat of a v128", v128_zero() + std::string("\xfd\x11\x1a", 3)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::string path = work_dir() + "/bad-simd.wasm";
    std::ofstream(path, std::ios::binary) << module_with_body(c.body);
    for (const char* backend : {"--backend=llvm", "--backend=c"}) {
      RunResult r = run_wasixc({path, "-o", work_dir() + "/bad-simd", backend});
      EXPECT_FALSE(r.signaled) << r.err;
      EXPECT_EQ(r.exit_code, 1) << r.err;
      EXPECT_EQ(r.err.rfind("wasixc: error: ", 0), 0u) << r.err;
      EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    }
  }
  // The same frame with a valid body compiles and runs: the cases above
  // fail for their SIMD flaw alone.
  std::string path = work_dir() + "/good-simd.wasm";
  std::ofstream(path, std::ios::binary) << module_with_body(v128_zero() + std::string("\xfd\x15\x0f\x1a", 4));
  RunResult ok = run_wasixc({path, "-o", work_dir() + "/good-simd"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(run(work_dir() + "/good-simd", {}).exit_code, 0);
}

}  // namespace
}  // namespace e2e
