// Exec and spawn of WebAssembly programs: a guest that starts a `.wasm`
// file (magic "\0asm") by path gets it compiled on demand, through the
// same content-addressed cache as `wasixc run` (aot/compile_cache.h), and
// the cached executable then starts in its place (exec.h), in the same
// sandbox.
//
// The compile runs outside the guest, so nothing the guest controls picks
// a host path, a program or a flag: the compiler is found from the
// launching user's environment and the executable's build, the module
// bytes are read from the descriptor the path resolver checked, the
// compiler's environment is the one this image was started with (never
// the guest's), and its only arguments are fixed words.
#pragma once

#include <string>

namespace wasixc::kernel {

// Whether the file open at `fd` starts with the WebAssembly magic.
bool is_wasm_module(int fd);

// Compiles the module open at `module_fd` (readable) with the wasixc
// driver, found as:
//   1. $WASIXC_COMPILER in the environment this image was started with
//      (the launching user's; a guest's environment never reaches it);
//   2. `recorded_driver`, the driver that built this executable (baked
//      in at compile time), if it is still there;
//   3. `wasixc` on the launching environment's PATH.
// It runs `DRIVER cache --compile-fd 3 [--allow-host-exec]` (the option
// when this executable was built with it, so the new image keeps the
// sandbox's compile-time rules) and opens the entry it prints.
// Returns 0 and the executable (read-only, close-on-exec) in *exe_fd, or
// ENOEXEC after a one-line message on `stderr_fd` (no compiler; the module
// does not compile, after the compiler's own message), or another errno.
int compile_wasm_program(int module_fd, const std::string& guest_name, const char* recorded_driver,
                         bool allow_host_exec, int stderr_fd, int* exe_fd);

}  // namespace wasixc::kernel
