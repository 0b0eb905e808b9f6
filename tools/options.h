// Command-line options shared by the wasixc driver (tools/wasixc.cc) and
// the compiler it runs (tools/compiler_main.cc): the usage text and the
// parser that turns flags into aot::CompileOptions.
#pragma once

#include <functional>
#include <string>

#include "aot/compile.h"

namespace wasixc::tools {

extern const char kUsage[];

// Prints "wasixc: error: <fmt>" and a hint; returns 1.
int usage_error(const char* fmt, const char* arg);

// Parses compiler options from argv[first...] into `opts`. Returns -1 to go
// on, or the exit status to end with (after --help, --version, a listing,
// or a usage error). In `run` mode the first non-option is the module and
// everything after it (or after "--") belongs to the guest: *rest is its
// index; -q sets *quiet.
int parse_args(int argc, char** argv, int first, aot::CompileOptions& opts, bool run_mode, int* rest,
               bool* quiet);

// Runs a compile step; a failure (CompileError, out of memory, any other
// exception) becomes "wasixc: error: ..." on stderr and status 1.
int guarded(const std::string& input, const std::function<void()>& step);

}  // namespace wasixc::tools
