// fd_readdir: a directory's entries as WASI dirents, from getdents64(2).
//
// Cookies are entry indexes (0 the start, n: after the n-th entry), so a
// guest can resume, rewind or seekdir anywhere: wasm32 libcs keep them in a
// 32-bit `long` (wasi-libc's telldir), where the host's own d_off (ext4: a
// 64-bit hash) would be cut. The host offset of every 32nd index (and of
// each call's end) is remembered per directory, so a scan resumes exactly
// where it stopped, even while entries are added or removed. "." and ".." come as Linux lists them. The buffer is
// filled exactly as the spec says: entries are packed (24-byte header,
// then the name, no NUL) and the last one is cut at the buffer's end; a
// result equal to the buffer size tells the guest there may be more.
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "filestat.h"
#include "kernel/devices.h"
#include "kernel/path_resolver.h"
#include "process_state.h"
#include "wasi.h"

namespace wasixc::wasi {
namespace {

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  uint16_t d_reclen;
  uint8_t d_type;
  char d_name[];
};

uint8_t filetype_of_dtype(uint8_t type) {
  switch (type) {
    case DT_REG: return FILETYPE_REGULAR_FILE;
    case DT_DIR: return FILETYPE_DIRECTORY;
    case DT_LNK: return FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return FILETYPE_SOCKET_STREAM;
    default: return FILETYPE_UNKNOWN;  // FIFOs, DT_UNKNOWN
  }
}

// Seek + read must not interleave between guest threads sharing the
// descriptor's offset.
std::mutex g_readdir_lock;

// Directory (dev, ino) -> entry index -> host offset of that entry.
constexpr uint64_t kRememberEvery = 32;
constexpr size_t kMaxDirectories = 256;
std::map<std::pair<dev_t, ino_t>, std::map<uint64_t, off_t>> g_positions;

// A virtual directory (kernel/path_resolver.h) lists ".", ".." and the
// names that lead to mappings below it, all directories; cookies are
// indexes as for host directories.
Errno read_virtual_dir(const GuestMemory& mem, const FdEntry& entry, u32 buf, u32 buf_len, u64 cookie,
                       u32 bufused_out) {
  std::vector<std::string> names = {".", ".."};
  for (std::string& n : kernel::virtual_directory_names(entry.guest_path)) names.push_back(std::move(n));
  u32 used = 0;
  for (uint64_t index = cookie; index < names.size() && used < buf_len; ++index) {
    const std::string& name = names[index];
    uint32_t namlen = static_cast<uint32_t>(std::min<size_t>(name.size(), 255));
    uint8_t record[24 + 256] = {};
    uint64_t next = index + 1;
    memcpy(record, &next, 8);
    memcpy(record + 16, &namlen, 4);
    record[20] = FILETYPE_DIRECTORY;
    memcpy(record + 24, name.data(), namlen);
    u32 size = static_cast<u32>(std::min<uint64_t>(24 + namlen, buf_len - used));
    mem.copy_out(static_cast<uint64_t>(buf) + used, record, size);
    used += size;
  }
  mem.store<u32>(bufused_out, used);
  return Errno::SUCCESS;
}

}  // namespace

Errno fd_readdir(Ctx& ctx, u32 fd, u32 buf, u32 buf_len, u64 cookie, u32 bufused_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(buf, buf_len);
  mem.check(bufused_out, 4);
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  if (!entry) return Errno::BADF;
  if (entry->virtual_dir) return read_virtual_dir(mem, *entry, buf, buf_len, cookie, bufused_out);
  std::lock_guard<std::mutex> guard(g_readdir_lock);
  struct stat st;
  if (fstat(entry->host_fd, &st) != 0) return errno_from_host(errno);
  if (!S_ISDIR(st.st_mode)) return Errno::NOTDIR;
  // The built-in /dev lists its allow-list only (kernel/devices.h).
  bool devices_only = kernel::is_device_mapping(entry->mapping);
  if (g_positions.size() > kMaxDirectories) g_positions.clear();
  std::map<uint64_t, off_t>& known = g_positions[{st.st_dev, st.st_ino}];
  if (cookie == 0) known.clear();  // a new scan: the directory may have changed
  // Start from the closest remembered index at or before the cookie.
  uint64_t index = 0;
  off_t offset = 0;
  if (auto it = known.upper_bound(cookie); it != known.begin()) {
    --it;
    index = it->first;
    offset = it->second;
  }
  if (lseek(entry->host_fd, offset, SEEK_SET) < 0) return errno_from_host(errno);
  alignas(8) char host_buf[16384];
  u32 used = 0;
  bool done = false;
  while (!done && used < buf_len) {
    long n = syscall(SYS_getdents64, entry->host_fd, host_buf, sizeof host_buf);
    if (n < 0) return errno_from_host(errno);
    if (n == 0) break;
    for (long at = 0; at < n; ) {
      auto* d = reinterpret_cast<linux_dirent64*>(host_buf + at);
      at += d->d_reclen;
      ++index;  // now the index after this entry
      if ((index % kRememberEvery) == 0) known[index] = d->d_off;
      if (index <= cookie) continue;  // skipping up to the cookie
      if (devices_only && strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0 &&
          !kernel::is_builtin_device_name(d->d_name))
        continue;
      // dirent (24 bytes): next @0, ino @8, namlen u32 @16, type u8 @20.
      uint32_t namlen = static_cast<uint32_t>(strlen(d->d_name));
      uint8_t record[24 + 256] = {};
      uint64_t ino = d->d_ino;
      memcpy(record, &index, 8);
      memcpy(record + 8, &ino, 8);
      memcpy(record + 16, &namlen, 4);
      record[20] = filetype_of_dtype(d->d_type);
      memcpy(record + 24, d->d_name, namlen);
      u32 size = static_cast<u32>(std::min<uint64_t>(24 + namlen, buf_len - used));
      mem.copy_out(static_cast<uint64_t>(buf) + used, record, size);
      used += size;
      if (used == buf_len) {
        // Where the next call will most likely resume: this entry's next.
        known[index] = d->d_off;
        done = true;
        break;
      }
    }
  }
  mem.store<u32>(bufused_out, used);
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasi
