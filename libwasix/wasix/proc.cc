// The process family of wasix_32v1: pids, fork, join, exit. Decodes guest
// memory and maps errors; the meaning lives in kernel/process.cc.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "kernel/path_resolver.h"
#include "kernel/process.h"
#include "kernel/signals.h"
#include "kernel/vfork_env.h"
#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {

Errno proc_id(Ctx& ctx, u32 pid_out) {
  // As proc_fork_env's child the thread is that process (getpid(2) in a
  // vfork child is the child's pid).
  pid_t child = kernel::fork_env_child();
  guest_memory(ctx).store<u32>(pid_out, static_cast<u32>(child ? child : kernel::process_id()));
  return Errno::SUCCESS;
}

Errno proc_parent(Ctx& ctx, u32 pid, u32 parent_out) {
  std::optional<pid_t> parent = kernel::parent_of(static_cast<pid_t>(pid));
  if (!parent) return Errno::BADF;  // wasix: unknown pid
  guest_memory(ctx).store<u32>(parent_out, static_cast<u32>(*parent));
  return Errno::SUCCESS;
}

// copy_memory 0 is wasix-libc's vfork: the parent waits until the child
// execs or exits, as Linux's vfork(2); the child gets a copy-on-write copy
// (indistinguishable for a child that only execs or exits).
Errno proc_fork(Ctx& ctx, u32 copy_memory, u32 pid_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(pid_out, 4);  // fault before forking, not in both processes
  pid_t pid = copy_memory ? kernel::fork_process() : kernel::vfork_process();
  if (pid < 0) return errno_from_host(-pid);
  mem.store<u32>(pid_out, static_cast<u32>(pid));
  return Errno::SUCCESS;
}

// option_pid (in/out): tag u8 @0, pid u32 @4. join_status: tag u8 @0,
// exit code u16 @2, signal u8 @4 (wasix-abi.md §3.2).
Errno proc_join(Ctx& ctx, u32 option_pid, u32 flags, u32 status_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(option_pid, 8);
  mem.check(status_out, 6);
  std::optional<pid_t> which;
  if (mem.load<uint8_t>(option_pid) == 1) which = static_cast<pid_t>(mem.load<u32>(option_pid + 4));
  // On entry the host reports "no pid, nothing", as wasix-libc expects.
  mem.store<uint8_t>(option_pid, 0);
  mem.store<u32>(option_pid + 4, 0);
  uint8_t zero[6] = {};
  mem.copy_out(status_out, zero, sizeof zero);

  kernel::JoinResult r = kernel::join_child(which, flags & 1, flags & 2, [](void* c) {
    kernel::deliver_pending(static_cast<Ctx*>(c));
  }, &ctx);
  if (r.error) return errno_from_host(r.error);
  // Some(pid), or Some(0) for "non-blocking, nothing yet": libc turns a
  // None into ECHILD.
  mem.store<uint8_t>(option_pid, 1);
  mem.store<u32>(option_pid + 4, static_cast<u32>(r.pid));
  switch (r.kind) {
    case kernel::JoinResult::kNothing: break;
    case kernel::JoinResult::kExited:
      mem.store<uint8_t>(status_out, 1);
      mem.store<uint16_t>(status_out + 2, static_cast<uint16_t>(r.exit_code));
      break;
    case kernel::JoinResult::kSignaled:
      mem.store<uint8_t>(status_out, 2);
      mem.store<uint8_t>(status_out + 4, static_cast<uint8_t>(r.signal));
      break;
    case kernel::JoinResult::kStopped:
      mem.store<uint8_t>(status_out, 3);
      mem.store<uint8_t>(status_out + 2, static_cast<uint8_t>(r.signal));
      break;
  }
  return Errno::SUCCESS;
}

