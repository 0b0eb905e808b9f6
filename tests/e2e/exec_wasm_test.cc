// Exec and spawn of .wasm programs by guest path (kernel/wasm_program.h):
// compiled on demand through the cache, then run in the same sandbox.
// The guest (guests/exec_wasm.c) also builds natively, where main.wasm and
// prog.wasm are the native build of guests/exec_target.c: outputs and exit
// codes must match. Each test has its own cache (XDG_CACHE_HOME in a
// fresh directory), so no state is shared.
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

double seconds_now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

void write_file(const std::string& path, const std::string& bytes, mode_t mode = 0755) {
  { std::ofstream(path, std::ios::binary) << bytes; }
  chmod(path.c_str(), mode);
}

bool exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// The cache entries (.exe) and leftovers (.tmp*) in a cache directory.
std::vector<std::string> cache_files(const std::string& dir, const std::string& what) {
  RunResult ls = run("/bin/ls", {"-a", dir});
  std::vector<std::string> out;
  for (const std::string& f : lines(ls.out))
    if (f.find(what) != std::string::npos) out.push_back(f);
  return out;
}

// A fresh layout: T/root (mapped as the guest's /) with bin/main.wasm and
// bin/prog.wasm (exec_target.wasm), T/native/bin with the native build
// under the same names, T/cache the XDG cache home.
struct Layout {
  std::string top, root, native_bin, cache;

  explicit Layout(const std::string& name) {
    top = work_dir() + "/exec-wasm-" + name;
    run("/bin/rm", {"-rf", top});
    root = top + "/root";
    native_bin = top + "/native/bin";
    cache = top + "/cache";
    run("/bin/mkdir", {"-p", root + "/bin", native_bin, cache});
    std::string wasm = read_file(guest_wasm("exec_target")), native = read_file(guest_native("exec_target"));
    for (const char* n : {"main.wasm", "prog.wasm"}) {
      write_file(root + "/bin/" + n, wasm);
      write_file(native_bin + "/" + n, native);
    }
  }
  std::string cache_dir() const { return cache + "/wasixc"; }

  RunOptions wasm_options() const {
    RunOptions o;
    o.argv0 = "exec_wasm";
    o.env_add = {"WASIXC_DIRS=" + root + "::/", "XDG_CACHE_HOME=" + cache};
    o.env_remove = {"WASIXC_CACHE_DIR", "WASIXC_COMPILER"};
    return o;
  }
  RunOptions native_options() const {
    RunOptions o;
    o.argv0 = "exec_wasm";
    return o;
  }
};

std::string guest() {
  static std::string exe = compile(guest_wasm("exec_wasm"));
  return exe;
}

TEST(ExecWasm, RelativeExecOfMainWasmAsNatively) {
  ASSERT_FALSE(guest().empty());
  Layout l("exec");
  double t0 = seconds_now();
  RunResult first = run(guest(), {"exec", "/bin"}, l.wasm_options());
  double t1 = seconds_now();
  RunResult second = run(guest(), {"exec", "/bin"}, l.wasm_options());
  double t2 = seconds_now();
  RunResult native = run(guest_native("exec_wasm"), {"exec", l.native_bin}, l.native_options());
  EXPECT_EQ(native.out, "target main.wasm: [from exec] EXEC_WASM_VAR=(unset)\n");
  EXPECT_EQ(native.exit_code, 3);
  for (const RunResult* r : {&first, &second}) {
    EXPECT_EQ(r->out, native.out) << r->err;
    EXPECT_EQ(r->exit_code, native.exit_code) << r->err;
  }
  EXPECT_EQ(cache_files(l.cache_dir(), ".exe").size(), 1u);
  printf("[ timing ] exec of main.wasm: first run (compiles) %.3f s, cached run %.3f s\n", t1 - t0, t2 - t1);
  RecordProperty("first_exec_seconds", std::to_string(t1 - t0));
  RecordProperty("cached_exec_seconds", std::to_string(t2 - t1));
}

TEST(ExecWasm, SpawnpThroughPathAsNatively) {
  ASSERT_FALSE(guest().empty());
  Layout l("spawnp");
  RunResult wasm = run(guest(), {"spawnp", "/bin"}, l.wasm_options());
  RunResult native = run(guest_native("exec_wasm"), {"spawnp", l.native_bin}, l.native_options());
  EXPECT_EQ(native.out,
            "target prog.wasm: [from spawnp] EXEC_WASM_VAR=inherited\nspawnp: ok\n"
            "parent: joined the child, exit code 3\n");
  EXPECT_EQ(wasm.out, native.out) << wasm.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
}

