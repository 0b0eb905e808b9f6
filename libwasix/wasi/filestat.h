// WASI's view of a host stat: the filetype byte and the 64-byte filestat
// (wasix-abi.md §4.4), shared by the calls that report them.
#pragma once

#include <sys/stat.h>

#include <cstdint>

#include "guest_memory.h"

namespace wasixc::wasi {

// WASI filetype values (wasix-abi.md §4.2).
enum : uint8_t {
  FILETYPE_UNKNOWN = 0, FILETYPE_BLOCK_DEVICE = 1, FILETYPE_CHARACTER_DEVICE = 2,
  FILETYPE_DIRECTORY = 3, FILETYPE_REGULAR_FILE = 4, FILETYPE_SOCKET_DGRAM = 5,
  FILETYPE_SOCKET_STREAM = 6, FILETYPE_SYMBOLIC_LINK = 7,
};

// From st_mode alone (a socket found by path: SOCKET_STREAM; FIFOs have
// no WASI filetype: UNKNOWN, as wasi-libc then reports DT_UNKNOWN).
inline uint8_t filetype_of_mode(mode_t mode) {
  if (S_ISREG(mode)) return FILETYPE_REGULAR_FILE;
  if (S_ISDIR(mode)) return FILETYPE_DIRECTORY;
  if (S_ISLNK(mode)) return FILETYPE_SYMBOLIC_LINK;
  if (S_ISCHR(mode)) return FILETYPE_CHARACTER_DEVICE;
  if (S_ISBLK(mode)) return FILETYPE_BLOCK_DEVICE;
  if (S_ISSOCK(mode)) return FILETYPE_SOCKET_STREAM;
  return FILETYPE_UNKNOWN;
}

// A virtual directory (above the mappings, kernel/path_resolver.h): no
// host object behind it, so a read-only directory with no times.
inline struct stat virtual_directory_stat() {
  struct stat st = {};
  st.st_mode = S_IFDIR | 0555;
  st.st_nlink = 2;
  return st;
}

inline uint64_t timestamp_of(const struct timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// filestat (64 bytes): dev @0, ino @8, filetype u8 @16, nlink @24,
// size @32, atim @40, mtim @48, ctim @56.
inline void store_filestat(const GuestMemory& mem, uint64_t addr, const struct stat& st, uint8_t filetype) {
  uint8_t out[64] = {};
  auto put = [&](int at, uint64_t v) { std::memcpy(out + at, &v, 8); };
  put(0, st.st_dev);
  put(8, st.st_ino);
  out[16] = filetype;
  put(24, st.st_nlink);
  put(32, static_cast<uint64_t>(st.st_size));
  put(40, timestamp_of(st.st_atim));
  put(48, timestamp_of(st.st_mtim));
  put(56, timestamp_of(st.st_ctim));
  mem.copy_out(addr, out, sizeof out);
}

// preview0's filestat (56 bytes; its link count is a u32): dev @0, ino @8,
// filetype u8 @16, nlink u32 @20, size @24, atim @32, mtim @40, ctim @48.
inline void store_filestat_preview0(const GuestMemory& mem, uint64_t addr, const struct stat& st,
                                    uint8_t filetype) {
  uint8_t out[56] = {};
  auto put = [&](int at, uint64_t v) { std::memcpy(out + at, &v, 8); };
  put(0, st.st_dev);
  put(8, st.st_ino);
  out[16] = filetype;
  // A count over 2^32-1 cannot be told: saturate rather than wrap.
  uint32_t nlink = st.st_nlink > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(st.st_nlink);
  std::memcpy(out + 20, &nlink, 4);
  put(24, static_cast<uint64_t>(st.st_size));
  put(32, timestamp_of(st.st_atim));
  put(40, timestamp_of(st.st_mtim));
  put(48, timestamp_of(st.st_ctim));
  mem.copy_out(addr, out, sizeof out);
}

}  // namespace wasixc::wasi
