// The fd family end to end: guests (tests/e2e/guests/fd_*.c) built with
// wasixc and natively must print the same, run the same way (stdin on a
// scratch file, a directory, a pipe, a terminal). Every test runs once per
// backend.
#include <fcntl.h>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class FdTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string build(const std::string& guest, std::vector<std::string> extra = {}) {
    std::vector<std::string> flags = {"--backend=" + GetParam()};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return compile(guest_wasm(guest), flags);
  }

  // Runs `exe args` with its stdin opened by the shell as `redirect`
  // ("0<>FILE", "0<DIR", "0<&-"): the same descriptor natively and under
  // wasixc, whatever the harness's own stdin is.
  RunResult run_redirected(const std::string& exe, const std::vector<std::string>& args,
                           const std::string& redirect) {
    std::vector<std::string> sh_args = {"-c", "exec \"$0\" \"$@\" " + redirect, exe};
    sh_args.insert(sh_args.end(), args.begin(), args.end());
    return run("/bin/sh", sh_args);
  }

  // The wasixc build and the native build of `guest`, each on a fresh
  // scratch file holding `content` as stdin (read-write); their output,
  // status and the file afterwards must be the same. Returns the wasixc run.
  RunResult expect_same_on_file(const std::string& guest, const std::vector<std::string>& args,
                                const std::string& content = "") {
    std::string exe = build(guest);
    if (exe.empty()) return {};
    std::string results[2];
    RunResult runs[2];
    const std::string paths[2] = {exe, guest_native(guest)};
    for (int i = 0; i < 2; ++i) {
      std::string file = work_dir() + "/" + guest + "-" + GetParam() + (i ? "-native" : "-wasm") + ".dat";
      std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
      runs[i] = run_redirected(paths[i], args, "0<>'" + file + "'");
      results[i] = read_file(file);
    }
    EXPECT_FALSE(runs[0].signaled) << runs[0].err;
    EXPECT_EQ(runs[0].exit_code, runs[1].exit_code) << runs[0].err;
    EXPECT_EQ(runs[0].out, runs[1].out);
    EXPECT_EQ(runs[0].err, runs[1].err);
    EXPECT_EQ(results[0], results[1]);
    return runs[0];
  }

  // Both builds with the same redirection; same output and status
  // (signals included). Returns the wasixc run.
  RunResult expect_same(const std::string& guest, const std::vector<std::string>& args,
                        const std::string& redirect = "") {
    std::string exe = build(guest);
    if (exe.empty()) return {};
    RunResult wasm = run_redirected(exe, args, redirect);
    RunResult native = run_redirected(guest_native(guest), args, redirect);
    EXPECT_EQ(wasm.signaled, native.signaled) << wasm.err;
    EXPECT_EQ(wasm.term_signal, native.term_signal);
    EXPECT_EQ(wasm.exit_code, native.exit_code) << wasm.err;
    EXPECT_EQ(wasm.out, native.out);
    EXPECT_EQ(wasm.err, native.err);
    return wasm;
  }
};

TEST_P(FdTest, FileCallsAndDupMatchNative) {
  RunResult r = expect_same_on_file("fd_file", {"file"});
  // Not vacuous: the calls did what they say.
  EXPECT_NE(r.out.find("pread at 2: 5\n  read \"lXY w\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("F_DUPFD_CLOEXEC 100: 102\n  its FD_CLOEXEC: 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[via stdout]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("atime 1000.500 mtime 2000.700"), std::string::npos) << r.out;
}

// The rules only raw calls reach, and hostile pointers (WASI errno values:
// 28 EINVAL, 76 ENOTCAPABLE, 21 EFAULT).
TEST_P(FdTest, RawCallsFollowTheSpecAndRefuseBadPointers) {
  std::string exe = build("fd_file");
  std::string file = work_dir() + "/fd_raw-" + GetParam() + ".dat";
  std::ofstream(file, std::ios::trunc) << "data";
  RunResult r = run_redirected(exe, {"raw"}, "0<>'" + file + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ATIM and ATIM_NOW: 28\nMTIM and MTIM_NOW: 28\nMTIM_NOW: 0\nunknown fstflags: 28\n"
            "unknown fdflags: 28\nsync fdflags ignored, as Linux F_SETFL: 0\nseek right on a file: 1\n"
            "drop the write right: 0\nwrite without it: 76\ntake it back: 76\nwrite right now: 0\n"
            "renumber onto itself: 0\nrenumber a closed fd onto itself: 8\nfd_dup2 min past the limit: 28\n"
            "fd_event bad flags: 28\nfd_event initial > UINT_MAX: 28\nfd_pipe to a bad pointer: 21\n"
            "fd_dup to a bad pointer: 21\nfd_event to a bad pointer: 21\nfd_filestat_get to a bad pointer: 21\n"
            "pread into a bad buffer: 21\ntty_get to a bad pointer: 21\nnext dup (nothing leaked): 3\n");
  EXPECT_EQ(read_file(file), "data");
}

TEST_P(FdTest, DirectoryAndClosedStdinMatchNative) {
  RunResult dir = expect_same("fd_file", {"dir"}, "0<'" + work_dir() + "'");
  EXPECT_NE(dir.out.find("read a directory: -1 EISDIR"), std::string::npos) << dir.out;
  RunResult closed = expect_same("fd_file", {"closed"}, "0<&-");
  EXPECT_NE(closed.out.find("read closed stdin: -1 EBADF"), std::string::npos) << closed.out;
}

TEST_P(FdTest, PipeBetweenParentAndForkedChildMatchesNative) {
  RunResult r = expect_same_on_file("fd_pipe", {"fork"});
  EXPECT_NE(r.out.find("line 2 from the child\nchild exit 5\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("file: parent;child;parent again;"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("seek a pipe: -1 ESPIPE"), std::string::npos) << r.out;
}

TEST_P(FdTest, NonBlockingPipesMatchNative) {
  RunResult r = expect_same("fd_pipe", {"nonblock"});
  EXPECT_NE(r.out.find("read an empty pipe: -1 EAGAIN"), std::string::npos) << r.out;
}

TEST_P(FdTest, BrokenPipesMatchNative) {
  RunResult killed = expect_same("fd_pipe", {"sigpipe", "default"});
  EXPECT_TRUE(killed.signaled);
  EXPECT_EQ(killed.term_signal, SIGPIPE);
  RunResult ignored = expect_same("fd_pipe", {"sigpipe", "ignore"});
  EXPECT_NE(ignored.out.find("write with no reader: -1 EPIPE\nhandler saw signal 0"), std::string::npos)
      << ignored.out;
  RunResult handled = expect_same("fd_pipe", {"sigpipe", "handler"});
  EXPECT_NE(handled.out.find("write with no reader: -1 EPIPE\nhandler saw signal 13"), std::string::npos)
      << handled.out;
}

TEST_P(FdTest, EventfdMatchesNative) {
  RunResult r = expect_same("fd_pipe", {"eventfd"});
  EXPECT_NE(r.out.find("counter 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("semaphore read 2: EAGAIN"), std::string::npos) << r.out;
}

TEST_P(FdTest, PollOverAPipeAndATimeoutMatchesNative) {
  RunResult r = expect_same("fd_pipe", {"poll"});
  EXPECT_NE(r.out.find("readable 1 after >= 80 ms: 1, before the 5 s timeout: 1"), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, FdTest, ::testing::Values("llvm", "c"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace e2e
