// The compiler as a build tool: -j N gives the same bytes whatever N,
// --time-report names every phase, progress shows on a terminal only
// (and not with -q), and cheap checks refuse a module before its code is
// read. (Time and memory bounds of refusals: tests/fuzz/refusal_test.py.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace e2e {
namespace {

// Partitions are chosen from the module alone, so the objects and the
// executable are the same bytes whether 1 or 2 workers compile them.
TEST(CompileDriverTest, JobsGiveByteIdenticalOutput) {
  std::string dir = work_dir();
  std::vector<std::string> outputs;
  for (const char* jobs : {"-j1", "-j2"}) {
    std::string out = dir + "/compute-parts" + jobs;
    RunResult r = run_wasixc({guest_wasm("compute"), "-o", out, jobs, "--partition-size=300", "--save-temps",
                              "--time-report"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(std::string(" partitions on ") + (jobs[2] == '1' ? "1 thread," : "2 threads,")),
              std::string::npos)
        << r.err;
    outputs.push_back(out);
  }
  std::string a = read_file(outputs[0]), b = read_file(outputs[1]);
  ASSERT_GT(a.size(), 10000u);
  EXPECT_TRUE(a == b) << "the executables differ between -j1 and -j2";
  int objects = 0;
  for (int p = 0;; ++p) {
    std::string name = p ? "/guest." + std::to_string(p) + ".o" : "/guest.o";
    std::string oa = read_file(outputs[0] + ".wasixc-temps" + name);
    std::string ob = read_file(outputs[1] + ".wasixc-temps" + name);
    if (oa.empty() && ob.empty()) break;
    EXPECT_TRUE(oa == ob) << name << " differs between -j1 and -j2";
    ++objects;
  }
  EXPECT_GT(objects, 2);
  // And it still runs as the native build does.
  EXPECT_EQ(run(outputs[1], {}).out, run(guest_native("compute"), {}).out);
}

TEST(CompileDriverTest, BadJobCountsAreUsageErrors) {
  for (const char* bad : {"-j0", "-jx", "--jobs=", "-j2x", "--jobs=99999"}) {
    RunResult r = run_wasixc({guest_wasm("hello_args_env"), "-o", work_dir() + "/never", bad});
    EXPECT_EQ(r.exit_code, 1) << bad;
    EXPECT_NE(r.err.find("bad -j"), std::string::npos) << bad << ": " << r.err;
  }
  RunResult missing = run_wasixc({guest_wasm("hello_args_env"), "-o", work_dir() + "/never", "-j"});
  EXPECT_EQ(missing.exit_code, 1);
}

// Every phase has a line with two non-negative numbers; the link's wall
// time is not zero (it runs clang and lld).
TEST(CompileDriverTest, TimeReportNamesEveryPhase) {
  RunResult r = run_wasixc({guest_wasm("hello_args_env"), "-o", work_dir() + "/hello-timed", "--time-report"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("wasixc: time report: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("peak RSS "), std::string::npos) << r.err;
  for (const char* phase : {"read", "validate", "imports", "IR build", "optimise", "codegen", "link"}) {
    size_t at = r.err.find(std::string("\n  ") + phase + " ");
    ASSERT_NE(at, std::string::npos) << phase << " missing in:\n" << r.err;
    std::istringstream line(r.err.substr(at + 3 + strlen(phase)));
    double wall = -1, cpu = -1;
    line >> wall >> cpu;
    EXPECT_GE(wall, 0) << phase;
    EXPECT_GE(cpu, 0) << phase;
    if (std::string(phase) == "link" || std::string(phase) == "optimise") EXPECT_GT(wall, 0) << phase;
  }
  // Without the flag: nothing on stderr.
  RunResult quiet = run_wasixc({guest_wasm("hello_args_env"), "-o", work_dir() + "/hello-untimed"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
}

// Progress (forced to start at once): on a terminal a line with the phase
// and the partitions, erased at the end; never into a pipe; not with -q.
TEST(CompileDriverTest, ProgressOnlyOnATerminalAndNotWithQuiet) {
  const std::vector<std::string> now = {"WASIXC_PROGRESS_DELAY_MS=0"};
  std::vector<std::string> args = {guest_wasm("compute"), "-o", work_dir() + "/compute-progress",
                                   "--partition-size=300", "-O1"};
  RunOptions on_terminal;
  on_terminal.env_add = now;
  on_terminal.timeout_seconds = 120;
  RunResult shown = run_on_pty(wasixc_path(), args, on_terminal);
  EXPECT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_NE(shown.out.find("partitions done"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("\33[2K"), std::string::npos) << "the line is not erased";

  std::vector<std::string> quiet_args = args;
  quiet_args.push_back("-q");
  RunResult silent = run_on_pty(wasixc_path(), quiet_args, on_terminal);
  EXPECT_EQ(silent.exit_code, 0) << silent.out;
  EXPECT_EQ(silent.out, "");

  RunOptions piped;
  piped.env_add = now;
  RunResult r = run(wasixc_path(), args, piped);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

// A module that imports something wasixc lacks is refused on its import
// section; the message is the same as after a full read (all missing
// imports named), and a broken code section does not hide it.
TEST(CompileDriverTest, MissingImportRefusedBeforeTheCodeIsRead) {
  // (import "env" "nope" (func)) (func (export "_start") call 0), then the
  // code section's body damaged: a full read would call it malformed.
  const unsigned char wasm[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,  // header
                                0x01, 0x04, 0x01, 0x60, 0x00, 0x00,              // type () -> ()
                                0x02, 0x0c, 0x01, 0x03, 'e',  'n',  'v',  0x04, 'n', 'o', 'p', 'e', 0x00, 0x00,
                                0x03, 0x02, 0x01, 0x00,                          // func 1: type 0
                                0x07, 0x0a, 0x01, 0x06, '_',  's',  't',  'a',  'r', 't', 0x00, 0x01,
                                0x0a, 0x06, 0x01, 0x04, 0x00, 0xff, 0xff, 0x0b};  // body: bad opcodes
  std::string path = work_dir() + "/missing-import.wasm";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(wasm), sizeof wasm);
  RunResult r = run_wasixc({path, "-o", work_dir() + "/never"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("1 import is not provided by wasixc:\n  env.nope (func)"), std::string::npos) << r.err;
  // Allowed missing imports: the full read then reports the damage.
  RunResult allowed = run_wasixc({path, "-o", work_dir() + "/never", "--allow-missing-imports"});
  EXPECT_EQ(allowed.exit_code, 1);
  EXPECT_NE(allowed.err.find("malformed module"), std::string::npos) << allowed.err;
}

}  // namespace
}  // namespace e2e
