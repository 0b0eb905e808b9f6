// Guest programs compiled with wasixc and run; where the program also
// builds natively, its output and exit status must match the native run.
// Every test runs once per backend.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

class GuestTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::vector<std::string> backend_flags() const { return {"--backend=" + GetParam()}; }

  std::string build(const std::string& guest, std::vector<std::string> extra = {}) {
    std::vector<std::string> flags = backend_flags();
    flags.insert(flags.end(), extra.begin(), extra.end());
    return compile(guest_wasm(guest), flags);
  }

  // Runs the wasixc build and the native build with the same argv[0],
  // arguments, environment and stdin; expects identical results.
  RunResult expect_same_as_native(const std::string& guest, const std::vector<std::string>& args,
                                  RunOptions options = {}) {
    std::string exe = build(guest);
    if (exe.empty()) return {};
    options.argv0 = guest;
    RunResult wasm = run(exe, args, options);
    RunResult native = run(guest_native(guest), args, options);
    EXPECT_FALSE(wasm.signaled) << "signal " << wasm.term_signal << "\n" << wasm.err;
    EXPECT_EQ(wasm.exit_code, native.exit_code);
    EXPECT_EQ(wasm.out, native.out);
    EXPECT_EQ(wasm.err, native.err);
    return wasm;
  }
};

