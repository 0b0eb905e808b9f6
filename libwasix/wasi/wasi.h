// Handlers of the wasi_snapshot_preview1 calls, one file per family:
// args_environ.cc, fd.cc, clock.cc, random.cc, proc.cc. Each decodes its
// arguments from guest memory (guest_memory.h), does the host work and
// returns a WASI errno; the syscall table (syscalls.def) binds them to
// import names. Parameter types mirror the wasm signature exactly.
#pragma once

#include <sys/stat.h>

#include <cstdint>

#include "wasi_errno.h"
#include "wasixc/abi.h"

namespace wasixc::wasi {

using Ctx = wasixc_ctx;
using u32 = uint32_t;
using u64 = uint64_t;

// args_environ.cc
Errno args_get(Ctx&, u32 argv, u32 argv_buf);
Errno args_sizes_get(Ctx&, u32 argc_out, u32 buf_size_out);
Errno environ_get(Ctx&, u32 environ, u32 environ_buf);
Errno environ_sizes_get(Ctx&, u32 count_out, u32 buf_size_out);

// fd.cc
Errno fd_write(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u32 nwritten_out);
Errno fd_read(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u32 nread_out);
Errno fd_close(Ctx&, u32 fd);
Errno fd_seek(Ctx&, u32 fd, u64 offset, u32 whence, u32 newoffset_out);
Errno fd_tell(Ctx&, u32 fd, u32 offset_out);
Errno fd_fdstat_get(Ctx&, u32 fd, u32 fdstat_out);
Errno fd_prestat_get(Ctx&, u32 fd, u32 prestat_out);
Errno fd_prestat_dir_name(Ctx&, u32 fd, u32 path, u32 path_len);
Errno fd_pread(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nread_out);
Errno fd_pwrite(Ctx&, u32 fd, u32 iovs, u32 iovs_len, u64 offset, u32 nwritten_out);
Errno fd_filestat_get(Ctx&, u32 fd, u32 filestat_out);
// The host stat and WASI filetype behind fd_filestat_get (both ABIs).
Errno fd_stat(u32 fd, struct ::stat* st, uint8_t* filetype);
Errno fd_filestat_set_size(Ctx&, u32 fd, u64 size);
Errno fd_filestat_set_times(Ctx&, u32 fd, u64 atim, u64 mtim, u32 fst_flags);
Errno fd_fdstat_set_flags(Ctx&, u32 fd, u32 flags);
Errno fd_fdstat_set_rights(Ctx&, u32 fd, u64 rights_base, u64 rights_inheriting);
Errno fd_advise(Ctx&, u32 fd, u64 offset, u64 len, u32 advice);
Errno fd_allocate(Ctx&, u32 fd, u64 offset, u64 len);
Errno fd_sync(Ctx&, u32 fd);
Errno fd_datasync(Ctx&, u32 fd);
Errno fd_renumber(Ctx&, u32 from, u32 to);

// path.cc (path_open2 is wasix_32v1's path_open with fdflagsext CLOEXEC)
Errno path_open(Ctx&, u32 dirfd, u32 lookupflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                u64 rights_inheriting, u32 fdflags, u32 fd_out);
Errno path_open2(Ctx&, u32 dirfd, u32 lookupflags, u32 path, u32 path_len, u32 oflags, u64 rights_base,
                 u64 rights_inheriting, u32 fdflags, u32 fdflagsext, u32 fd_out);
Errno path_filestat_get(Ctx&, u32 fd, u32 lookupflags, u32 path, u32 path_len, u32 filestat_out);
// The host stat and WASI filetype behind path_filestat_get (both ABIs).
Errno path_stat(Ctx&, u32 fd, u32 lookupflags, u32 path, u32 path_len, struct ::stat* st, uint8_t* filetype);
Errno path_filestat_set_times(Ctx&, u32 fd, u32 lookupflags, u32 path, u32 path_len, u64 atim, u64 mtim,
                              u32 fst_flags);
Errno path_create_directory(Ctx&, u32 fd, u32 path, u32 path_len);
Errno path_remove_directory(Ctx&, u32 fd, u32 path, u32 path_len);
Errno path_unlink_file(Ctx&, u32 fd, u32 path, u32 path_len);
Errno path_rename(Ctx&, u32 fd, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path, u32 new_path_len);
Errno path_link(Ctx&, u32 old_fd, u32 old_flags, u32 old_path, u32 old_path_len, u32 new_fd, u32 new_path,
                u32 new_path_len);
Errno path_symlink(Ctx&, u32 old_path, u32 old_path_len, u32 fd, u32 new_path, u32 new_path_len);
Errno path_readlink(Ctx&, u32 fd, u32 path, u32 path_len, u32 buf, u32 buf_len, u32 bufused_out);

// dir.cc
Errno fd_readdir(Ctx&, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused_out);

// clock.cc
Errno clock_time_get(Ctx&, u32 clock_id, u64 precision, u32 time_out);
Errno clock_res_get(Ctx&, u32 clock_id, u32 resolution_out);

// poll.cc
Errno poll_oneoff(Ctx&, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out);
// Where a subscription's clock fields are (preview1: 48 bytes; preview0's
// clock has a u64 `identifier` first: 56 bytes). fd @16 in both.
struct SubscriptionLayout {
  u32 size, clock_id, clock_timeout, clock_flags;
};
inline constexpr SubscriptionLayout kPreview1Subscription{48, 16, 24, 40};
inline constexpr SubscriptionLayout kPreview0Subscription{56, 24, 32, 48};
Errno poll_subscriptions(Ctx&, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out,
                         const SubscriptionLayout& layout);

// preview0.cc: wasi_unstable's calls whose layouts differ from preview1
Errno fd_seek_preview0(Ctx&, u32 fd, u64 offset, u32 whence, u32 newoffset_out);
Errno fd_filestat_get_preview0(Ctx&, u32 fd, u32 filestat_out);
Errno path_filestat_get_preview0(Ctx&, u32 fd, u32 lookupflags, u32 path, u32 path_len, u32 filestat_out);
Errno poll_oneoff_preview0(Ctx&, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out);

// random.cc
Errno random_get(Ctx&, u32 buf, u32 buf_len);

// proc.cc
Errno sched_yield(Ctx&);
[[noreturn]] void proc_exit(Ctx&, u32 code);

}  // namespace wasixc::wasi
