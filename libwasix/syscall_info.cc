#include "syscall_info.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <vector>

namespace wasixc {

namespace {
// The wasm-level result of a RESULT kind (an assembly entry point returns
// what its C++ counterpart would).
#define WX_RESULT_NAME_ERRNO "ERRNO"
#define WX_RESULT_NAME_ERRNO_ASM "ERRNO"
#define WX_RESULT_NAME_I32 "I32"
#define WX_RESULT_NAME_I64 "I64"
#define WX_RESULT_NAME_VOID "VOID"
#define WX_RESULT_NAME_VOID_ASM "VOID"
const SyscallInfo kTable[] = {
#define WASIX_SYSCALL(MOD, NAME, IDENT, HANDLER, RESULT, PARAMS, STATUS, FLAGS, NOTE) \
  {#MOD, NAME, "wasixc_sys_" #MOD "_" #IDENT, WX_RESULT_NAME_##RESULT, #PARAMS,      \
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

const char* alias_module(const std::string& module) {
  // Every preview1 call is also served under wasix_32v1 (as Wasmer does,
  // and as binaries of older WASIX toolchains import them) and under
  // preview0's wasi_unstable: the same entry point, unless the module has
  // a call of its own by that name.
  if (module == "wasix_32v1" || module == "wasi_unstable") return "wasi_snapshot_preview1";
  return nullptr;
}

std::vector<const SyscallInfo*> syscall_overloads(const std::string& module,
                                                  const std::string& name) {
  std::vector<const SyscallInfo*> found;
  for (const SyscallInfo& s : kTable)
    if (module == s.module && name == s.name) found.push_back(&s);
  if (found.empty())
    if (const char* alias = alias_module(module)) return syscall_overloads(alias, name);
  return found;
}

const SyscallInfo* find_syscall(const std::string& module,
                                const std::string& name) {
  std::vector<const SyscallInfo*> found = syscall_overloads(module, name);
  return found.empty() ? nullptr : found.front();
}

const SyscallInfo* select_syscall(const std::string& module, const std::string& name,
                                  const std::string& params, const std::string& results,
                                  const ImportContext& context) {
  for (const SyscallInfo* s : syscall_overloads(module, name)) {
    if ((s->flags & SYSCALL_IF_WASIX_LIBC) && !context.wasix_libc) continue;
    if (syscall_param_letters(*s) == params && syscall_result_letters(*s) == results) return s;
  }
  return nullptr;
}

namespace {
// Every function the two modules define (WASI preview1's witx; wasix_32v1
// as listed in wasix-abi.md §2), so the compatibility table also names
// what is not served yet.
const char* const kPreview1Names[] = {
    "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
    "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
    "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
    "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
    "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
    "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
    "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
    "sock_recv", "sock_send", "sock_shutdown"};
const char* const kWasixNames[] = {
    "clock_time_set", "fd_dup", "fd_dup2", "fd_event", "fd_pipe", "fd_fdflags_get", "fd_fdflags_set",
    "path_open2", "getcwd", "chdir", "tty_get", "tty_set", "callback_signal", "thread_spawn_v2",
    "thread_spawn", "thread_sleep", "thread_id", "thread_join", "thread_parallelism", "thread_signal",
    "thread_exit", "futex_wait", "futex_wake", "futex_wake_all", "stack_checkpoint", "stack_restore",
    "proc_fork", "proc_fork_env", "proc_exit2", "proc_exec", "proc_exec2", "proc_exec3", "proc_exec4",
    "proc_spawn", "proc_spawn2", "proc_spawn3", "proc_id", "proc_parent", "proc_join", "proc_signal",
    "proc_raise_interval", "proc_signals_get", "proc_signals_sizes_get", "proc_snapshot", "sock_open",
    "sock_pair", "sock_status", "sock_addr_local", "sock_addr_peer", "sock_bind", "sock_connect",
    "sock_listen", "sock_accept_v2", "sock_accept", "sock_recv_from", "sock_send_to", "sock_send_file",
    "sock_set_opt_flag", "sock_get_opt_flag", "sock_set_opt_time", "sock_get_opt_time", "sock_set_opt_size",
    "sock_get_opt_size", "sock_join_multicast_v4", "sock_leave_multicast_v4", "sock_join_multicast_v6",
    "sock_leave_multicast_v6", "resolve", "port_bridge", "port_unbridge", "port_dhcp_acquire",
    "port_addr_add", "port_addr_remove", "port_addr_clear", "port_mac", "port_addr_list",
    "port_gateway_set", "port_route_add", "port_route_remove", "port_route_clear", "port_route_list",
    "epoll_create", "epoll_ctl", "epoll_wait", "dlopen", "dlsym", "dl_invalid_handle", "call_dynamic",
    "closure_allocate", "closure_prepare", "closure_free", "reflect_signature", "context_create",
    "context_switch", "context_destroy"};

// The wasm signature in wat-like words: "(i32, i64) -> i32".
std::string signature_text(const SyscallInfo& s) {
  auto words = [](const std::string& letters) {
    std::string out;
    for (char c : letters) {
      if (!out.empty()) out += ", ";
      out += c == 'i' ? "i32" : c == 'I' ? "i64" : c == 'f' ? "f32" : "f64";
    }
    return out;
  };
  std::string results = syscall_result_letters(s);
  return "(" + words(syscall_param_letters(s)) + ")" + (results.empty() ? "" : " -> " + words(results));
}

std::string status_text(const SyscallInfo& s) {
  return s.status == SyscallStatus::SUPPORTED ? "supported" : "partial";
}

// The note, plus when the entry is chosen if the name has several.
std::string note_text(const SyscallInfo& s) {
  std::string note = s.note;
  if (s.flags & SYSCALL_IF_WASIX_LIBC)
    note = std::string("modules built by wasix-libc") + (note.empty() ? "" : "; ") + note;
  return note;
}

std::vector<const SyscallInfo*> own_entries(const char* module, const std::string& name) {
  std::vector<const SyscallInfo*> found;
  for (const SyscallInfo& e : kTable)
    if (std::strcmp(e.module, module) == 0 && name == e.name) found.push_back(&e);
  return found;
}

void markdown_row(std::string* out, const char* module, const std::string& name) {
  std::vector<const SyscallInfo*> entries = own_entries(module, name);
  const char* alias = alias_module(module);
  bool inherited = entries.empty() && alias;
  if (inherited) entries = own_entries(alias, name);
  if (entries.empty()) {
    *out += "| `" + name + "` | not yet |  |\n";
    return;
  }
  for (const SyscallInfo* s : entries) {
    // A name served by several entries shows each one's signature.
    std::string shown = "`" + name + "`" + (entries.size() > 1 ? " `" + signature_text(*s) + "`" : "");
    std::string note = inherited ? std::string("as `") + alias + "`" : note_text(*s);
    if (inherited && !note_text(*s).empty()) note += ": " + note_text(*s);
    for (char& c : note)
      if (c == '|') c = '/';
    *out += "| " + shown + " | " + status_text(*s) + " | " + note + " |\n";
  }
}

void markdown_module(std::string* out, const char* module, const char* const* names, size_t count) {
  *out += std::string("\n## ") + module + "\n\n| function | status | notes |\n|---|---|---|\n";
  std::vector<std::string> listed(names, names + count);
  for (const SyscallInfo& e : kTable)  // served but not in the list (aliases, newer names)
    if (std::strcmp(e.module, module) == 0 && std::find(listed.begin(), listed.end(), e.name) == listed.end())
      listed.push_back(e.name);
  for (const std::string& n : listed) markdown_row(out, module, n);
}

// The preview1 names a module serves through alias_module() (those it
// does not define itself).
std::vector<std::string> inherited_names(const char* module) {
  std::vector<std::string> names;
  const char* alias = alias_module(module);
  if (!alias) return names;
  for (const SyscallInfo& e : kTable)
    if (std::strcmp(e.module, alias) == 0 && own_entries(module, e.name).empty() &&
        std::find(names.begin(), names.end(), e.name) == names.end())
      names.push_back(e.name);
  return names;
}
}  // namespace

std::string syscall_compat_markdown() {
  std::string out =
      "# wasixc syscall compatibility\n\n"
      "Generated from the syscall table (`libwasix/include/wasixc/syscalls.def`) by\n"
      "`wasixc --list-syscalls=markdown`; a test fails when this file is not what the\n"
      "table says (regenerate: `build/bin/wasixc --list-syscalls=markdown > libwasix/SYSCALLS.md`).\n"
      "An import that is neither supported nor partial is refused at compile time\n"
      "(or, with `--allow-missing-imports`, traps when called).\n\n"
      "Every `wasi_snapshot_preview1` function is also served under `wasix_32v1`\n"
      "(the same implementation), unless `wasix_32v1` lists one of its own, and\n"
      "under preview0's `wasi_unstable`, which defines the calls whose layouts differ.\n\n"
      "A name may have several entries, shown with their signatures: the compiler\n"
      "picks the one whose signature is the import's (the 2023 WASIX ABI's\n"
      "`proc_join(i32, i32)`, `thread_spawn(i64, i64, i64, i32, i32)`, ...).\n\n"
      "**Interval timer units.** `proc_raise_interval(sig, interval, repeat)` reads\n"
      "`interval` in milliseconds (the documented contract, Wasmer's), except in a\n"
      "module built by wasix-libc, whose `setitimer` passes nanoseconds (and has\n"
      "since it was written, 2022-10): the compiler binds that module's import to\n"
      "the nanosecond entry. A module counts as built by wasix-libc when it\n"
      "exports `__wasm_signal` of type (i32) -> () and does not export\n"
      "`__wasixc_signal_disposition`. `__wasm_signal` is wasix-libc's signal\n"
      "callback, exported from every program its toolchains link\n"
      "(`-Wl,--export=__wasm_signal` in their link flags until 2025, then\n"
      "`export_name` in wasix-libc, whose start-up registers it);\n"
      "`__wasixc_signal_disposition` marks wasixc's guest library, which mimics\n"
      "that callback but whose calls take milliseconds as documented. Why it is\n"
      "sound: in a wasix-libc module the libc's only caller, `setitimer`, sends\n"
      "nanoseconds, and wasix-libc's header types the argument as a\n"
      "`__wasi_timestamp_t` (nanoseconds), so a direct call there follows the\n"
      "same unit; a raw caller following the documented milliseconds is a module\n"
      "wasix-libc did not build. The rule reads the module, never the value:\n"
      "100 (ms) and 100000000 (ns) are both plausible intervals.\n";
  size_t served = 0;
  for (const SyscallInfo& e : kTable) served += e.status == SyscallStatus::SUPPORTED ? 1 : 0;
  out += "\n" + std::to_string(syscall_count()) + " entries, " + std::to_string(served) +
         " fully supported.\n";
  markdown_module(&out, "wasi_snapshot_preview1", kPreview1Names, std::size(kPreview1Names));
  markdown_module(&out, "wasix_32v1", kWasixNames, std::size(kWasixNames));
  std::vector<std::string> also = inherited_names("wasix_32v1");
  out += "\nAlso served under `wasix_32v1`, as their `wasi_snapshot_preview1` entries:";
  for (size_t i = 0; i < also.size(); ++i) out += (i ? ", `" : " `") + also[i] + "`";
  out += ".\n";
  // preview0: preview1's names less sock_accept (added in preview1).
  std::vector<const char*> preview0;
  for (const char* n : kPreview1Names)
    if (std::strcmp(n, "sock_accept") != 0) preview0.push_back(n);
  markdown_module(&out, "wasi_unstable", preview0.data(), preview0.size());
  std::vector<std::string> others;
  for (const SyscallInfo& e : kTable)
    if (std::strcmp(e.module, "wasi_snapshot_preview1") != 0 && std::strcmp(e.module, "wasix_32v1") != 0 &&
        std::strcmp(e.module, "wasi_unstable") != 0 &&
        std::find(others.begin(), others.end(), e.module) == others.end())
      others.push_back(e.module);
  for (const std::string& m : others) markdown_module(&out, m.c_str(), nullptr, 0);
  return out;
}

std::string syscall_list_text() {
  std::string out;
  char line[512];
  for (const SyscallInfo& s : kTable) {
    std::string note = note_text(s);
    snprintf(line, sizeof line, "%-24s %-24s %-40s %s%s%s\n", s.module, s.name, signature_text(s).c_str(),
             status_text(s).c_str(), note.empty() ? "" : ": ", note.c_str());
    out += line;
  }
  for (const char* module : {"wasix_32v1", "wasi_unstable"})
    for (const std::string& name : inherited_names(module)) {
      const SyscallInfo* s = find_syscall(module, name);
      snprintf(line, sizeof line, "%-24s %-24s %-40s alias of %s.%s\n", module, name.c_str(),
               signature_text(*s).c_str(), s->module, s->name);
      out += line;
    }
  return out;
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
