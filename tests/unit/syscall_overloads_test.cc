// Several entries per import name: the compiler picks one by the import's
// signature and the module's libc (syscall_info.h select_syscall,
// aot/imports.cc built_by_wasix_libc).
#include <gtest/gtest.h>

#include <string>

#include "aot/imports.h"
#include "syscall_info.h"
#include "wabt/ir.h"

namespace wasixc {
namespace {

TEST(SyscallOverloads, TimerUnitFollowsTheModulesLibc) {
  ImportContext raw, libc;
  libc.wasix_libc = true;
  const SyscallInfo* ms = select_syscall("wasix_32v1", "proc_raise_interval", "iIi", "i", raw);
  const SyscallInfo* ns = select_syscall("wasix_32v1", "proc_raise_interval", "iIi", "i", libc);
  ASSERT_NE(ms, nullptr);
  ASSERT_NE(ns, nullptr);
  EXPECT_EQ(std::string(ms->symbol), "wasixc_sys_wasix_32v1_proc_raise_interval");
  EXPECT_EQ(std::string(ns->symbol), "wasixc_sys_wasix_32v1_proc_raise_interval_ns");
  // A signature no entry has: nothing, and the candidates say what is.
  EXPECT_EQ(select_syscall("wasix_32v1", "proc_raise_interval", "iii", "i", raw), nullptr);
  EXPECT_EQ(syscall_overloads("wasix_32v1", "proc_raise_interval").size(), 2u);
}

TEST(SyscallOverloads, Preview1NamesUnderWasix32v1) {
  ImportContext none;
  const SyscallInfo* p1 = select_syscall("wasi_snapshot_preview1", "fd_write", "iiii", "i", none);
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(select_syscall("wasix_32v1", "fd_write", "iiii", "i", none), p1);
  EXPECT_EQ(select_syscall("wasix_32v1", "proc_exit", "i", "", none),
            select_syscall("wasi_snapshot_preview1", "proc_exit", "i", "", none));
  EXPECT_EQ(std::string(alias_module("wasix_32v1")), "wasi_snapshot_preview1");
  EXPECT_EQ(alias_module("wasi"), nullptr);
}

// A module with one exported function `name` of type `params` -> ().
void add_export(wabt::Module* m, const std::string& name, std::vector<wabt::Type> params) {
  auto* field = new wabt::FuncModuleField();
  field->func.name = "$" + name;
  field->func.decl.sig.param_types = std::move(params);
  m->AppendField(std::unique_ptr<wabt::FuncModuleField>(field));
  auto* ex = new wabt::ExportModuleField();
  ex->export_.name = name;
  ex->export_.kind = wabt::ExternalKind::Func;
  ex->export_.var = wabt::Var(static_cast<wabt::Index>(m->funcs.size() - 1), wabt::Location());
  m->AppendField(std::unique_ptr<wabt::ExportModuleField>(ex));
}

TEST(SyscallOverloads, WasixLibcIsItsSignalCallbackWithoutWasixcsGuestLibrary) {
  wabt::Module plain;
  add_export(&plain, "_start", {});
  EXPECT_FALSE(aot::built_by_wasix_libc(plain));

  wabt::Module libc;
  add_export(&libc, "_start", {});
  add_export(&libc, "__wasm_signal", {wabt::Type::I32});
  EXPECT_TRUE(aot::built_by_wasix_libc(libc));

  wabt::Module guest_library;
  add_export(&guest_library, "__wasm_signal", {wabt::Type::I32});
  add_export(&guest_library, "__wasixc_signal_disposition", {wabt::Type::I32});
  EXPECT_FALSE(aot::built_by_wasix_libc(guest_library));

  wabt::Module wrong_type;  // not wasix-libc's void(int) callback
  add_export(&wrong_type, "__wasm_signal", {});
  EXPECT_FALSE(aot::built_by_wasix_libc(wrong_type));
}

}  // namespace
}  // namespace wasixc
