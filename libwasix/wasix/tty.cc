// tty_get / tty_set (wasix-abi.md §4.4): the host terminal as the guest
// sees it. wasix-libc builds isatty-like checks, tcgetattr/tcsetattr,
// tcgetwinsize/tcsetwinsize and ioctl(TIOCGWINSZ) on them, with no fd
// argument, so "the terminal" is the first of the guest's stdin, stdout
// and stderr that is one (as `stty` works on its stdin).
//
// struct tty (24 bytes): cols u32 @0, rows @4, width @8, height @12 (the
// window in cells and pixels, TIOCGWINSZ), then bools: stdin_tty @16,
// stdout_tty @17, stderr_tty @18, echo @19 (termios ECHO), line_buffered
// @20 (ICANON: the terminal hands over whole lines), line_feeds @21
// (OPOST and ONLCR: "\n" is written as "\r\n").
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "process_state.h"
#include "wasix.h"

namespace wasixc::wasix {
namespace {

// The host descriptor behind guest fd 0, 1 or 2 if it is a terminal.
int terminal_of(u32 fd) {
  std::optional<FdEntry> entry = process_state().fds.get(fd);
  return entry && isatty(entry->host_fd) ? entry->host_fd : -1;
}

int first_terminal() {
  for (u32 fd = 0; fd < 3; ++fd)
    if (int host = terminal_of(fd); host >= 0) return host;
  return -1;
}

}  // namespace

// Without any terminal the record says so (three false flags, a 0x0
// window) and succeeds, as Wasmer does; tcgetattr then reports no echo
// and no line mode.
Errno tty_get(Ctx& ctx, u32 tty_out) {
  uint8_t out[24] = {};
  for (u32 fd = 0; fd < 3; ++fd) out[16 + fd] = terminal_of(fd) >= 0;
  int host = first_terminal();
  if (host >= 0) {
    winsize ws = {};
    if (ioctl(host, TIOCGWINSZ, &ws) == 0) {
      uint32_t size[4] = {ws.ws_col, ws.ws_row, ws.ws_xpixel, ws.ws_ypixel};
      memcpy(out, size, sizeof size);
    }
    termios t;
    if (tcgetattr(host, &t) == 0) {
      out[19] = (t.c_lflag & ECHO) != 0;
      out[20] = (t.c_lflag & ICANON) != 0;
      out[21] = (t.c_oflag & OPOST) && (t.c_oflag & ONLCR);
    }
  }
  guest_memory(ctx).copy_out(tty_out, out, sizeof out);
  return Errno::SUCCESS;
}

// Changes echo, line mode and line feeds with tcsetattr(TCSANOW), and the
// window size with TIOCSWINSZ when it differs (tcsetwinsize); the three
// *_tty flags are facts, not settings, and are ignored. No terminal:
// ENOTTY, as tcsetattr(3) says natively.
Errno tty_set(Ctx& ctx, u32 tty_in) {
  uint8_t in[24];
  guest_memory(ctx).copy_in(in, tty_in, sizeof in);
  int host = first_terminal();
  if (host < 0) return Errno::NOTTY;
  termios t;
  if (tcgetattr(host, &t) != 0) return errno_from_host(errno);
  termios wanted = t;
  auto set = [](tcflag_t* field, tcflag_t bits, bool on) { *field = on ? (*field | bits) : (*field & ~bits); };
  set(&wanted.c_lflag, ECHO, in[19]);
  set(&wanted.c_lflag, ICANON, in[20]);
  set(&wanted.c_oflag, ONLCR, in[21]);
  if (in[21]) wanted.c_oflag |= OPOST;
  if (memcmp(&wanted, &t, sizeof t) != 0 && tcsetattr(host, TCSANOW, &wanted) != 0)
    return errno_from_host(errno);
  uint32_t size[4];
  memcpy(size, in, sizeof size);
  for (uint32_t v : size)
    if (v > 0xffff) return Errno::INVAL;  // struct winsize holds unsigned shorts
  winsize ws = {};
  if (ioctl(host, TIOCGWINSZ, &ws) == 0 &&
      (ws.ws_col != size[0] || ws.ws_row != size[1] || ws.ws_xpixel != size[2] || ws.ws_ypixel != size[3])) {
    winsize next = {static_cast<unsigned short>(size[1]), static_cast<unsigned short>(size[0]),
                    static_cast<unsigned short>(size[2]), static_cast<unsigned short>(size[3])};
    if (ioctl(host, TIOCSWINSZ, &next) != 0) return errno_from_host(errno);
  }
  return Errno::SUCCESS;
}

}  // namespace wasixc::wasix
