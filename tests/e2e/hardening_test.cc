// Sandbox escapes an attacker tried, each kept as a test (issue 9):
// a reused pid, the dynamic loader steered through a guest's environment,
// inherited ignored signals, a wasix-libc start-up meeting SIGCHLD, and a
// safepoint that clobbers registers.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// Reads `fd` to EOF.
std::string read_all(int fd) {
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) text.append(buf, static_cast<size_t>(n));
  return text;
}

// Forks a process that sleeps, placed on `pid` through ns_last_pid (Linux
// allocates last+1 next). Returns it, or -1 if another process won the pid
// every time.
pid_t occupy_pid(pid_t pid) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    std::string last = std::to_string(pid - 1);
    bool written = write(fd, last.data(), last.size()) == static_cast<ssize_t>(last.size());
    close(fd);
    if (!written) return -1;
    pid_t got = fork();
    if (got == 0) {
      execl("/bin/sleep", "sleep", "30", (char*)nullptr);
      _exit(127);
    }
    if (got == pid) return got;
    kill(got, SIGKILL);
    waitpid(got, nullptr, 0);
  }
  return -1;
}

// The root of a sandbox exits; an orphaned member keeps sending SIGTERM to
// the root's pid, which the test hands to an unrelated process. Membership
// is not the pid: every send is refused and the unrelated process lives.
TEST(Hardening, OrphanCannotSignalTheDeadRootsReusedPid) {
  if (access("/proc/sys/kernel/ns_last_pid", W_OK) != 0)
    GTEST_SKIP() << "/proc/sys/kernel/ns_last_pid is not writable (needs root): cannot force pid reuse";
  std::string exe = compile(guest_wasm("sandbox_identity"));
  ASSERT_FALSE(exe.empty());
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t root = fork();
  if (root == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execl(exe.c_str(), "sandbox_identity", "orphan", (char*)nullptr);
    _exit(127);
  }
  close(out[1]);
  char line[64] = {};
  ssize_t n = read(out[0], line, sizeof line - 1);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(line, n), "root " + std::to_string(root) + "\n");
  int status = 0;
  ASSERT_EQ(waitpid(root, &status, 0), root);  // reaped: its pid is free
  pid_t victim = occupy_pid(root);
  if (victim < 0) {
    close(out[0]);
    GTEST_SKIP() << "could not place a process on pid " << root << " (other processes took it)";
  }
  std::string rest = read_all(out[0]);  // EOF: the orphan has finished
  close(out[0]);
  EXPECT_NE(rest.find("orphan: delivered 0 refused 100 other 0; still a member itself: yes"), std::string::npos)
      << rest;
  EXPECT_EQ(waitpid(victim, &status, WNOHANG), 0) << "the unrelated process on the reused pid was killed";
  kill(victim, SIGKILL);
  waitpid(victim, nullptr, 0);
}

// A guest spawns and execs a wasixc-built program with LD_PRELOAD,
// LD_AUDIT and LD_LIBRARY_PATH naming a library it "wrote" (the test
// builds one whose constructor creates a marker file), plus glibc's and
// wasixc's own variables. None reaches the new image's host side: no
// marker, no trace output; the new guest still sees all of them.
TEST(Hardening, GuestEnvironmentDoesNotSteerTheHostOfANewImage) {
  std::string dir = work_dir() + "/env-escape";
  mkdir(dir.c_str(), 0755);
  std::string marker = dir + "/constructor-ran";
  std::string lib = dir + "/evil.so";
  std::string source = dir + "/evil.c";
  std::ofstream(source) << "#include <fcntl.h>\n#include <unistd.h>\n"
                           "__attribute__((constructor)) static void ran(void) {\n"
                           "  int fd = open(\"" << marker << "\", O_CREAT | O_WRONLY, 0644);\n"
                           "  if (fd >= 0) close(fd);\n}\n"
                           "unsigned la_version(unsigned v) { return v; }\n";
  RunResult cc = run(CLANG19, {"-shared", "-fPIC", "-O1", source, "-o", lib});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
  // The library works: a host program run with it writes the marker.
  RunResult probe = run("/bin/true", {}, {.env_add = {"LD_PRELOAD=" + lib}});
  ASSERT_EQ(probe.exit_code, 0);
  ASSERT_TRUE(file_exists(marker)) << "the preload library did not run: the test could not fail";
  unlink(marker.c_str());

  std::string bin = dir + "/bin";
  mkdir(bin.c_str(), 0755);
  RunResult cp = run("/bin/cp", {compile(guest_wasm("print_env")), bin + "/print_env"});
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  std::string exe = compile(guest_wasm("env_escape"), {"--dir", bin + "::/bin"});
  for (const char* mode : {"spawn", "exec"}) {
    SCOPED_TRACE(mode);
    RunResult r = run(exe, {mode, lib});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(file_exists(marker)) << "the guest's LD_* reached the host loader";
    unlink(marker.c_str());
    EXPECT_EQ(r.err, "") << "WASIX_TRACE from the guest turned on tracing";
    for (std::string expected : {"LD_PRELOAD=" + lib, "LD_AUDIT=" + lib, "LD_LIBRARY_PATH=" + dir,
                                 std::string("GCONV_PATH=/nonexistent"),
                                 std::string("GLIBC_TUNABLES=glibc.malloc.check=3"),
                                 std::string("WASIXC_SANDBOX=00000000000000000000000000000000"),
                                 std::string("WASIXC_HANDOFF=3"), std::string("WASIX_TRACE=1"),
                                 std::string("GUEST_VAR=given by the guest")})
      EXPECT_NE(r.out.find("env " + expected + "\n"), std::string::npos) << expected << "\n" << r.out;
    // Exactly the environment given: ten entries, nothing of the host's.
    int entries = 0;
    for (const std::string& l : lines(r.out)) entries += l.rfind("env ", 0) == 0;
    EXPECT_EQ(entries, 10) << r.out;
    EXPECT_NE(r.out.find("arg print_env\narg x\n"), std::string::npos) << r.out;
  }
}

