// The syscall table is the contract between the compiler and the runtime:
// check it is well formed and that its signatures are what WASI defines.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "syscall_info.h"

namespace wasixc {
namespace {

TEST(SyscallTable, EntriesAreUniqueAndWellFormed) {
  std::set<std::string> seen, symbols;
  ASSERT_GT(syscall_count(), 0u);
  for (size_t i = 0; i < syscall_count(); ++i) {
    const SyscallInfo& s = syscall_table()[i];
    SCOPED_TRACE(s.name);
    // A name may have several entries, told apart by signature or by the
    // module condition (SYSCALL_IF_WASIX_LIBC).
    EXPECT_TRUE(seen.insert(std::string(s.module) + "." + s.name + " " + syscall_param_letters(s) + ":" +
                            syscall_result_letters(s) + " " + std::to_string(s.flags & SYSCALL_IF_WASIX_LIBC))
                    .second);
    EXPECT_TRUE(symbols.insert(s.symbol).second);
    std::string letters = syscall_param_letters(s);
    EXPECT_EQ(letters.find('?'), std::string::npos) << s.params;
    if (s.status == SyscallStatus::PARTIAL) EXPECT_NE(std::string(s.note), "");
  }
}

struct Expected {
  const char* name;
  const char* params;
  const char* results;
};

// Each named call of `module` exists with these signature letters; its
// entry point is wasixc_sys_<module>_<name>.
void expect_signatures(const char* module, const std::vector<Expected>& expected) {
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.name);
    const SyscallInfo* s = find_syscall(module, e.name);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(syscall_param_letters(*s), e.params);
    EXPECT_EQ(syscall_result_letters(*s), e.results);
    EXPECT_EQ(std::string(s->symbol), std::string("wasixc_sys_") + module + "_" + e.name);
  }
}

TEST(SyscallTable, Preview1SignaturesMatchTheWasiSpec) {
  expect_signatures("wasi_snapshot_preview1", {
      {"args_get", "ii", "i"},          {"args_sizes_get", "ii", "i"},
      {"environ_get", "ii", "i"},       {"environ_sizes_get", "ii", "i"},
      {"fd_write", "iiii", "i"},        {"fd_read", "iiii", "i"},
      {"fd_close", "i", "i"},           {"fd_seek", "iIii", "i"},
      {"fd_tell", "ii", "i"},
      {"fd_fdstat_get", "ii", "i"},     {"fd_prestat_get", "ii", "i"},
      {"fd_prestat_dir_name", "iii", "i"}, {"clock_time_get", "iIi", "i"},
      {"clock_res_get", "ii", "i"},     {"random_get", "ii", "i"},
      {"sched_yield", "", "i"},         {"proc_exit", "i", ""},
      {"poll_oneoff", "iiii", "i"},
  });
  EXPECT_EQ(find_syscall("wasi_snapshot_preview1", "no_such_call"), nullptr);
  // wasix_32v1 serves the preview1 names too, through the same entry.
  EXPECT_EQ(find_syscall("wasix_32v1", "fd_write"), find_syscall("wasi_snapshot_preview1", "fd_write"));
  EXPECT_EQ(find_syscall("wasix_32v1", "no_such_call"), nullptr);
}

// wasix-abi.md §2.2 and wasi-threads.
TEST(SyscallTable, ThreadSignaturesMatchWasix) {
  expect_signatures("wasix_32v1", {
      {"thread_spawn_v2", "ii", "i"}, {"thread_spawn", "ii", "i"},   {"thread_id", "i", "i"},
      {"thread_join", "i", "i"},      {"thread_exit", "i", ""},       {"thread_sleep", "I", "i"},
      {"thread_parallelism", "i", "i"}, {"thread_signal", "ii", "i"}, {"futex_wait", "iiii", "i"},
      {"futex_wake", "ii", "i"},      {"futex_wake_all", "ii", "i"},
  });
  const SyscallInfo* spawn = find_syscall("wasi", "thread-spawn");
  ASSERT_NE(spawn, nullptr);
  EXPECT_EQ(syscall_param_letters(*spawn), "i");
  EXPECT_EQ(syscall_result_letters(*spawn), "i");
  EXPECT_EQ(std::string(spawn->symbol), "wasixc_sys_wasi_thread_spawn");
}

}  // namespace
}  // namespace wasixc
