// The built-in /dev: when no user mapping covers /dev (a mapping at "/",
// at "/dev" or below it), the guest sees a minimal, read-only /dev holding
// exactly the devices of an allow-list (null, zero, full, random, urandom),
// as programs expect them (lz4 -t writes to /dev/null, SQLite falls back to
// it, programs read /dev/urandom) without the user exposing the host's
// whole /dev.
//
// It is a mapping of its own (DirMapping::builtin_devices) onto the host's
// /dev, added and preopened after the user's (wasi-libc finds a path's
// directory only among the preopens). The resolver
// (kernel/path_resolver.cc) lets only allow-listed names through it
// (anything else: ENOENT, never a host lookup), readdir lists only them,
// the mapping is read-only for every call that changes the directory
// (EROFS), and open_device opens an entry with fixed flags.
#pragma once

#include <string_view>

#include "kernel/dir_mappings.h"

namespace wasixc::kernel {

// Whether `name` is one of the built-in devices ("null", "zero", ...).
bool is_builtin_device_name(std::string_view name);

// Whether `mapping` is the built-in /dev (false for -1). Inline: every
// path call asks.
inline bool is_device_mapping(int mapping) {
  return mapping >= 0 && static_cast<size_t>(mapping) < dir_mappings().size() &&
         dir_mappings()[mapping].builtin_devices;
}

// Whether every mapping is the built-in /dev (the user mapped nothing).
bool only_builtin_mappings();

// Adds the built-in /dev unless a user mapping covers /dev or the host's
// /dev cannot be opened. Called once the user's mappings are in place.
void add_builtin_devices();

// open(2) of allow-listed `name` in the built-in /dev's directory `dir`.
// `flags` are the guest's host open flags: only the access mode, O_APPEND
// and O_NONBLOCK are kept (never O_CREAT or O_TRUNC: the runtime, not the
// guest, decides what reaches the host); O_CREAT|O_EXCL is EEXIST and
// O_DIRECTORY ENOTDIR, as on Linux. What is opened must be a character
// device (else ENOENT). Returns a descriptor or -errno.
int open_device(int dir, std::string_view name, int flags);

}  // namespace wasixc::kernel