// A child made by vfork(2) or by fork with an environment (guests/
// exec_wasm.c modes FORK-exec and FORK-exit), then an exec or an exit.
class ExecWasmFork : public ::testing::TestWithParam<std::string> {};

TEST_P(ExecWasmFork, ThenExecOrExitAsNatively) {
  ASSERT_FALSE(guest().empty());
  Layout l(GetParam());
  for (const std::string& mode : {GetParam() + "-exec", GetParam() + "-exit"}) {
    SCOPED_TRACE(mode);
    RunResult wasm = run(guest(), {mode, "/bin"}, l.wasm_options());
    RunResult native = run(guest_native("exec_wasm"), {mode, l.native_bin}, l.native_options());
    EXPECT_FALSE(native.out.empty());
    EXPECT_EQ(wasm.out, native.out) << wasm.err;
    EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Calls, ExecWasmFork, ::testing::Values("vfork", "fork-env"),
                         [](const auto& info) {
                           return info.param == "vfork" ? std::string("vfork") : std::string("fork_env");
                         });

TEST(ExecWasm, ForkEnvInAForkEnvChildIsRefused) {
  ASSERT_FALSE(guest().empty());
  Layout l("forkenv-nested");
  RunResult nested = run(guest(), {"fork-env-nested"}, l.wasm_options());
  EXPECT_EQ(nested.out, "nested: ENOTSUP\nparent: joined the child, exit code 0\n") << nested.err;
}

// A copy of the build's driver beside a compiler that logs each run (a
// script that then runs the real one), found through WASIXC_COMPILER.
struct CountingCompiler {
  std::string driver, log;
  explicit CountingCompiler(const Layout& l) {
    std::string bin = l.top + "/inst/bin", lib = l.top + "/inst/lib/wasixc";
    run("/bin/mkdir", {"-p", bin, lib});
    driver = bin + "/wasixc";
    log = l.top + "/compiles.log";
    write_file(driver, read_file(wasixc_path()));
    std::string real_lib = wasixc_path().substr(0, wasixc_path().rfind('/')) + "/../lib/wasixc";
    write_file(lib + "/wasixc-compiler",
               "#!/bin/sh\necho compile >> '" + log + "'\nexec '" + real_lib + "/wasixc-compiler' \"$@\"\n");
    symlink((real_lib + "/libwasixc_rt.a").c_str(), (lib + "/libwasixc_rt.a").c_str());
  }
  size_t compiles() const { return lines(read_file(log)).size(); }
};

TEST(ExecWasm, ConcurrentFirstExecsCompileOnce) {
  ASSERT_FALSE(guest().empty());
  Layout l("race");
  CountingCompiler counting(l);
  RunOptions o = l.wasm_options();
  o.env_add.push_back("WASIXC_COMPILER=" + counting.driver);
  RunResult r = run(guest(), {"race", "/bin", "4"}, o);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("race: 4 of 4 ran"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(counting.compiles(), 1u);
  EXPECT_EQ(cache_files(l.cache_dir(), ".exe").size(), 1u);
  EXPECT_TRUE(cache_files(l.cache_dir(), ".tmp").empty());
  // A second program run finds it compiled.
  RunResult again = run(guest(), {"exec", "/bin"}, o);
  EXPECT_EQ(again.exit_code, 3) << again.err;
  EXPECT_EQ(counting.compiles(), 1u);
}

TEST(ExecWasm, WasmThroughASymlinkOutOfTheMappingIsENOENT) {
  ASSERT_FALSE(guest().empty());
  Layout l("symlink");
  std::string outside = l.top + "/outside";
  run("/bin/mkdir", {"-p", outside});
  write_file(outside + "/evil.wasm", read_file(guest_wasm("exec_target")));
  symlink((outside + "/evil.wasm").c_str(), (l.root + "/bin/absolute.wasm").c_str());
  symlink("../../outside/evil.wasm", (l.root + "/bin/relative.wasm").c_str());
  for (const char* name : {"/bin/absolute.wasm", "/bin/relative.wasm", "/../outside/evil.wasm"}) {
    RunResult r = run(guest(), {"try", name}, l.wasm_options());
    EXPECT_EQ(r.out, std::string("exec ") + name + ": ENOENT\n") << r.err;
  }
  EXPECT_TRUE(cache_files(l.cache_dir(), ".exe").empty());  // nothing was compiled
}

TEST(ExecWasm, GuestEnvironmentDoesNotSteerTheCompiler) {
  ASSERT_FALSE(guest().empty());
  Layout l("env");
  std::string marker = l.top + "/evil-ran", guest_cache = l.top + "/guest-cache";
  std::string evil = l.top + "/evil.sh";
  write_file(evil, "#!/bin/sh\ntouch '" + marker + "'\nexit 1\n");
  RunResult r = run(guest(),
                    {"try", "/bin/main.wasm", "WASIXC_COMPILER=" + evil, "LD_PRELOAD=" + l.top + "/evil.so",
                     "WASIXC_CACHE_DIR=" + guest_cache, "XDG_CACHE_HOME=" + guest_cache, "PATH=" + l.top,
                     "WASIXC_RUNTIME_DIR=" + l.top, "EXEC_WASM_VAR=guest"},
                    l.wasm_options());
  // The guest's variables reach the new guest, and nothing else.
  EXPECT_EQ(r.out, "target main.wasm: [tried] EXEC_WASM_VAR=guest\n") << r.err;
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(exists(marker));
  EXPECT_FALSE(exists(guest_cache));
  EXPECT_EQ(r.err.find("preload"), std::string::npos) << r.err;
  EXPECT_EQ(cache_files(l.cache_dir(), ".exe").size(), 1u);  // the user's cache
}

// A guest that can write in the compile cache could plant a native
// program under a module's key: refused while the cache lies inside a
// writable mapping; a read-only mapping of it is fine.
TEST(ExecWasm, CacheInsideAWritableMappingIsRefused) {
  ASSERT_FALSE(guest().empty());
  Layout l("cache-mapped");
  RunOptions o = l.wasm_options();
  o.env_add[0] = "WASIXC_DIRS=" + l.top + "::/";
  RunResult r = run(guest(), {"try", "/root/bin/main.wasm"}, o);
  EXPECT_EQ(r.out, "exec /root/bin/main.wasm: ENOEXEC\n");
  EXPECT_NE(r.err.find("lies in a directory mapped writable for the guest"), std::string::npos) << r.err;
  EXPECT_TRUE(cache_files(l.cache_dir(), ".exe").empty());
  o.env_add[0] = "WASIXC_DIRS=" + l.top + "::/:ro";
  RunResult ro = run(guest(), {"try", "/root/bin/main.wasm"}, o);
  EXPECT_EQ(ro.out, "target main.wasm: [tried] EXEC_WASM_VAR=(unset)\n") << ro.err;
  // Through a symlinked spelling of the cache's directory, too.
  symlink((l.top + "/cache").c_str(), (l.top + "/cache-link").c_str());
  o.env_add = {"WASIXC_DIRS=" + l.top + "::/", "XDG_CACHE_HOME=" + l.top + "/cache-link"};
  RunResult link = run(guest(), {"try", "/root/bin/main.wasm"}, o);
  EXPECT_EQ(link.out, "exec /root/bin/main.wasm: ENOEXEC\n") << link.err;
}

TEST(ExecWasm, BadModuleIsENOEXECWithTheCompilersMessage) {
  ASSERT_FALSE(guest().empty());
  Layout l("bad");
  write_file(l.root + "/bin/bad.wasm", std::string("\0asm\1\0\0\0\1\xff\xff", 11));
  RunResult r = run(guest(), {"try", "/bin/bad.wasm"}, l.wasm_options());
  EXPECT_EQ(r.out, "exec /bin/bad.wasm: ENOEXEC\n");
  EXPECT_NE(r.err.find("wasixc: error: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("wasixc: cannot run /bin/bad.wasm: the WebAssembly module could not be compiled"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(cache_files(l.cache_dir(), ".exe").empty());
  EXPECT_TRUE(cache_files(l.cache_dir(), ".tmp").empty());  // no copy or half-written file left
}

TEST(ExecWasm, NoCompilerIsENOEXECWithAOneLineMessage) {
  ASSERT_FALSE(guest().empty());
  Layout l("nocompiler");
  RunOptions o = l.wasm_options();
  o.env_add.push_back("WASIXC_COMPILER=" + l.top + "/no-such-wasixc");
  RunResult r = run(guest(), {"try", "/bin/main.wasm"}, o);
  EXPECT_EQ(r.out, "exec /bin/main.wasm: ENOEXEC\n");
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("wasixc: cannot run /bin/main.wasm: it is a WebAssembly module and WASIXC_COMPILER="),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace e2e
