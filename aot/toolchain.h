// The external tools and files the compiler drives: clang-19 (compiles C
// backend output, links executables) and the runtime directory
// (libwasixc_rt.a, libuv, the ABI headers) installed beside wasixc.
#pragma once

#include <string>
#include <vector>

namespace wasixc::aot {

// clang-19: $WASIXC_CLANG, else clang-19 on PATH, else /usr/lib/llvm-19/bin.
std::string find_clang();

// $WASIXC_RUNTIME_DIR, else the directory of this program if it holds the
// runtime (wasixc-compiler does), else <its dir>/../lib/wasixc.
std::string runtime_dir();

// The absolute path of the wasixc driver installed with this compiler
// (<prefix>/bin/wasixc), "" if there is none. Baked into executables: the
// runtime compiles the .wasm programs a guest execs with it.
std::string recorded_driver_path();

// Runs argv[0] with argv (no shell). Returns its exit status, or -1 if it
// could not start or died by a signal. Its stderr is captured into
// `*output` (and echoed when `verbose`).
int run_command(const std::vector<std::string>& argv, bool verbose,
                std::string* output);

// Makes a fresh directory for intermediate files.
std::string make_temp_dir();
void remove_tree(const std::string& path);

}  // namespace wasixc::aot
