// Helpers for end-to-end tests: build guests with wasixc, run executables
// with chosen argv/env/stdin, capture everything they print.
#pragma once

#include <string>
#include <vector>

namespace e2e {

struct RunResult {
  int exit_code = -1;    // valid when !signaled
  int term_signal = 0;   // set when the process died by a signal
  bool signaled = false;
  bool timed_out = false;
  std::string out, err;
};

struct RunOptions {
  std::string argv0;                 // default: the path
  std::vector<std::string> env_add;  // "K=V" on top of this process's env
  std::vector<std::string> env_remove;
  std::string stdin_data;
  std::string cwd;                   // default: this process's
  int timeout_seconds = 60;
};

RunResult run(const std::string& path, const std::vector<std::string>& args,
              const RunOptions& options = {});

// The same on a new pseudo-terminal (its stdin, stdout and stderr; window
// 100x30): `out` is all it printed, the terminal's "\r\n" included.
// options.stdin_data and options.cwd are not used.
RunResult run_on_pty(const std::string& path, const std::vector<std::string>& args,
                     const RunOptions& options = {});

// Artifacts the build made (tests/CMakeLists.txt).
std::string wasixc_path();
std::string guest_wasm(const std::string& name);   // tests/e2e/guests/NAME.c
std::string guest_native(const std::string& name); // same, built natively
std::string module_wasm(const std::string& name);  // tests/e2e/modules/NAME.wat
std::string work_dir();                            // scratch space

// Compiles `wasm` with wasixc and `flags` into a cached executable; fails
// the current test (and returns "") if wasixc does.
std::string compile(const std::string& wasm, const std::vector<std::string>& flags = {});

// The whole file ("" if it cannot be read).
std::string read_file(const std::string& path);

// Runs wasixc itself.
RunResult run_wasixc(const std::vector<std::string>& args);

// Splits text into lines (without the newlines).
std::vector<std::string> lines(const std::string& text);

}  // namespace e2e
