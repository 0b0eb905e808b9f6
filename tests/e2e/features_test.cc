// Post-MVP features Rust's WASIX target enables (../shared/wasix-abi.md
// §1.4), from modules tests/e2e/modules/features.py writes (wat2wasm 1.0.32
// cannot write them): each compiled with both backends and run; wide
// arithmetic (lowered before wabt reads the module, aot/lowering/) with the
// llvm backend and refused by name by the C backend; memory64 and
// multi-memory refused by name.
#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

void expect_refusal(const RunResult& r, const std::string& message) {
  EXPECT_FALSE(r.signaled) << "wasixc died by signal " << r.term_signal;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, message) << r.err;
}

// multivalue, call-indirect-overlong, bulk-memory-opt, nontrapping-fptoint,
// sign-ext, reference-types: _start exits with the number of the first
// check that fails (see features.py), 0 when all pass.
TEST(Features, RustTargetDefaultsRunWithBothBackends) {
  for (const char* backend : {"--backend=llvm", "--backend=c"}) {
    std::string exe = compile(module_wasm("rust_features"), {backend});
    ASSERT_FALSE(exe.empty()) << backend;
    RunResult r = run(exe, {});
    EXPECT_FALSE(r.signaled) << backend << ": " << r.err;
    EXPECT_EQ(r.exit_code, 0) << backend << ": check " << r.exit_code << " failed (features.py)";
  }
}

TEST(Features, WideArithmeticRunsWithTheLlvmBackend) {
  for (const char* opt : {"-O0", "-O2"}) {
    std::string exe = compile(module_wasm("wide_arithmetic"), {opt});
    ASSERT_FALSE(exe.empty()) << opt;
    RunResult r = run(exe, {});
    EXPECT_FALSE(r.signaled) << opt << ": " << r.err;
    EXPECT_EQ(r.exit_code, 0) << opt << ": check " << r.exit_code << " failed (features.py)";
  }
}

TEST(Features, CBackendRefusesWideArithmeticByName) {
  std::string wasm = module_wasm("wide_arithmetic");
  expect_refusal(run_wasixc({wasm, "-o", work_dir() + "/wa-c", "--backend=c"}),
                 "wasixc: error: " + wasm +
                     ": the module uses wide arithmetic, which the C backend (wabt 1.0.32's C writer) cannot "
                     "compile; use the llvm backend\n");
}

TEST(Features, Memory64AndMultiMemoryAreRefusedByName) {
  for (const char* backend : {"--backend=llvm", "--backend=c"}) {
    std::string m64 = module_wasm("memory64"), multi = module_wasm("multi_memory");
    expect_refusal(run_wasixc({m64, "-o", work_dir() + "/m64", backend}),
                   "wasixc: error: " + m64 + ": the module uses memory64, which wasixc does not support yet\n");
    expect_refusal(run_wasixc({multi, "-o", work_dir() + "/mm", backend}),
                   "wasixc: error: " + multi + ": the module uses multi-memory, which wasixc does not support yet\n");
  }
}

}  // namespace
}  // namespace e2e
