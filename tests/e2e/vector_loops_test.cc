// Vectorising wasm loops (aot/llvm/address_iv_widening.cc,
// stream_versioning.cc): loops over arrays that do and do not overlap give
// the native build's results; the loops clang unrolled for wasm32 really
// are vectorised; the edges where widening a 32-bit address would change
// behaviour (a conditional access across the 4 GiB wrap, a walk off the
// end of memory, a memory of the full 4 GiB) behave as wasm says; and a
// memory that starts below 4 GiB stops one page short of it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness.h"

namespace e2e {
namespace {

TEST(VectorLoops, OverlappingAndDisjointArraysMatchNative) {
  for (const char* level : {"-O2", "-O3"}) {
    SCOPED_TRACE(level);
    RunResult wasm = run(compile(guest_wasm("vector_loops"), {level}), {});
    RunResult native = run(guest_native("vector_loops"), {});
    EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
    EXPECT_EQ(native.exit_code, 0);
    EXPECT_GT(lines(native.out).size(), 20u);
    EXPECT_EQ(wasm.out, native.out);
  }
}

// The IR of one function of --emit=ll output.
std::string function_ir(const std::string& ir, const std::string& name) {
  size_t begin = ir.find("@wasm_fn_" + name + "(");
  if (begin == std::string::npos) return "";
  begin = ir.rfind("\ndefine ", begin);
  size_t end = ir.find("\n}\n", begin);
  return ir.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

TEST(VectorLoops, UnrolledWasmLoopsAreVectorisedBehindAStreamCheck) {
  std::string ll = work_dir() + "/vector_loops.ll";
  RunResult r = run_wasixc({guest_wasm("vector_loops"), "--emit=ll", "-O2", "-o", ll});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::stringstream text;
  text << std::ifstream(ll).rdbuf();
  for (const char* loop : {"axpy", "add_int", "scale_bytes", "stencil", "matmul"}) {
    SCOPED_TRACE(loop);
    std::string ir = function_ir(text.str(), loop);
    ASSERT_FALSE(ir.empty());
    EXPECT_NE(ir.find("address.wide"), std::string::npos);  // 64-bit address IVs
    EXPECT_NE(ir.find("lver.check"), std::string::npos);    // versioned by stream
    EXPECT_NE(ir.find("vector.body"), std::string::npos);   // and vectorised
  }
}

struct EdgeCase {
  const char* name;
  int extra_args;  // the module's mode is its argument count
  int exit_code;
  const char* err_prefix;
};

TEST(VectorLoops, AddressWrapEdgesBehaveAsWasm) {
  const EdgeCase cases[] = {
      {"walk off the end", 1, 134, "wasixc: trap: out of bounds memory access"},
      {"conditional access across the wrap", 2, 12, ""},
      {"unrolled copy before its origin", 3, 134, "wasixc: trap: out of bounds memory access"},
      {"growing to 4 GiB stops a page short", 4, 42, ""},
  };
  for (const char* backend : {"--backend=llvm", "--backend=c"}) {
    std::string exe = compile(module_wasm("address_ivs"), {backend});
    for (const EdgeCase& c : cases) {
      SCOPED_TRACE(std::string(backend) + ": " + c.name);
      RunResult r = run(exe, std::vector<std::string>(c.extra_args, "x"));
      EXPECT_FALSE(r.signaled) << r.err;
      EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
      EXPECT_EQ(r.err.rfind(c.err_prefix, 0), 0u) << r.err;
    }
  }
}

TEST(VectorLoops, FullFourGibMemoryWrapsWithoutTrapping) {
  for (const char* backend : {"--backend=llvm", "--backend=c"}) {
    SCOPED_TRACE(backend);
    RunResult r = run(compile(module_wasm("full_memory"), {backend}), {});
    EXPECT_FALSE(r.signaled) << r.err;
    EXPECT_EQ(r.exit_code, 10) << r.err;
  }
}

}  // namespace
}  // namespace e2e