// A user launching a program is trusted: their environment is the guest's
// (minus the runtime's own variables), and a WASIXC_HANDOFF that names no
// handoff record of ours is ignored rather than trusted or crashed on.
TEST(Hardening, LaunchedByAUserTheGuestGetsTheHostEnvironment) {
  std::string exe = compile(guest_wasm("print_env"));
  for (std::string handoff : {"0", "abc", "99", "-1", "4294967299"}) {
    SCOPED_TRACE(handoff);
    RunResult r = run(exe, {}, {.env_add = {"WASIXC_HANDOFF=" + handoff, "USER_VAR=from the shell"}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("env USER_VAR=from the shell\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("WASIXC_HANDOFF"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("WASIXC_SANDBOX"), std::string::npos) << r.out;
  }
}

// `trap '' PIPE` and nohup(1) leave a signal ignored; execve(2) keeps it
// ignored, also after the program installs a handler for another signal,
// and signal() reports the inherited SIG_IGN. Compared with the native
// build under the same parent; with the default inherited, both die.
TEST(Hardening, InheritedIgnoredSignalsBehaveAsNatively) {
  std::string exe = compile(guest_wasm("inherited_signals"));
  std::string native = guest_native("inherited_signals");
  struct Case {
    const char* name;
    std::vector<std::string> launcher;  // the program's path is appended, then the argument
    const char* arg;
    bool survives;
  } cases[] = {
      {"trap '' PIPE", {"/bin/sh", "-c", "trap '' PIPE; exec \"$0\" \"$1\""}, "PIPE", true},
      {"nohup", {"/usr/bin/nohup"}, "HUP", true},
      {"PIPE default", {"/usr/bin/env", "--default-signal=PIPE"}, "PIPE", false},
      {"HUP default", {"/usr/bin/env", "--default-signal=HUP"}, "HUP", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto launch = [&](const std::string& program) {
      std::vector<std::string> args(c.launcher.begin() + 1, c.launcher.end());
      args.push_back(program);
      args.push_back(c.arg);
      return run(c.launcher[0], args);
    };
    RunResult w = launch(exe), n = launch(native);
    EXPECT_EQ(w.signaled, n.signaled);
    EXPECT_EQ(w.term_signal, n.term_signal);
    EXPECT_EQ(w.exit_code, n.exit_code);
    EXPECT_EQ(w.out, n.out);
    if (c.survives) {
      EXPECT_NE(w.out.find("survived SIG" + std::string(c.arg) + "\nit was ignored\nnow handled: 1\n"),
                std::string::npos)
          << w.out;
      // signal(sig, SIG_DFL) undoes the inherited ignore: the last raise kills.
      EXPECT_TRUE(w.signaled) << w.out;
    } else {
      EXPECT_EQ(w.out, "USR1 handled: 1\n");
      EXPECT_TRUE(w.signaled);
    }
  }
}

// A guest that starts up like wasix-libc (callback_signal("__wasm_signal")
// at start, no __wasixc_signal_disposition, a NULL handler for every
// signal without a user handler) forks and joins: the child's SIGCHLD, and
// a SIGWINCH, never reach its __wasm_signal (Linux ignores both by
// default); SIGUSR1, which it handles, does.
TEST(Hardening, WasixLibcStartupForksAndJoinsWithoutATrap) {
  std::string exe = compile(guest_wasm("libc_startup"));
  RunResult r = run(exe, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("join 0: child "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" exit 5; USR1 seen 1, CHLD seen 0, WINCH seen 0\n"), std::string::npos) << r.out;
}

// Many values live in registers across a hot loop's safepoint poll while a
// 100 us timer makes the poll call into the runtime thousands of times:
// the checksum is the native one. (tests/gcc_runtime checks the same with
// a runtime built by GCC.)
TEST(Hardening, SafepointKeepsLiveRegistersUnderAFastTimer) {
  std::string exe = compile(guest_wasm("register_pressure"));
  RunResult native = run(guest_native("register_pressure"), {"plain", "10000000"});
  ASSERT_EQ(native.exit_code, 0);
  for (const char* mode : {"plain", "timer"}) {
    SCOPED_TRACE(mode);
    RunResult r = run(exe, {mode, "10000000"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, native.out);
    if (std::string(mode) == "timer") {
      unsigned ticks = 0;
      EXPECT_EQ(sscanf(r.err.c_str(), "ticks %u", &ticks), 1) << r.err;
      EXPECT_GT(ticks, 100u) << "the timer hardly fired: the safepoint was not exercised";
    }
  }
}

}  // namespace
}  // namespace e2e
