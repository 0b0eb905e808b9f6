// Compiler-style diagnostics: "wasixc: error: <file>: <message>".
#pragma once

#include <string>

namespace wasixc::aot {

// Thrown by the compiler pipeline for an error the user must fix (bad input,
// missing import, unsupported feature) or a failing external step. The
// driver prints it and exits with status 1.
struct CompileError {
  std::string message;  // already includes "<file>: " where it applies
};

[[noreturn]] __attribute__((format(printf, 1, 2))) void fail(const char* fmt, ...);

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

}  // namespace wasixc::aot
