// Spec files that cannot pass yet, each with the reason. The harness still
// runs them and prints their failures; a listed file that passes is an
// error (the list must stay true).
#pragma once

#include <cstring>

inline const char* expected_failure_reason(const char* file) {
  static const struct {
    const char* file;
    const char* reason;
  } kList[] = {
      {"", ""},  // (none yet)
  };
  for (const auto& e : kList)
    if (*e.file && strcmp(e.file, file) == 0) return e.reason;
  return nullptr;
}
