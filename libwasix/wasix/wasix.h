// Handlers of the wasix_32v1 calls, one file per family (proc.cc, ...).
// Same conventions as wasi/wasi.h.
#pragma once

#include <cstdint>
#include <vector>

#include "wasi_errno.h"
#include "wasixc/abi.h"

namespace wasixc::wasix {

using Ctx = wasixc_ctx;
using u32 = uint32_t;
using u64 = uint64_t;

// proc.cc
Errno proc_id(Ctx&, u32 pid_out);
Errno proc_parent(Ctx&, u32 pid, u32 parent_out);
Errno proc_fork(Ctx&, u32 copy_memory, u32 pid_out);
Errno proc_join(Ctx&, u32 option_pid, u32 flags, u32 status_out);
Errno proc_join_v1(Ctx&, u32 pid_inout, u32 exit_code_out);
// Returns only as the child of proc_fork_env (vfork_env below).
void proc_exit2(Ctx&, u32 code);
Errno proc_fork_env(Ctx&, u32 pid_out);
// proc_fork_env's state: the calling thread runs as the child with a copy
// of the fd table and its own cwd; leaving restores the parent's.
void leave_fork_env_child();

// signal.cc
void callback_signal(Ctx&, u32 name, u32 name_len);
Errno proc_signal(Ctx&, u32 pid, u32 sig);
Errno proc_raise(Ctx&, u32 sig);
Errno thread_signal(Ctx&, u32 tid, u32 sig);
Errno proc_raise_interval(Ctx&, u32 sig, u64 interval_ms, u32 repeat);
Errno proc_raise_interval_ns(Ctx&, u32 sig, u64 interval_ns, u32 repeat);
Errno proc_raise_interval2(Ctx&, u32 sig, u32 new_value, u32 old_value);
Errno proc_signals_sizes_get(Ctx&, u32 count_out);
Errno proc_signals_get(Ctx&, u32 out);

// thread.cc
u32 thread_spawn_wasi(Ctx&, u32 start_arg);
Errno thread_spawn_v2(Ctx&, u32 start_arg, u32 tid_out);
Errno thread_spawn_v1(Ctx&, u64 user_data, u64 stack_base, u64 stack_start, u32 reactor, u32 tid_out);
Errno thread_id(Ctx&, u32 tid_out);
Errno thread_join(Ctx&, u32 tid);
[[noreturn]] void thread_exit(Ctx&, u32 code);
Errno thread_sleep(Ctx&, u64 ns);
Errno thread_parallelism(Ctx&, u32 count_out);
Errno futex_wait(Ctx&, u32 addr, u32 expected, u32 timeout, u32 woken_out);
Errno futex_wake(Ctx&, u32 addr, u32 woken_out);
Errno futex_wake_all(Ctx&, u32 addr, u32 woken_out);

// thread_local.cc (the 2023 ABI's thread-local keys)
Errno thread_local_create(Ctx&, u64 user_data, u32 key_out);
Errno thread_local_destroy(Ctx&, u32 key);
Errno thread_local_set(Ctx&, u32 key, u64 value);
Errno thread_local_get(Ctx&, u32 key, u32 value_out);

// cwd.cc
Errno getcwd(Ctx&, u32 buf, u32 len_inout);
Errno chdir(Ctx&, u32 path, u32 path_len);

// fd.cc
Errno fd_dup(Ctx&, u32 fd, u32 fd_out);
Errno fd_dup2(Ctx&, u32 fd, u32 min_fd, u32 cloexec, u32 fd_out);
Errno fd_pipe(Ctx&, u32 fd0_out, u32 fd1_out);
Errno fd_event(Ctx&, u64 initial, u32 flags, u32 fd_out);
Errno fd_fdflags_get(Ctx&, u32 fd, u32 flags_out);
Errno fd_fdflags_set(Ctx&, u32 fd, u32 flags);

// tty.cc
Errno tty_get(Ctx&, u32 tty_out);
Errno tty_set(Ctx&, u32 tty_in);

// exec.cc
void set_exec_config(const wasixc_config* config);
Errno proc_exec3(Ctx&, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len, u32 search_path,
                 u32 path, u32 path_len);
Errno proc_spawn2(Ctx&, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len, u32 fd_ops,
                  u32 n_fd_ops, u32 sig_disp, u32 n_sig_disp, u32 search_path, u32 path, u32 path_len,
                  u32 pid_out);

// These two return only as the child of proc_fork_env.
void proc_exec(Ctx&, u32 name, u32 name_len, u32 args, u32 args_len);
void proc_exec2(Ctx&, u32 name, u32 name_len, u32 args, u32 args_len, u32 envs, u32 envs_len);
Errno proc_spawn(Ctx&, u32 name, u32 name_len, u32 chroot, u32 args, u32 args_len, u32 preopens, u32 preopens_len,
                 u32 stdin_mode, u32 stdout_mode, u32 stderr_mode, u32 workdir, u32 workdir_len, u32 handles_out);

// dl.cc
Errno dlopen(Ctx&, u32 path, u32 path_len, u32 flags, u32 err_buf, u32 err_buf_len, u32 ld_path, u32 ld_path_len,
             u32 handle_out);
Errno dlsym(Ctx&, u32 handle, u32 symbol, u32 symbol_len, u32 err_buf, u32 err_buf_len, u32 value_out);
Errno dl_invalid_handle(Ctx&, u32 handle);

// sock.cc
Errno sock_open(Ctx&, u32 af, u32 socktype, u32 proto, u32 fd_out);
Errno sock_pair(Ctx&, u32 af, u32 socktype, u32 proto, u32 fd0_out, u32 fd1_out);
Errno sock_status(Ctx&, u32 fd, u32 status_out);
Errno sock_addr_local(Ctx&, u32 fd, u32 addr_out);
Errno sock_addr_peer(Ctx&, u32 fd, u32 addr_out);
Errno sock_bind(Ctx&, u32 fd, u32 addr);
Errno sock_listen(Ctx&, u32 fd, u32 backlog);
Errno sock_connect(Ctx&, u32 fd, u32 addr);
Errno sock_accept_v2(Ctx&, u32 fd, u32 fdflags, u32 fd_out, u32 addr_out);
Errno sock_accept(Ctx&, u32 fd, u32 fdflags, u32 fd_out);
Errno sock_recv(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u32 riflags, u32 nread_out, u32 roflags_out);
Errno sock_send(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u32 siflags, u32 nsent_out);
Errno sock_shutdown(Ctx&, u32 fd, u32 how);
Errno sock_recv_from(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u32 riflags, u32 nread_out, u32 roflags_out,
                     u32 addr_out);
Errno sock_send_to(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u32 siflags, u32 addr, u32 nsent_out);
Errno sock_send_file(Ctx&, u32 out_fd, u32 in_fd, u64 offset, u64 count, u32 sent_out);
Errno sock_set_opt_flag(Ctx&, u32 fd, u32 opt, u32 flag);
Errno sock_get_opt_flag(Ctx&, u32 fd, u32 opt, u32 flag_out);
Errno sock_set_opt_time(Ctx&, u32 fd, u32 opt, u32 time);
Errno sock_get_opt_time(Ctx&, u32 fd, u32 opt, u32 time_out);
Errno sock_set_opt_size(Ctx&, u32 fd, u32 opt, u64 size);
Errno sock_get_opt_size(Ctx&, u32 fd, u32 opt, u32 size_out);
Errno resolve(Ctx&, u32 host, u32 host_len, u32 port, u32 addrs_out, u32 max, u32 count_out);

// epoll.cc
Errno epoll_create(Ctx&, u32 fd_out);
Errno epoll_ctl(Ctx&, u32 epfd, u32 op, u32 fd, u32 event);
Errno epoll_wait(Ctx&, u32 epfd, u32 events_out, u32 max, u64 timeout_ns, u32 nevents_out);

}  // namespace wasixc::wasix
