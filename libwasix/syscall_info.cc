#include "syscall_info.h"

#include <cstring>

namespace wasixc {

namespace {
const SyscallInfo kTable[] = {
#define WASIX_SYSCALL(MOD, NAME, IDENT, HANDLER, RESULT, PARAMS, STATUS, FLAGS, NOTE) \
  {#MOD, NAME, "wasixc_sys_" #MOD "_" #IDENT, #RESULT, #PARAMS,                       \
   SyscallStatus::STATUS, FLAGS, NOTE},
#include "wasixc/syscalls.def"
#undef WASIX_SYSCALL
};

char letter_for(const std::string& type) {
  if (type == "I32" || type == "ERRNO") return 'i';
  if (type == "I64") return 'I';
  if (type == "F32") return 'f';
  if (type == "F64") return 'F';
  return '?';
}
}  // namespace

const SyscallInfo* syscall_table() { return kTable; }
size_t syscall_count() { return sizeof(kTable) / sizeof(kTable[0]); }

const SyscallInfo* find_syscall(const std::string& module,
                                const std::string& name) {
  for (const SyscallInfo& s : kTable)
    if (module == s.module && name == s.name) return &s;
  return nullptr;
}

std::string syscall_param_letters(const SyscallInfo& info) {
  std::string letters, word;
  for (const char* p = info.params; *p; ++p) {
    if (*p == '(' || *p == ' ') continue;
    if (*p == ',' || *p == ')') {
      if (!word.empty()) letters += letter_for(word);
      word.clear();
    } else {
      word += *p;
    }
  }
  return letters;
}

std::string syscall_result_letters(const SyscallInfo& info) {
  return std::strcmp(info.result, "VOID") == 0
             ? std::string()
             : std::string(1, letter_for(info.result));
}

}  // namespace wasixc
