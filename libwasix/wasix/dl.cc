// dlopen / dlsym / dlclose (wasix-abi.md §2: dlopen, dlsym,
// dl_invalid_handle). A wasixc executable is one ahead-of-time compiled
// module: there is no loader for wasm side modules, so dlopen fails the
// way dlopen(3) fails on Linux — NULL with a dlerror() text — instead of
// refusing the whole program at compile time or trapping (QuickJS, Python
// and others import these and only call them for plugins).
//
// wasix-libc passes an error buffer and shows its text through dlerror()
// when the call fails; the text is NUL-terminated and truncated to the
// buffer.
#include <algorithm>
#include <string>

#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {
namespace {

void write_error(Ctx& ctx, u32 buf, u32 buf_len, const std::string& text) {
  if (buf_len == 0) return;
  GuestMemory mem = guest_memory(ctx);
  const u32 n = static_cast<u32>(std::min<size_t>(text.size(), buf_len - 1));
  mem.copy_out(buf, text.data(), n);
  mem.store<uint8_t>(buf + n, 0);
}

}  // namespace

Errno dlopen(Ctx& ctx, u32 path, u32 path_len, u32 /*flags*/, u32 err_buf, u32 err_buf_len, u32 /*ld_path*/,
             u32 /*ld_path_len*/, u32 handle_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(handle_out, 4);
  const std::string name = path ? mem.string(path, path_len) : std::string();
  write_error(ctx, err_buf, err_buf_len,
              (name.empty() ? std::string("the main program") : name) +
                  ": cannot load: wasixc runs one ahead-of-time compiled module (no dynamic linking)");
  return Errno::NOTSUP;
}

Errno dlsym(Ctx& ctx, u32 /*handle*/, u32 symbol, u32 symbol_len, u32 err_buf, u32 err_buf_len, u32 value_out) {
  GuestMemory mem = guest_memory(ctx);
  mem.check(value_out, 4);
  const std::string name = mem.string(symbol, symbol_len);
  write_error(ctx, err_buf, err_buf_len, "undefined symbol: " + name + " (no dynamic linking in wasixc)");
  return Errno::NOTSUP;
}

// dlclose(3): no handle is ever valid, since dlopen never gives one out.
Errno dl_invalid_handle(Ctx& /*ctx*/, u32 /*handle*/) { return Errno::BADF; }

}  // namespace wasixc::wasix
