// The compile cache behind `wasixc run` (and exec of .wasm programs):
// executables content-addressed by the module's bytes and everything that
// changes the code produced from them, so a second run of the same module
// starts at native start-up speed.
//
// Where: $WASIXC_CACHE_DIR, else $XDG_CACHE_HOME/wasixc, else
// $HOME/.cache/wasixc (the XDG base-directory rule), made 0700.
// An entry is <key>.exe; <file key>.idx maps an unchanged module file
// (device, inode, size, mtime) to it without hashing the bytes again;
// <key>.lock serialises its first compile: the
// first caller compiles under flock(2) into a private temporary name and
// renames it into place (rename(2) is atomic), so concurrent first runs
// compile once and nobody ever executes a half-written file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "aot/compile.h"

namespace wasixc::aot {

std::string cache_directory();

// The key: SHA-256 over the module bytes, the compiler version and runtime
// ABI, the identity (path, size, mtime) of each file in `toolchain` (the
// compiler binary and the runtime archive), and the options that change
// generated code (-O, backend, cpu, safepoints, partition size, missing
// imports, host exec, baked --dir and --env), and the developer knobs
// WASIXC_PIPELINE and WASIXC_LLVM_ARGS when set.
std::string cache_key(const std::string& module_bytes, const CompileOptions& options,
                      const std::vector<std::string>& toolchain);

// The cached executable for `options.input`; if missing, `compile` is
// called to write it to `options.output` (a private temporary name) under
// the entry's lock. `hit` tells whether it was there. Throws CompileError.
// (No LLVM here: the driver links this; `compile` runs the compiler.)
std::string compile_cached(CompileOptions options, const std::vector<std::string>& toolchain,
                           const std::function<void(const CompileOptions&)>& compile, bool* hit);

// The same for module bytes already read (exec of a .wasm program by a
// guest: the runtime hands over the descriptor its path resolver checked).
// The compiler reads a private copy of exactly these bytes, so the entry
// always holds the code of the bytes its key names.
std::string compile_cached_bytes(const std::string& module_bytes, CompileOptions options,
                                 const std::vector<std::string>& toolchain,
                                 const std::function<void(const CompileOptions&)>& compile, bool* hit);

struct CacheEntry {
  std::string path;
  uint64_t bytes = 0;
  int64_t last_used = 0;  // seconds since the epoch (mtime, touched on use)
};
std::vector<CacheEntry> list_cache();
// Removes every entry (and stale temporaries); returns how many files.
size_t clean_cache();

}  // namespace wasixc::aot
