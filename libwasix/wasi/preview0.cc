// wasi_unstable (WASI preview0, "snapshot 0"): the same calls as preview1
// except where a layout or an enum differs; those are here, everything
// else is preview1's entry (syscall_info.h alias_module). The differences
// (WASI's legacy/preview0 witx):
//   whence      CUR = 0, END = 1, SET = 2 (preview1: SET, CUR, END)
//   filestat    56 bytes, link count u32 @20 (filestat.h)
//   subscription a clock subscription starts with a u64 identifier:
//               56 bytes, clock id @24, timeout @32, flags @48 (poll.cc)
#include "filestat.h"
#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {

Errno fd_seek_preview0(Ctx& ctx, u32 fd, u64 offset, u32 whence, u32 newoffset_out) {
  u32 preview1_whence;
  switch (whence) {
    case 0: preview1_whence = 1; break;  // CUR
    case 1: preview1_whence = 2; break;  // END
    case 2: preview1_whence = 0; break;  // SET
    default: return Errno::INVAL;        // lseek(2): whence invalid
  }
  return fd_seek(ctx, fd, offset, preview1_whence, newoffset_out);
}

Errno fd_filestat_get_preview0(Ctx& ctx, u32 fd, u32 filestat_out) {
  struct stat st;
  uint8_t filetype;
  if (Errno e = fd_stat(fd, &st, &filetype); e != Errno::SUCCESS) return e;
  store_filestat_preview0(guest_memory(ctx), filestat_out, st, filetype);
  return Errno::SUCCESS;
}

Errno path_filestat_get_preview0(Ctx& ctx, u32 fd, u32 lookupflags, u32 path, u32 path_len, u32 filestat_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(filestat_out, 56);
  struct stat st = {};
  uint8_t filetype;
  if (Errno e = path_stat(ctx, fd, lookupflags, path, path_len, &st, &filetype); e != Errno::SUCCESS) return e;
  store_filestat_preview0(mem, filestat_out, st, filetype);
  return Errno::SUCCESS;
}

Errno poll_oneoff_preview0(Ctx& ctx, u32 in, u32 out, u32 nsubscriptions, u32 nevents_out) {
  return poll_subscriptions(ctx, in, out, nsubscriptions, nevents_out, kPreview0Subscription);
}

}  // namespace wasixc::wasi