TEST_P(GuestTest, HelloArgsAndEnvironmentMatchNative) {
  RunOptions opts;
  opts.env_add = {"WASIXC_E2E_A=alpha", "WASIXC_E2E_EMPTY="};
  opts.env_remove = {"WASIXC_E2E_B"};
  RunResult r = expect_same_as_native("hello_args_env", {"a", "b c", "", "--flag=ü"}, opts);
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.out.find("argv[0] = \"hello_args_env\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("WASIXC_E2E_A=alpha"), std::string::npos);
}

TEST_P(GuestTest, Argv0IsTheExecutableName) {
  std::string exe = build("hello_args_env");
  RunResult r = run(exe, {"x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("argv[0] = \"" + exe + "\""), std::string::npos) << r.out;
}

TEST_P(GuestTest, CompileTimeEnvOverridesInherited) {
  std::string exe = build("hello_args_env", {"--env", "WASIXC_E2E_B=baked", "--env=WASIXC_E2E_A=baked-a"});
  RunOptions opts;
  opts.env_add = {"WASIXC_E2E_A=from-host"};
  RunResult r = run(exe, {}, opts);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("WASIXC_E2E_A=baked-a\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("WASIXC_E2E_B=baked\n"), std::string::npos) << r.out;
}

TEST_P(GuestTest, ExitCodesMatchNative) {
  for (const char* how : {"return", "exit", "_Exit"})
    for (const char* code : {"0", "1", "42", "255", "256", "-1"}) {
      SCOPED_TRACE(std::string(code) + " via " + how);
      expect_same_as_native("exit_code", {code, how});
    }
}

TEST_P(GuestTest, ExitCodesAreTheGuests) {
  std::string exe = build("exit_code");
  EXPECT_EQ(run(exe, {"0"}).exit_code, 0);
  EXPECT_EQ(run(exe, {"1"}).exit_code, 1);
  EXPECT_EQ(run(exe, {"42", "exit"}).exit_code, 42);
  EXPECT_EQ(run(exe, {"255", "_Exit"}).exit_code, 255);
}

TEST_P(GuestTest, PipedStdoutIsFlushedCompletely) {
  RunResult r = expect_same_as_native("stdio", {"many", "200000"});
  std::vector<std::string> got = lines(r.out);
  ASSERT_EQ(got.size(), 200000u);
  EXPECT_EQ(got.back(), "line 199999 of 200000");
}

TEST_P(GuestTest, StdinIsReadToEnd) {
  RunOptions opts;
  for (int i = 0; i < 5000; ++i) opts.stdin_data += "some input " + std::to_string(i) + "\n";
  RunResult r = expect_same_as_native("stdio", {"upper"}, opts);
  EXPECT_NE(r.out.find("SOME INPUT 4999"), std::string::npos);
}

TEST_P(GuestTest, SeekOnPipesIsEspipe) {
  RunResult r = expect_same_as_native("stdio", {"seek"}, RunOptions{.stdin_data = "x"});
  EXPECT_NE(r.out.find("lseek(1) = -1 errno ESPIPE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lseek(9) = -1 errno EBADF"), std::string::npos) << r.out;
}

TEST_P(GuestTest, SleepAndPollMatchNative) {
  RunResult r = expect_same_as_native("stdio", {"wait"}, RunOptions{.stdin_data = "x"});
  EXPECT_NE(r.out.find("slept at least 50ms: yes, under 1s: yes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("poll stdin: 1 revents POLLIN 1"), std::string::npos) << r.out;
}

// fork(2), waitpid, getpid/getppid through wasix_32v1 (wasixc's guest
// library): memory copied, exit codes, WNOHANG, ECHILD, 200 cycles.
TEST_P(GuestTest, ForkAndJoinMatchNative) {
  RunResult r = expect_same_as_native("fork_join", {});
  EXPECT_NE(r.out.find("child: global 2 heap 'parent heap' parent-is-forker 1 pid-differs 1"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("200 cycles: sum 594, leftover children: none"), std::string::npos) << r.out;
}

// Signals with POSIX kill()/raise()/signal() semantics and setitimer-like
// timers, compared with the same program run natively.
TEST_P(GuestTest, SignalsMatchNative) {
  for (const char* mode : {"self", "stdio-in-handler", "spin", "interval", "cancel", "child", "default", "eintr", "setitimer", "sigchld", "rtmax"}) {
    SCOPED_TRACE(mode);
    expect_same_as_native("signals", {mode});
  }
  RunResult r = run(build("signals"), {"self"});
  EXPECT_EQ(r.out, "after raise: SIGUSR1 handled 1 times\nafter kill(self): SIGUSR2 handled 1 times\n"
                   "ignored: SIGUSR1 still 1\n");
  EXPECT_EQ(run(build("signals"), {"default"}).out, "parent: child killed by signal 15\n");
  EXPECT_EQ(run(build("signals"), {"rtmax"}).out, "signal 64 handled 2 times\nparent: child killed by signal 64\n");
  EXPECT_EQ(run(build("signals"), {"child"}).out,
            "child: handler ran 1 time(s) in a compute loop\nparent: child exited with 5\n");
}

// A loop that never calls the host still gets its SIGALRM: the llvm
// backend's code is interrupted where it is (aot/llvm/interruptible.cc),
// or with --poll-safepoints reaches a poll. (The C backend has neither:
// such a loop would spin.)
TEST_P(GuestTest, SignalReachesPureComputeLoop) {
  if (GetParam() != "llvm") GTEST_SKIP() << "safepoints are an llvm-backend feature";
  RunResult r = expect_same_as_native("signals", {"pure"});
  EXPECT_NE(r.out.find("delivered within 10ms of the timer: yes"), std::string::npos) << r.out;
  // A forked child computing without calls gets its parent's signal; the
  // parent's join reports the child's exit.
  RunResult c = expect_same_as_native("signals", {"child-pure"});
  EXPECT_EQ(c.out, "child: handler ran in a pure compute loop (1)\nparent: joined 1, child exited with 5\n");
  // A handler run from a poll in a leaf function leaves the leaf's red
  // zone (locals below __stack_pointer) alone.
  RunResult z = expect_same_as_native("signals", {"redzone"});
  EXPECT_EQ(z.out, "handler ran: yes, leaf's locals intact: yes\n");
  // A counted loop too long for its poll-free copy keeps its polls
  // (aot/llvm/poll_versioning.cc): 3e9 iterations take seconds.
  RunResult n = expect_same_as_native("signals", {"counted", "3000000000"});
  EXPECT_EQ(n.out, "counted loop interrupted\n");
  // A handler with a 2 KiB frame interrupts, about 300 times, a function
  // whose 1200-byte frame it would overwrite if the shadow-stack pointer
  // in the instance lagged behind the code (checked to fail so).
  RunResult f = expect_same_as_native("signals", {"frames"});
  EXPECT_EQ(f.out, "frames intact: yes, handler ran often: yes\n");
  // A loop in host routines (memset, strlen's memchr) gets it too.
  RunResult l = expect_same_as_native("signals", {"in-libc"});
  EXPECT_EQ(l.out, "libc loop interrupted (1), delivered within 20ms of the timer: yes\n");
}

// The same with polls instead of interrupts (--poll-safepoints).
TEST_P(GuestTest, SignalReachesPollingComputeLoop) {
  if (GetParam() != "llvm") GTEST_SKIP() << "safepoints are an llvm-backend feature";
  std::string exe = build("signals", {"--poll-safepoints"});
  RunResult p = run(exe, {"pure"});
  EXPECT_NE(p.out.find("delivered within 10ms of the timer: yes"), std::string::npos) << p.out;
  EXPECT_EQ(run(exe, {"redzone"}).out, "handler ran: yes, leaf's locals intact: yes\n");
  EXPECT_EQ(run(exe, {"counted", "3000000000"}).out, "counted loop interrupted\n");
  EXPECT_EQ(run(exe, {"frames"}).out, "frames intact: yes, handler ran often: yes\n");
  EXPECT_EQ(run(exe, {"in-libc"}).out, "libc loop interrupted (1), delivered within 20ms of the timer: yes\n");
}

// kill() of a host process outside the sandbox is refused and the process
// survives; sig 0, ESRCH and EINVAL as POSIX says.
TEST_P(GuestTest, KillOutsideTheSandboxIsRefused) {
  pid_t outsider = fork();
  if (outsider == 0) {
    execl("/bin/sleep", "sleep", "30", (char*)nullptr);
    _exit(127);
  }
  RunResult r = run(build("signals"), {"errors", std::to_string(outsider)});
  EXPECT_EQ(r.out, "kill(outsider): refused\nkill(999999, 0): ESRCH\nkill(self, 0): ok\nkill(self, 100): EINVAL\n");
  EXPECT_EQ(kill(outsider, 0), 0) << "the outsider must still be alive";
  kill(outsider, SIGKILL);
  waitpid(outsider, nullptr, 0);
}

// Process-group and broadcast kill() reach the sandbox's members only: the
// test runner shares the guest's process group and must not be hit.
TEST_P(GuestTest, KillGroupsReachOnlyTheSandbox) {
  RunResult r = run(build("signals"), {"groups", std::to_string(getpgrp())});
  EXPECT_EQ(r.out,
            "kill(-pgid) 0 kill(-1) 0 kill(0) 0\n"
            "parent got USR1 1 USR2 0 WINCH 1\n"
            "child 0 exit 3\nchild 1 exit 3\n");
}

// Signals from outside (a shell's kill, Ctrl-C): without a handler the
// process dies by the signal (a shell shows 143 / 130); with one, the
// guest's handler runs.
TEST_P(GuestTest, HostSignalsFromOutside) {
  std::string exe = build("signals");
  struct Case {
    int sig;
    bool handle;
  } cases[] = {{SIGTERM, false}, {SIGINT, false}, {SIGTERM, true}, {SIGINT, true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.sig) + (c.handle ? " handled" : " default"));
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(out[1], 1);
      close(out[0]);
      execl(exe.c_str(), "signals", "wait", c.handle ? "handle" : "no", (char*)nullptr);
      _exit(127);
    }
    close(out[1]);
    char buf[256];
    ssize_t n = read(out[0], buf, sizeof buf - 1);  // "ready": handlers are in place
    ASSERT_GT(n, 0);
    kill(pid, c.sig);
    std::string rest(buf, n);
    while ((n = read(out[0], buf, sizeof buf)) > 0) rest.append(buf, n);
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (c.handle) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
      EXPECT_NE(rest.find(c.sig == SIGTERM ? "handled TERM 1 INT 0" : "handled TERM 0 INT 1"), std::string::npos)
          << rest;
    } else {
      EXPECT_TRUE(WIFSIGNALED(status)) << status;
      EXPECT_EQ(WTERMSIG(status), c.sig);
    }
  }
}

// exec and spawn: programs are found through the --dir mapping; only
// wasixc-built ones may start unless --allow-host-exec.
TEST_P(GuestTest, ExecAndSpawn) {
  std::string bin = work_dir() + "/bin-" + GetParam();
  mkdir(bin.c_str(), 0755);
  auto install = [&](const std::string& from, const std::string& to) {
    RunResult r = run("/bin/cp", {from, bin + "/" + to});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  install(build("hello_args_env"), "hello");
  install(build("exit_code"), "exit_code");
  install("/bin/true", "host-true");
  std::string exe = build("exec_spawn", {"--dir", bin + "::/bin"});

  RunResult spawn = run(exe, {"spawn"});
  EXPECT_NE(spawn.out.find("argv[0] = \"hello\"\nargv[1] = \"x\"\nargv[2] = \"y z\"\n"), std::string::npos)
      << spawn.out;
  EXPECT_NE(spawn.out.find("WASIXC_E2E_A=from-spawn\n"), std::string::npos) << spawn.out;
  EXPECT_NE(spawn.out.find("spawn: ok, joined it: 1, exit code 3"), std::string::npos) << spawn.out;

  RunResult exec = run(exe, {"exec"});
  EXPECT_EQ(exec.out, "leaving with 7 via exit\n");
  EXPECT_EQ(exec.exit_code, 7);

  RunResult refuse = run(exe, {"refuse"});
  EXPECT_EQ(refuse.out,
            "host program: ENOEXEC\nmissing: ENOENT\noutside the mapping: ENOENT\n"
            "unmapped directory: ENOENT\nexec host program: ENOEXEC\n");

  RunResult old = run(exe, {"old"});  // hello's output went to /dev/null
  EXPECT_EQ(old.out, "proc_spawn: ok, joined 1, exit code 2\nleaving with 9 via _Exit\n");
  EXPECT_EQ(old.exit_code, 9);

  std::string allowed = build("exec_spawn", {"--dir", bin + "::/bin", "--allow-host-exec"});
  RunResult host = run(allowed, {"refuse"});
  EXPECT_NE(host.out.find("host program: ok"), std::string::npos) << host.out;
  EXPECT_EQ(host.exit_code, 0);  // the exec of /bin/true replaced the process
}

TEST_P(GuestTest, StdoutAndStderrKeepTheirOrderWhenFlushed) {
  RunResult r = expect_same_as_native("stdio", {"mixed"});
  EXPECT_EQ(r.err, "err 0\nerr 1\nerr 2\n");
}

TEST_P(GuestTest, ClocksAndRandomMatchNative) {
  RunResult r = expect_same_as_native("clock_random", {});
  EXPECT_EQ(r.out.find(": no"), std::string::npos) << r.out;
}

TEST_P(GuestTest, ComputeMatchesNative) { expect_same_as_native("compute", {}); }

TEST_P(GuestTest, ComputeMatchesNativeAtEveryOptLevel) {
  RunResult native = run(guest_native("compute"), {});
  for (const char* level : {"-O0", "-O1", "-O3"}) {
    SCOPED_TRACE(level);
    std::string exe = build("compute", {level});
    RunResult r = run(exe, {});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out, native.out);
  }
}

// The C backend (wabt 1.0.32's C writer) cannot translate shared memory:
// compiling `guest` with it fails with an error naming threads.
void expect_c_backend_refuses_threads(const std::string& guest) {
  RunResult r = run_wasixc({guest_wasm(guest), "-o", work_dir() + "/" + guest + "-c", "--backend=c"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("uses threads (shared memory, atomics)"), std::string::npos) << r.err;
}

TEST_P(GuestTest, SharedMemoryAndAtomicsMatchNative) {
  if (GetParam() == "c") return expect_c_backend_refuses_threads("atomics");
  RunResult r = expect_same_as_native("atomics", {});
  EXPECT_NE(r.out.find("wait: not-equal 1 timed-out 2 notify woke 0"), std::string::npos) << r.out;
}

// Guest threads (wasixc's guest library over thread_spawn_v2 and futexes)
// against the same program built with pthreads. The C backend has no
// threads: it refuses the shared memory.
TEST_P(GuestTest, ThreadsMatchNative) {
  if (GetParam() == "c") return expect_c_backend_refuses_threads("threads");
  for (const char* mode : {"basic", "futex", "exit", "main-exit", "main-returns", "exit-in-thread", "signal", "fork"}) {
    SCOPED_TRACE(mode);
    expect_same_as_native("threads", {mode});
  }
  std::string exe = build("threads");
  EXPECT_EQ(run(exe, {"basic"}).out,
            "counter 400000 locked 400000 results 60\n"
            "tids distinct: yes, none is main's: yes, main's is the pid: yes\n"
            "thread-locals private: yes (main's still 100)\nparallelism >= 1: yes\n");
  EXPECT_EQ(run(exe, {"futex"}).out,
            "handoffs 2000, last turn 0\nwait on a changed value: 0, at once: yes\n"
            "timed wait: ETIMEDOUT, after 20ms..2s: yes\nwake with nobody waiting: 0\n");
  EXPECT_EQ(run(exe, {"exit"}).out, "thread_exit value 42, code after it ran: no\n");
  RunResult main_exit = run(exe, {"main-exit"});
  EXPECT_EQ(main_exit.out, "main: leaving with thread_exit\nworker: still running after main left\n");
  EXPECT_EQ(main_exit.exit_code, 0);
  EXPECT_EQ(run(exe, {"main-returns"}).exit_code, 3);
  EXPECT_EQ(run(exe, {"exit-in-thread"}).exit_code, 5);
  EXPECT_EQ(run(exe, {"signal"}).out,
            "SIGUSR1 to a waiting thread: handled 1 time(s), on that thread: yes, not on main: yes\n"
            "raise() in a thread ran the handler there: yes\n"
            "SIGUSR1 to a computing thread: handled on that thread: yes\n"
            "kill(getpid()) with 3 threads: handled 1 time(s)\n");
  EXPECT_EQ(run(exe, {"fork"}).out,
            "child: tid is the pid: yes, a new thread ran: yes\nparent: child exited 7\n");
}

// Many spawn+join cycles leave no host thread behind: afterwards the
// process has its two (the waiting main thread and the guest's).
TEST_P(GuestTest, ThreadCyclesLeaveNoHostThreads) {
  if (GetParam() != "llvm") GTEST_SKIP() << "threads are an llvm-backend feature";
  std::string exe = build("threads");
  int in[2], out[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    execl(exe.c_str(), "threads", "cycles", "2000", "hold", (char*)nullptr);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  std::string text;
  char buf[256];
  ssize_t n;
  while (text.find("ready\n") == std::string::npos && (n = read(out[0], buf, sizeof buf)) > 0) text.append(buf, n);
  EXPECT_EQ(text, "2000 cycles: sum 1999000\nready\n");
  // A joined thread's host thread finishes exiting just after the join:
  // give the last one a moment. Then only the main thread is left (the
  // guest's main thread is the process's, as natively).
  int threads = -1;
  for (int i = 0; i < 100 && threads != 1; ++i) {
    std::string status = run("/bin/cat", {"/proc/" + std::to_string(pid) + "/status"}).out;
    size_t at = status.find("Threads:");
    threads = at == std::string::npos ? -1 : atoi(status.c_str() + at + 8);
    if (threads != 1) usleep(20000);
  }
  EXPECT_EQ(threads, 1);
  close(in[1]);  // the guest reads stdin to its end, then exits
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// A trap in any thread ends the whole process the way a trap in the main
// thread does (Linux: a fault kills the process).
TEST_P(GuestTest, TrapInAThreadEndsTheProcess) {
  if (GetParam() != "llvm") GTEST_SKIP() << "threads are an llvm-backend feature";
  std::string exe = build("threads");
  struct {
    const char* kind;
    const char* message;
  } const cases[] = {
      {"trap", "wasixc: trap: unreachable in function thread_trap\n"},
      {"overflow", "wasixc: trap: call stack exhausted in function native_recurse\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.kind);
    RunResult r = run(exe, {c.kind});
    EXPECT_FALSE(r.signaled) << "died by signal " << r.term_signal;
    EXPECT_EQ(r.exit_code, 134);
    EXPECT_EQ(r.out, std::string("about to trap in a thread: ") + c.kind + "\n");
    EXPECT_EQ(r.err, c.message);
  }
}

// Bad tids, self-joins and bad futex words get an errno, never a crash.
TEST_P(GuestTest, ThreadCallsRejectBadInput) {
  if (GetParam() != "llvm") GTEST_SKIP() << "threads are an llvm-backend feature";
  RunResult r = run(build("threads"), {"errors"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "signal to an unknown tid: 71 (ESRCH 71)\n"
            "bad signal number: 28 (EINVAL 28)\n"
            "join self: 16 (EDEADLK 16)\n"
            "join the alias of the main thread from it: 16\n"
            "join an unknown tid: 0\n"
            "futex_wait misaligned: 28 (EINVAL 28)\n"
            "futex_wait out of bounds: 21 (EFAULT 21)\n"
            "futex_wake bad out pointer: 21\n"
            "thread_spawn_v2 bad tid pointer: 21\n");
  // wasix-libc blocks signals by registering a name that does not resolve;
  // threads doing so while signals arrive must not break delivery.
  RunResult race = run(build("threads"), {"block-race"});
  EXPECT_EQ(race.exit_code, 0) << race.err;
  EXPECT_EQ(race.out, "block/unblock races with incoming signals: survived, handled: yes\n");
}

// The wasi-threads ABI on its own (no library): thread-spawn returns a
// tid, wasi_thread_start returning ends the thread, thread_join waits for
// it. Without the export, or without threads, the errno comes back.
TEST_P(GuestTest, WasiThreadSpawn) {
  std::string errors = compile(module_wasm("thread_spawn_errors"), backend_flags());
  EXPECT_EQ(run(errors, {}).exit_code, GetParam() == "llvm" ? 76 : 58);  // ENOTCAPABLE / ENOTSUP
  if (GetParam() != "llvm") return;
  RunResult r = run(compile(module_wasm("wasi_threads"), backend_flags()), {});
  EXPECT_EQ(r.exit_code, 42) << r.err;
}

// Large modules are split into partitions compiled in parallel; force that
// on a small program and expect the same behaviour, traps included.
TEST_P(GuestTest, PartitionedCompilationMatchesNative) {
  if (GetParam() != "llvm") GTEST_SKIP() << "partitions are an llvm-backend feature";
  RunResult native = run(guest_native("compute"), {});
  std::string exe = build("compute", {"--partition-size=300"});
  RunResult r = run(exe, {});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, native.out);
  RunResult v = run_wasixc({guest_wasm("compute"), "-o", work_dir() + "/compute-parts", "-v",
                            "--partition-size=300"});
  EXPECT_NE(v.err.find(" partitions on "), std::string::npos) << v.err;
  std::string traps = build("traps", {"--partition-size=300"});
  RunResult t = run(traps, {"native-stack"});
  EXPECT_EQ(t.exit_code, 134);
  EXPECT_EQ(t.err, "wasixc: trap: call stack exhausted in function native_recurse\n");
  // A signal handler is called past its command-export wrapper (whose
  // destructors would flush stdout) even when the wrapper's body is in
  // another partition than the export table.
  RunResult s = run(build("signals", {"--partition-size=1"}), {"stdio-in-handler"});
  EXPECT_EQ(s.out, "direct\nbuffered after 1\n");
}

// Without safepoints LLVM optimises across more calls; this once exposed an
// unsound `noalias` on the instance (the exit-time stdio flush lost the
// buffered '\n'). Every such build must still match native.
TEST_P(GuestTest, NoSafepointBuildsMatchNative) {
  if (GetParam() != "llvm") GTEST_SKIP() << "safepoints are an llvm-backend feature";
  struct Case {
    const char* guest;
    std::vector<std::string> args;
  } cases[] = {{"hello_args_env", {"a"}}, {"exit_code", {"3", "exit"}}, {"stdio", {"many", "5"}}, {"compute", {}}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.guest);
    std::string exe = build(c.guest, {"--no-safepoints"});
    RunOptions opts{.argv0 = c.guest};
    RunResult w = run(exe, c.args, opts), n = run(guest_native(c.guest), c.args, opts);
    EXPECT_EQ(w.out, n.out);
    EXPECT_EQ(w.exit_code, n.exit_code);
  }
}

TEST_P(GuestTest, PreopenedDirectoriesAreListed) {
  std::string dir = work_dir();
  std::string exe = build("preopens", {"--dir", dir + "::/sandbox", "--dir=/tmp"});
  RunResult r = run(exe, {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "fd 3: /sandbox (err 0)\n"
            "fd 4: /tmp (err 0)\n"
            "fd 5: /dev (err 0)\n"  // the built-in /dev (kernel/devices.h)
            "fd 6: / (err 0)\n"     // the virtual "/" above the mappings
            "short buffer: NAMETOOLONG\n"
            "bad pointer: FAULT\n");
}

TEST_P(GuestTest, MissingPreopenDirectoryIsAClearError) {
  std::string exe = build("preopens", {"--dir", "/nonexistent/wasixc-e2e::/x"});
  RunResult r = run(exe, {});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("wasixc: error: cannot open directory '/nonexistent/wasixc-e2e'"),
            std::string::npos) << r.err;
}

TEST_P(GuestTest, ImportedMemoryAndStartFunction) {
  std::string exe = compile(module_wasm("imported_memory"), backend_flags());
  RunResult r = run(exe, {});
  EXPECT_EQ(r.out, "start ran\nmemory imported\n");
  EXPECT_EQ(r.exit_code, 7);
}

TEST_P(GuestTest, SyscallTraceGoesToStderr) {
  std::string exe = build("exit_code");
  RunResult r = run(exe, {"3"}, RunOptions{.env_add = {"WASIX_TRACE=1"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("] fd_write(1, "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("] proc_exit(3)"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "leaving with 3 via return\n");
}

struct TrapCase {
  const char* kind;
  const char* message;
};

TEST_P(GuestTest, TrapsReportKindAndExit134WithoutCore) {
  const TrapCase cases[] = {
      {"unreachable", "wasixc: trap: unreachable in function "},
      {"oob", "wasixc: trap: out of bounds memory access in function "},
      {"div", "wasixc: trap: integer divide by zero in function "},
      {"overflow", "wasixc: trap: integer overflow in function "},
      {"conversion", "wasixc: trap: invalid conversion to integer in function "},
      // The C stack of a wasm guest lives in linear memory: running it out
      // wraps the shadow stack pointer and the next access is out of bounds.
      {"shadow-stack", "wasixc: trap: out of bounds memory access in function shadow_recurse\n"},
      {"native-stack", "wasixc: trap: call stack exhausted in function native_recurse\n"},
      // libc routines (bulk-memory builtins with llvm, which may inline them
      // into the caller, so the function named varies).
      {"memcpy-oob", "wasixc: trap: out of bounds memory access in function "},
      {"memset-oob", "wasixc: trap: out of bounds memory access in function "},
      {"strlen-oob", "wasixc: trap: out of bounds memory access in function "},
      {"memcmp-oob", "wasixc: trap: out of bounds memory access in function "},
  };
  std::string exe = build("traps");
  for (const TrapCase& c : cases) {
    SCOPED_TRACE(c.kind);
    RunResult r = run(exe, {c.kind});
    EXPECT_FALSE(r.signaled) << "died by signal " << r.term_signal;
    EXPECT_EQ(r.exit_code, 134);
    EXPECT_EQ(r.out, std::string("about to trap: ") + c.kind + "\n");
    EXPECT_EQ(r.err.rfind(c.message, 0), 0u) << r.err;
    EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  }
}

TEST_P(GuestTest, MissingImportAllowedTrapsWithItsName) {
  std::string exe =
      compile(module_wasm("missing_imports"), {"--backend=" + GetParam(), "--allow-missing-imports"});
  RunResult r = run(exe, {});
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_EQ(r.err, "wasixc: trap: call to missing import mylib.helper\n");
}

INSTANTIATE_TEST_SUITE_P(Backends, GuestTest, ::testing::Values("c", "llvm"));

}  // namespace
}  // namespace e2e
