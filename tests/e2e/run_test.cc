// wasixc run: compile through the cache, then run with the guest's
// arguments; run-time --dir/--env; wasixc cache --list/--clean; concurrent
// first runs compile once.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string fresh_cache(const std::string& name) {
  std::string dir = work_dir() + "/" + name;
  run("/bin/rm", {"-rf", dir});
  return dir;
}

TEST(Run, CompilesOnceThenRunsFromTheCache) {
  RunOptions opts;
  opts.env_add = {"WASIXC_CACHE_DIR=" + fresh_cache("cache-run")};
  RunResult first = run(wasixc_path(), {"run", "-v", guest_wasm("hello_args_env"), "a", "b c"}, opts);
  EXPECT_EQ(first.exit_code, 3) << first.err;  // hello_args_env exits with argc
  EXPECT_NE(first.out.find("argv[0] = \"" + guest_wasm("hello_args_env") + "\""), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("argv[2] = \"b c\""), std::string::npos) << first.out;
  EXPECT_NE(first.err.find("wasixc: compiled: "), std::string::npos) << first.err;
  // "--" ends wasixc's options; what follows is the guest's, options too.
  RunResult second = run(wasixc_path(), {"run", "-v", guest_wasm("hello_args_env"), "--", "-O0", "--dir"}, opts);
  EXPECT_EQ(second.exit_code, 3);
  EXPECT_NE(second.out.find("argv[1] = \"-O0\""), std::string::npos) << second.out;
  EXPECT_NE(second.err.find("wasixc: cached: "), std::string::npos) << second.err;
  // Options that change code are part of the key.
  RunResult o0 = run(wasixc_path(), {"run", "-v", "-O0", guest_wasm("hello_args_env")}, opts);
  EXPECT_NE(o0.err.find("wasixc: compiled: "), std::string::npos) << o0.err;
  RunResult list = run(wasixc_path(), {"cache", "--list"}, opts);
  EXPECT_EQ(lines(list.out).size(), 2u) << list.out;
  RunResult clean = run(wasixc_path(), {"cache", "--clean"}, opts);
  EXPECT_EQ(clean.exit_code, 0);
  EXPECT_TRUE(run(wasixc_path(), {"cache", "--list"}, opts).out.empty());
}

TEST(Run, DirAndEnvApplyAtRunTime) {
  std::string dir = work_dir() + "/run-mapped";
  mkdir(dir.c_str(), 0755);
  RunOptions opts;
  opts.env_add = {"WASIXC_CACHE_DIR=" + fresh_cache("cache-dir")};
  RunResult r = run(wasixc_path(), {"run", "--dir", dir + "::/sandbox", "--env", "WASIXC_E2E_A=from-run",
                                    guest_wasm("preopens")}, opts);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("fd 3: /sandbox"), std::string::npos) << r.out;
  RunResult e = run(wasixc_path(), {"run", "--env", "WASIXC_E2E_A=from-run", guest_wasm("hello_args_env")}, opts);
  EXPECT_NE(e.out.find("WASIXC_E2E_A=from-run"), std::string::npos) << e.out;
  // Both used the same cache entry per module: nothing baked in.
  RunResult list = run(wasixc_path(), {"cache", "--list"}, opts);
  EXPECT_EQ(lines(list.out).size(), 2u) << list.out;
}

TEST(Run, ConcurrentFirstRunsCompileOnce) {
  std::string cache = fresh_cache("cache-race");
  std::vector<pid_t> pids;
  std::string log = work_dir() + "/race-log";
  run("/bin/rm", {"-f", log});
  for (int i = 0; i < 4; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      setenv("WASIXC_CACHE_DIR", cache.c_str(), 1);
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, 2);
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      execl(wasixc_path().c_str(), "wasixc", "run", "-v", guest_wasm("compute").c_str(), (char*)nullptr);
      _exit(127);
    }
    pids.push_back(pid);
  }
  for (pid_t p : pids) {
    int status = 0;
    waitpid(p, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
  }
  RunResult cat = run("/bin/cat", {log});
  size_t compiled = 0, cached = 0;
  for (const std::string& l : lines(cat.out)) {
    compiled += l.find("wasixc: compiled: ") == 0;
    cached += l.find("wasixc: cached: ") == 0;
  }
  EXPECT_EQ(compiled, 1u) << cat.out;
  EXPECT_EQ(cached, 3u) << cat.out;
}

TEST(Run, BadUseIsAClearError) {
  RunResult none = run(wasixc_path(), {"run"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("run: no module"), std::string::npos) << none.err;
  RunResult missing = run(wasixc_path(), {"run", "/nonexistent.wasm"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("wasixc: error: /nonexistent.wasm"), std::string::npos) << missing.err;
  RunResult cache = run(wasixc_path(), {"cache", "--frobnicate"});
  EXPECT_EQ(cache.exit_code, 1);
}

}  // namespace
}  // namespace e2e