// The 2022-23 form (wasix-libc until 2023-03, Wasmer 3.x): pid (in/out
// u32, waitpid(2)'s pid as libc passed it: u32 max is -1, any child; 0
// and other negative values are process groups) and exit code (out u32).
// Always blocks. No such child: ECHILD, with the code ECHILD and, for a
// wait on no particular child, the pid slot -1, as Wasmer wrote them. A
// child killed by a signal reports 128 + the signal, as a shell shows it
// (the form has no other way to say it).
Errno proc_join_v1(Ctx& ctx, u32 pid_inout, u32 exit_code_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(pid_inout, 4);
  mem.check(exit_code_out, 4);
  pid_t pid = static_cast<pid_t>(mem.load<u32>(pid_inout));
  kernel::JoinResult r = kernel::join_child(pid, /*non_blocking=*/false, /*stopped=*/false, [](void* c) {
    kernel::deliver_pending(static_cast<Ctx*>(c));
  }, &ctx);
  if (r.error) {
    if (pid <= 0) mem.store<u32>(pid_inout, UINT32_MAX);
    mem.store<u32>(exit_code_out, static_cast<u32>(Errno::CHILD));
    return errno_from_host(r.error);
  }
  mem.store<u32>(pid_inout, static_cast<u32>(r.pid));
  u32 code = r.kind == kernel::JoinResult::kSignaled ? 128u + static_cast<u32>(r.signal)
                                                       : static_cast<u32>(r.exit_code);
  mem.store<u32>(exit_code_out, code);
  return Errno::SUCCESS;
}


namespace {

// What the parent had while the thread runs as proc_fork_env's child: the
// child gets a copy of the fd table (each host descriptor duplicated, so
// its dup2/close/open before exec change only the child's, as with
// vfork(2), whose child has its own table) and its own cwd.
struct ParentView {
  std::vector<std::pair<uint32_t, FdEntry>> fds;
  kernel::PathBase cwd;
  kernel::HostFd cwd_holder;
};
thread_local std::optional<ParentView> t_parent;

void enter_child_view() {
  ParentView& v = t_parent.emplace();
  kernel::cwd_base(&v.cwd, &v.cwd_holder);
  FdTable& table = process_state().fds;
  for (auto& [fd, entry] : table.snapshot()) {
    FdEntry copy = entry;
    copy.host_fd = fcntl(entry.host_fd, F_DUPFD_CLOEXEC, 0);
    if (copy.host_fd < 0) continue;  // EMFILE: the child lacks that one
    if (std::optional<FdEntry> taken = table.take(fd)) v.fds.emplace_back(fd, std::move(*taken));
    table.install(fd, std::move(copy));
  }
}

}  // namespace

void leave_fork_env_child() {
  if (!t_parent) return;
  FdTable& table = process_state().fds;
  for (auto& [fd, entry] : table.snapshot()) table.close(fd);  // the child's copies
  for (auto& [fd, entry] : t_parent->fds) table.install(fd, std::move(entry));
  kernel::change_directory(t_parent->cwd, ".");
  t_parent.reset();
}

// wasix-libc's vfork in EH sysroots (wasix-abi.md §3.3): the child process
// is created (kernel/vfork_env.h) and the calling thread goes on as it,
// control flow and memory untouched; *pid gets the child's pid, which the
// guest's vfork returns in the parent after jumping back.
Errno proc_fork_env(Ctx& ctx, u32 pid_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(pid_out, 4);
  pid_t pid = kernel::fork_env_begin();
  if (pid < 0) return errno_from_host(-pid);
  enter_child_view();
  mem.store<u32>(pid_out, static_cast<u32>(pid));
  return Errno::SUCCESS;
}

// As proc_fork_env's child: that child ends with `code` (its descriptors
// closed) and the call returns in the parent. Otherwise: exit.
void proc_exit2(Ctx&, u32 code) {
  if (!kernel::fork_env_child()) kernel::exit_process(code);
  kernel::fork_env_exit(code);
  leave_fork_env_child();
}

}  // namespace wasixc::wasix
