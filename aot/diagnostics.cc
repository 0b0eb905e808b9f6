#include "diagnostics.h"

#include <cstdarg>
#include <cstdio>
#include <vector>

namespace wasixc::aot {
namespace {
std::string vformat(const char* fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::vector<char> buf(n > 0 ? n + 1 : 1);
  vsnprintf(buf.data(), buf.size(), fmt, ap);
  return std::string(buf.data());
}
}  // namespace

void fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string msg = vformat(fmt, ap);
  va_end(ap);
  throw CompileError{msg};
}

std::string format(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string msg = vformat(fmt, ap);
  va_end(ap);
  return msg;
}

}  // namespace wasixc::aot
