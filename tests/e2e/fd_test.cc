// The fd family end to end: guests (tests/e2e/guests/fd_*.c) built with
// wasixc and natively must print the same, run the same way (stdin on a
// scratch file, a directory, a pipe, a terminal). Every test runs once per
// backend.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

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
            "pread into a bad buffer: 21\nwrite 12 buffers, one bad: 21\nwrite 12 buffers past the end: 21\n"
            "tty_get to a bad pointer: 21\nnext dup (nothing leaked): 3\n");
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

// execve keeps the table minus close-on-exec entries, numbers and shared
// offsets included: the wasixc guest execs a second wasixc-built image
// (itself, through a --dir mapping), the native build its native self.
TEST_P(FdTest, ExecKeepsTheFdTableExceptCloseOnExec) {
  std::string exe = build("fd_exec", {"--dir", work_dir() + "::/bin"});
  if (exe.empty()) return;
  std::string guest_child = "/bin/" + exe.substr(exe.rfind('/') + 1);
  std::string outputs[2], files[2];
  const std::string paths[2] = {exe, guest_native("fd_exec")};
  const std::string children[2] = {guest_child, guest_native("fd_exec")};
  for (int i = 0; i < 2; ++i) {
    std::string file = work_dir() + "/fd_exec-" + GetParam() + (i ? "-native" : "-wasm") + ".dat";
    std::ofstream(file, std::ios::trunc) << "";
    RunResult r = run_redirected(paths[i], {"parent", children[i]}, "0<>'" + file + "'");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    outputs[i] = r.out;
    files[i] = read_file(file);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(files[0], files[1]);
  EXPECT_NE(outputs[0].find("fd 3 open, FD_CLOEXEC 0\nfd 7 open, FD_CLOEXEC 0\nfd 9 open, FD_CLOEXEC 0\n"
                            "read fd 3 until EOF: through the pipe\n"),
            std::string::npos)
      << outputs[0];
  EXPECT_EQ(files[0], "parent;child;");
}

// The preopens (their mapping and name) travel with the table; a plain
// descriptor below a preopen does not hide it from wasi-libc's start-up
// scan (wasm only: natively there are no preopens).
TEST_P(FdTest, ExecHandsOverPreopens) {
  std::string data = work_dir() + "/fd_exec_data";
  mkdir(data.c_str(), 0755);
  std::string exe = build("fd_exec", {"--dir", work_dir() + "::/bin", "--dir", data + "::/data"});
  if (exe.empty()) return;
  RunResult r = run(exe, {"keep", "/bin/" + exe.substr(exe.rfind('/') + 1)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "fd 3: prestat 0 tag 1 name \"\" open 1\n"
            "fd 4: prestat 0 tag 0 name \"/data\" open 1\n"
            "fd 5: prestat 0 tag 0 name \"/dev\" open 1\n"  // the built-in /dev
            "fd 6: prestat 0 tag 0 name \"/\" open 1\n"     // the virtual "/" (no host fd)
            "fd 7: prestat 8 tag -1 name \"\" open 1\n");
}

// posix_spawn's file actions on the child's copy of the table: the child's
// stdout becomes a pipe, the pipe's own ends and close-on-exec copies are
// gone; a dup2 from a descriptor that is not open is the spawn's EBADF.
TEST_P(FdTest, SpawnFileActionsMatchNative) {
  std::string exe = build("fd_spawn", {"--dir", work_dir() + "::/bin"});
  if (exe.empty()) return;
  std::string guest_child = "/bin/" + exe.substr(exe.rfind('/') + 1);
  RunResult wasm = run(exe, {"parent", guest_child});
  RunResult native = run(guest_native("fd_spawn"), {"parent", guest_native("fd_spawn")});
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_EQ(wasm.out,
            "spawn: ok\nthe child wrote:\nfd 0 open\nfd 1 open\nfd 2 open\nfd 5 open\nchild exit 0\n"
            "spawn with dup2 from a closed fd: EBADF\n");
  // With an open action (the file: a guest path through the mapping, or
  // the host path natively); a missing file is the spawn's ENOENT.
  std::string file = "fd_spawn_opened.txt";
  std::ofstream(work_dir() + "/" + file) << "x";
  RunResult wasm_open = run(exe, {"parent", guest_child, "/bin/" + file});
  RunResult native_open = run(guest_native("fd_spawn"), {"parent", guest_native("fd_spawn"), work_dir() + "/" + file});
  EXPECT_EQ(wasm_open.exit_code, 0) << wasm_open.err;
  EXPECT_EQ(wasm_open.out, native_open.out);
  EXPECT_NE(wasm_open.out.find("fd 5 open\nfd 7 open\nchild exit 0\n"), std::string::npos) << wasm_open.out;
  EXPECT_NE(wasm_open.out.find("spawn opening a missing file: ENOENT\n"), std::string::npos) << wasm_open.out;
}

// chdir/fchdir actions (posix_spawn_file_actions_addchdir_np /
// addfchdir_np): the child starts in that directory, and a later open
// action's relative name resolves there; a missing directory is the
// spawn's ENOENT.
TEST_P(FdTest, SpawnChdirActionsMatchNative) {
  // Each backend (ctest runs them in parallel) and native get their own
  // directory for the guest's spawn_cwd.
  std::string dir = work_dir() + "/spawn-chdir-" + GetParam();
  std::string native_dir = dir + "-native";
  for (const std::string& d : {dir, native_dir}) {
    std::string rm = "rm -rf '" + d + "'";
    ASSERT_EQ(system(rm.c_str()), 0);
    ASSERT_EQ(mkdir(d.c_str(), 0755), 0);
  }
  std::string exe = build("fd_spawn", {"--dir", work_dir() + "::/bin", "--dir", dir + "::/w"});
  if (exe.empty()) return;
  std::string guest_child = "/bin/" + exe.substr(exe.rfind('/') + 1);
  RunResult wasm = run(exe, {"cwd", "/w", guest_child});
  RunResult native = run(guest_native("fd_spawn"), {"cwd", native_dir, guest_native("fd_spawn")});
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_EQ(wasm.out,
            "child cwd: spawn_cwd, fd 7: inside spawn_cwd\nspawn with chdir: ok\n"
            "child cwd: spawn_cwd, fd 7: inside spawn_cwd\nspawn with fchdir: ok\n"
            "spawn with chdir to a missing dir: ENOENT\n");
}

// isatty and the terminal's state (tty_get/tty_set) reflect the host: on a
// pty as natively, and on pipes no terminal at all.
TEST_P(FdTest, TerminalsMatchNative) {
  std::string exe = build("fd_tty");
  if (exe.empty()) return;
  RunOptions options;
  options.timeout_seconds = 30;
  RunResult wasm = run_on_pty(exe, {}, options);
  RunResult native = run_on_pty(guest_native("fd_tty"), {}, options);
  EXPECT_EQ(wasm.exit_code, 0) << wasm.out;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_EQ(wasm.out,
            "isatty: 1 1 1\r\nwindow 100x30 echo 1 line mode 1 onlcr 1\r\necho off: 0\r\n"
            "echo now 0, line mode 1\r\necho on: 0\r\necho now 1\r\n");
  RunResult piped = run(exe, {});
  RunResult piped_native = run(guest_native("fd_tty"), {});
  EXPECT_EQ(piped.out, piped_native.out);
  EXPECT_EQ(piped.out, "isatty: 0 0 0\nno terminal\nset echo: -1\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, FdTest, ::testing::Values("llvm", "c"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace e2e
