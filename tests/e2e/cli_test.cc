// The wasixc command line: usage, diagnostics for bad input (a clear
// "wasixc: error: ..." and exit status 1, never a crash), and what a
// produced executable links against.
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// wasixc exited 1 with exactly one diagnostic starting with `prefix`.
void expect_error(const RunResult& r, const std::string& prefix) {
  EXPECT_FALSE(r.signaled) << "wasixc died by signal " << r.term_signal;
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind(prefix, 0), 0u) << r.err;
}

TEST(Cli, HelpAndVersion) {
  RunResult help = run_wasixc({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: wasixc IN.wasm -o OUT"), std::string::npos);
  RunResult version = run_wasixc({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("wasixc ", 0), 0u);
}

TEST(Cli, UsageErrors) {
  expect_error(run_wasixc({}), "wasixc: error: no input file");
  expect_error(run_wasixc({guest_wasm("exit_code")}), "wasixc: error: no output file");
  expect_error(run_wasixc({"--frobnicate"}), "wasixc: error: unknown option '--frobnicate'");
  expect_error(run_wasixc({"a.wasm", "-o"}), "wasixc: error: -o needs a file name");
  expect_error(run_wasixc({"a.wasm", "-o", "x", "--backend=jvm"}), "wasixc: error: unknown backend 'jvm'");
  expect_error(run_wasixc({"a.wasm", "-o", "x", "--env", "NOEQUALS"}), "wasixc: error: bad --env");
}

TEST(Cli, MissingInputFile) {
  expect_error(run_wasixc({"/nonexistent.wasm", "-o", work_dir() + "/x"}),
               "wasixc: error: /nonexistent.wasm: cannot open: No such file or directory");
}

TEST(Cli, TruncatedModuleIsMalformed) {
  std::string whole = read_file(guest_wasm("exit_code"));
  ASSERT_GT(whole.size(), 1000u);
  std::string path = work_dir() + "/truncated.wasm";
  // Cut at several places: inside the header, a section, the code.
  for (size_t cut : {size_t{3}, size_t{9}, size_t{100}, whole.size() / 2, whole.size() - 1}) {
    SCOPED_TRACE(cut);
    write_file(path, whole.substr(0, cut));
    RunResult r = run_wasixc({path, "-o", work_dir() + "/truncated"});
    expect_error(r, "wasixc: error: " + path + ": malformed module: ");
    EXPECT_NE(r.err.find("(at byte offset 0x"), std::string::npos) << r.err;
  }
}

TEST(Cli, RandomBytesAreMalformed) {
  std::mt19937 rng(20261123);
  std::string path = work_dir() + "/random.wasm";
  for (int trial = 0; trial < 20; ++trial) {
    std::string bytes(1 + rng() % 4096, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    // Half the trials get a valid header, so the reader goes deeper.
    if (trial % 2) bytes.replace(0, std::min<size_t>(8, bytes.size()), std::string("\0asm\1\0\0\0", 8));
    write_file(path, bytes);
    RunResult r = run_wasixc({path, "-o", work_dir() + "/random"});
    SCOPED_TRACE(trial);
    expect_error(r, "wasixc: error: " + path + ": ");
    EXPECT_TRUE(r.err.find("malformed module") != std::string::npos ||
                r.err.find("invalid module") != std::string::npos) << r.err;
  }
}

TEST(Cli, EmptyFileIsMalformed) {
  std::string path = work_dir() + "/empty.wasm";
  write_file(path, "");
  expect_error(run_wasixc({path, "-o", work_dir() + "/empty"}),
               "wasixc: error: " + path + ": malformed module: ");
}

TEST(Cli, InvalidModuleGivesValidatorMessageAndOffset) {
  RunResult r = run_wasixc({module_wasm("invalid"), "-o", work_dir() + "/invalid"});
  expect_error(r, "wasixc: error: " + module_wasm("invalid") + ": invalid module: type mismatch in i32.add");
  EXPECT_NE(r.err.find("(at byte offset 0x"), std::string::npos) << r.err;
}

TEST(Cli, MissingImportsAreListedAll) {
  RunResult r = run_wasixc({module_wasm("missing_imports"), "-o", work_dir() + "/mi"});
  expect_error(r, "wasixc: error: " + module_wasm("missing_imports") +
                      ": 2 imports are not provided by wasixc:\n");
  EXPECT_NE(r.err.find("  env.not_provided (func (param i32) (result i64))\n"), std::string::npos);
  EXPECT_NE(r.err.find("  mylib.helper (func)\n"), std::string::npos);
  EXPECT_NE(r.err.find("--allow-missing-imports"), std::string::npos);
}

TEST(Cli, ImportWithWrongSignature) {
  RunResult r = run_wasixc({module_wasm("bad_signature"), "-o", work_dir() + "/bs"});
  expect_error(r, "wasixc: error: " + module_wasm("bad_signature") +
                      ": import wasi_snapshot_preview1.fd_write has type (func (param i32)), but "
                      "wasixc provides (func (param i32 i32 i32 i32) (result i32))");
}

TEST(Cli, CBackendRefusesThreadsAndSimdByName) {
  RunResult threads = run_wasixc({module_wasm("threads"), "-o", work_dir() + "/t", "--backend=c"});
  expect_error(threads, "wasixc: error: " + module_wasm("threads") +
                            ": the module uses threads (shared memory, atomics), which the C backend "
                            "(wabt 1.0.32's C writer) cannot compile; use the llvm backend");
  RunResult simd = run_wasixc({module_wasm("simd"), "-o", work_dir() + "/s", "--backend=c"});
  expect_error(simd, "wasixc: error: " + module_wasm("simd") + ": the module uses SIMD (v128), which the C backend");
}

TEST(Cli, LlvmBackendCompilesThreadsAndSimd) {
  RunResult threads = run_wasixc({module_wasm("threads"), "-o", work_dir() + "/t-llvm"});
  EXPECT_EQ(threads.exit_code, 0) << threads.err;
  EXPECT_EQ(run(work_dir() + "/t-llvm", {}).exit_code, 0);
  RunResult simd = run_wasixc({module_wasm("simd"), "-o", work_dir() + "/s-llvm"});
  EXPECT_EQ(simd.exit_code, 0) << simd.err;
  EXPECT_EQ(run(work_dir() + "/s-llvm", {}).exit_code, 0);
}

TEST(Cli, EmitObjectAndIr) {
  RunResult obj = run_wasixc({guest_wasm("exit_code"), "-o", work_dir() + "/ec.o", "--emit=obj"});
  EXPECT_EQ(obj.exit_code, 0) << obj.err;
  EXPECT_EQ(read_file(work_dir() + "/ec.o").substr(0, 4), "\x7f" "ELF");
  RunResult ll = run_wasixc({guest_wasm("exit_code"), "-o", work_dir() + "/ec.ll", "--emit=ll"});
  EXPECT_EQ(ll.exit_code, 0) << ll.err;
  EXPECT_NE(read_file(work_dir() + "/ec.ll").find("define internal i32 @wasm_fn_main("), std::string::npos);
  expect_error(run_wasixc({guest_wasm("exit_code"), "-o", "x", "--emit=ll", "--backend=c"}),
               "wasixc: error: --emit=ll needs the llvm backend");
}

TEST(Cli, ModuleWithoutEntryPoint) {
  for (const char* backend : {"--backend=llvm", "--backend=c"})
    expect_error(run_wasixc({module_wasm("no_entry"), "-o", work_dir() + "/ne", backend}),
                 "wasixc: error: " + module_wasm("no_entry") + ": exports neither _start");
}

TEST(Cli, VerboseAndSaveTemps) {
  std::string out = work_dir() + "/saved";
  RunResult r = run_wasixc({guest_wasm("exit_code"), "-o", out, "-v", "--save-temps", "--backend=c"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("wasixc: running: "), std::string::npos);
  struct stat st;
  EXPECT_EQ(stat((out + ".wasixc-temps/guest.c").c_str(), &st), 0);
  EXPECT_EQ(stat((out + ".wasixc-temps/glue.c").c_str(), &st), 0);
  EXPECT_EQ(run(out, {"9"}).exit_code, 9);
  RunResult l = run_wasixc({guest_wasm("exit_code"), "-o", out + "-llvm", "--save-temps"});
  EXPECT_EQ(l.exit_code, 0) << l.err;
  EXPECT_EQ(stat((out + "-llvm.wasixc-temps/guest.ll").c_str(), &st), 0);
  EXPECT_EQ(stat((out + "-llvm.wasixc-temps/guest.o").c_str(), &st), 0);
}

// A produced executable needs nothing beyond the C library: libuv, the
// runtime and libstdc++ are linked in, LLVM and wabt are not needed.
TEST(Cli, ExecutablesNeedOnlyLibcClassLibraries) {
  std::string exe = compile(guest_wasm("hello_args_env"));
  RunResult ldd = run("/usr/bin/ldd", {exe});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  const char* allowed[] = {"linux-vdso.so", "libc.so", "libm.so", "libpthread.so", "libdl.so",
                           "librt.so", "ld-linux-x86-64.so", "ld-linux-aarch64.so"};
  for (const std::string& line : lines(ldd.out)) {
    bool ok = false;
    for (const char* lib : allowed) ok |= line.find(lib) != std::string::npos;
    EXPECT_TRUE(ok) << "unexpected dependency: " << line;
  }
}

// The runtime archive is linked without its DWARF (libwasix/CMakeLists.txt)
// but with its symbols: a trap names the function from .symtab, perf
// resolves the runtime's functions.
TEST(Cli, ExecutablesKeepTheRuntimeSymbolsNotItsDebugInfo) {
  std::string exe = compile(guest_wasm("hello_args_env"));
  ASSERT_FALSE(exe.empty());
  RunResult sections = run("/usr/bin/readelf", {"-S", "-W", exe});
  ASSERT_EQ(sections.exit_code, 0) << sections.err;
  EXPECT_NE(sections.out.find(" .symtab "), std::string::npos) << sections.out;
  if (!RUNTIME_DEBUG_INFO) EXPECT_EQ(sections.out.find(" .debug_info "), std::string::npos) << sections.out;
  RunResult symbols = run("/usr/bin/nm", {"-C", exe});
  ASSERT_EQ(symbols.exit_code, 0) << symbols.err;
  EXPECT_NE(symbols.out.find(" wasixc::wasi::path_open("), std::string::npos);
  EXPECT_NE(symbols.out.find(" wasm_fn_main"), std::string::npos);
}

// Glue compiled against another runtime ABI version must not link: rebuild
// wasixc's own glue.c with an abi.h whose version differs.
TEST(Cli, AbiMismatchFailsAtLinkTime) {
  std::string out = work_dir() + "/abi";
  RunResult r = run_wasixc({guest_wasm("exit_code"), "-o", out, "--save-temps", "--backend=c"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string temps = out + ".wasixc-temps";
  std::string abi = read_file(std::string(RUNTIME_DIR) + "/include/wasixc/abi.h");
  const std::string stamp = "#define WASIXC_ABI_STAMP wasixc_runtime_abi_v";
  size_t at = abi.find(stamp);
  ASSERT_NE(at, std::string::npos);
  abi.replace(at, abi.find('\n', at) - at, stamp + "999");
  mkdir((temps + "/other-abi").c_str(), 0755);
  mkdir((temps + "/other-abi/wasixc").c_str(), 0755);
  write_file(temps + "/other-abi/wasixc/abi.h", abi);
  RunResult cc = run(CLANG19, {"-c", "-I" + temps + "/other-abi",
                               "-I" + std::string(RUNTIME_DIR) + "/include/c_backend", "-I" + temps,
                               temps + "/glue.c", "-o", temps + "/glue-other-abi.o"});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
  RunResult link = run(CLANG19, {"--driver-mode=g++", "-fuse-ld=lld", "-o", out + "-other-abi",
                                 temps + "/guest.o", temps + "/glue-other-abi.o", RUNTIME_ARCHIVE,
                                 std::string(RUNTIME_DIR) + "/libuv_a.a", "-lpthread", "-ldl", "-lm"});
  EXPECT_NE(link.exit_code, 0);
  EXPECT_NE(link.err.find("undefined symbol: wasixc_runtime_abi_v999"), std::string::npos) << link.err;
}

}  // namespace
}  // namespace e2e
