// Older and other WASIX ABIs: what binaries of other toolchains import
// runs unchanged. Interval timer units (proc_raise_interval: wasix-libc's
// nanoseconds or the documented milliseconds, chosen per module at
// compile time; SYSCALLS.md "Interval timer units"); the 2023 WASIX ABI's
// names and signatures; wasi_unstable (preview0) layouts.
#include <gtest/gtest.h>
#include <unistd.h>

#include "harness.h"

namespace e2e {
namespace {

// A 100 ms repeating timer gives about 10 ticks a second and stops when
// cancelled, as setitimer(2) natively, whichever unit the caller uses.
void expect_ticks_like_native(const std::string& guest) {
  std::string exe = compile(guest_wasm(guest));
  ASSERT_FALSE(exe.empty());
  RunResult wasm = run(exe, {});
  RunResult native = run(guest_native(guest), {});
  EXPECT_EQ(native.out, "100 ms timer: 8..12 ticks in 1.05 s: yes\nno tick after the cancel: yes\n") << native.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(wasm.out, native.out) << "wasixc: " << wasm.err << "native: " << native.err;
}

TEST(TimerUnits, WasixLibcSetitimerInNanosecondsTicksAsNatively) { expect_ticks_like_native("timer_libc"); }

TEST(TimerUnits, RawCallerInMillisecondsTicksAsNatively) { expect_ticks_like_native("timer_raw"); }

// The 2023 ABI: wasix_32v1.fd_write, proc_fork + proc_join(i32, i32),
// proc_exit under wasix_32v1, thread_spawn(i64, i64, i64, i32, i32) and
// thread-local keys behave as the native program's fork/waitpid/pthreads.
TEST(OldWasixAbi, ForkJoinThreadsAndKeysAsNatively) {
  std::string exe = compile(guest_wasm("old_abi"));
  ASSERT_FALSE(exe.empty());
  RunResult wasm = run(exe, {});
  RunResult native = run(guest_native("old_abi"), {});
  const std::string common =
      "hello through the older names\n"
      "joined the child: pid matches yes, exit code 7\n"
      "joined any child: pid matches yes, exit code 3\n"
      "no child left: ECHILD yes\n"
      "main's value 42\n"
      "the fork child saw 42\n"
      "a new thread saw 0, then its own 7; main's still 42\n";
  EXPECT_EQ(native.out, common) << native.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  // Then the error paths, which only the wasm build prints: EINVAL (28)
  // for a destroyed or unknown key, EFAULT (21) for bad pointers,
  // ENOTCAPABLE (76) for a reactor, EINVAL for an inverted stack, EAGAIN
  // after 1024 live keys (one is destroyed: 1024 more), 128 + SIGKILL
  // for a killed child, ECHILD (12).
  EXPECT_EQ(wasm.out, common +
                          "the thread's locals on its given stack: yes\n"
                          "destroyed key: get 28 set 28 destroy 28; never-created key: get 28\n"
                          "bad pointers: create 21 get 21 join 21 spawn 21\n"
                          "spawn: reactor 76, stack past the memory 21, inverted stack 28\n"
                          "keys until EAGAIN: 1024\n"
                          "killed child: pid matches yes, exit code 137\n"
                          "join a stranger: 12\n")
      << wasm.err;
}

// The old signature is chosen by the import's type; a type no entry has
// is refused at compile time, naming every signature wasixc provides.
TEST(OldWasixAbi, UnknownSignatureNamesTheProvidedOnes) {
  std::string wat = work_dir() + "/bad_proc_join.wat", wasm = work_dir() + "/bad_proc_join.wasm";
  FILE* f = fopen(wat.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fputs("(module (import \"wasix_32v1\" \"proc_join\" (func (param i32) (result i32)))\n"
        "  (memory 1) (func (export \"_start\")))\n", f);
  fclose(f);
  ASSERT_EQ(run(WAT2WASM, {wat, "-o", wasm}).exit_code, 0);
  RunResult r = run_wasixc({wasm, "-o", work_dir() + "/bad_proc_join"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("import wasix_32v1.proc_join has type (func (param i32) (result i32)), but wasixc provides "
                       "(func (param i32 i32 i32) (result i32)) or (func (param i32 i32) (result i32))"),
            std::string::npos)
      << r.err;
}

// wasi_unstable: fd_write as preview1; fd_seek, fd_filestat_get,
// path_filestat_get and poll_oneoff with preview0's layouts, compared
// with the native program's lseek/fstat/nanosleep.
TEST(WasiUnstable, Preview0LayoutsAsNatively) {
  std::string dir = work_dir() + "/preview0-" + std::to_string(getpid());
  run("/bin/rm", {"-rf", dir});
  run("/bin/mkdir", {"-p", dir + "/wasm", dir + "/native"});
  std::string exe = compile(guest_wasm("preview0"));
  ASSERT_FALSE(exe.empty());
  RunOptions opts;
  opts.env_add = {"WASIXC_DIRS=" + dir + "/wasm::/data"};
  RunResult wasm = run(exe, {"/data/f.txt", "/data", "f.txt"}, opts);
  RunResult native = run(guest_native("preview0"), {dir + "/native/f.txt", dir + "/native", "f.txt"});
  EXPECT_EQ(native.out,
            "preview0 says hello\n"
            "fd_write to stdout: 20\n"
            "wrote 10 bytes\n"
            "seek SET 3 -> 3\n"
            "seek CUR 0 -> 3\n"
            "seek END -2 -> 8\n"
            "fd_filestat: 0 size 10 links 1 regular 1\n"
            "path_filestat: 0 size 10 links 1 regular 1\n"
            "poll_oneoff clock 50 ms: 0, slept 50..1000 ms: yes\n")
      << native.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(wasm.out, native.out) << wasm.err;
}

}  // namespace
}  // namespace e2e
