/* Terminals: isatty on stdio, the window size, echo and line mode as the
 * host terminal has them, echo switched off and back. Under wasixc through
 * tty_get/tty_set (how wasix-libc serves tcgetattr, tcsetattr and
 * TIOCGWINSZ), natively through termios; both print the same. Run on a
 * pty (the test's forkpty) and on pipes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __wasi__
#include "wasix.h"
#else
#include <sys/ioctl.h>
#include <termios.h>
#endif

struct term {
  unsigned cols, rows;
  int echo, canonical, onlcr;
};

/* 0, or -1 when there is no terminal (ENOTTY natively). */
static int get_term(struct term* t) {
#ifdef __wasi__
  wasix_tty_t tty;
  if (__wasix_tty_get(&tty) != 0) return -1;
  if (!tty.stdin_tty && !tty.stdout_tty && !tty.stderr_tty) return -1;
  *t = (struct term){tty.cols, tty.rows, tty.echo, tty.line_buffered, tty.line_feeds};
#else
  struct winsize ws;
  struct termios tio;
  if (ioctl(0, TIOCGWINSZ, &ws) != 0 || tcgetattr(0, &tio) != 0) return -1;
  *t = (struct term){ws.ws_col, ws.ws_row, (tio.c_lflag & ECHO) != 0, (tio.c_lflag & ICANON) != 0,
                     (tio.c_oflag & OPOST) && (tio.c_oflag & ONLCR)};
#endif
  return 0;
}

static int set_echo(int on) {
#ifdef __wasi__
  wasix_tty_t tty;
  __wasix_tty_get(&tty);
  tty.echo = (uint8_t)on;
  return __wasix_tty_set(&tty) == 0 ? 0 : -1;
#else
  struct termios tio;
  if (tcgetattr(0, &tio) != 0) return -1;
  tio.c_lflag = on ? tio.c_lflag | ECHO : tio.c_lflag & ~ECHO;
  return tcsetattr(0, TCSANOW, &tio);
#endif
}

int main(void) {
  printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
  struct term t;
  if (get_term(&t) != 0) {
    printf("no terminal\n");
    printf("set echo: %d\n", set_echo(0));
    return 0;
  }
  printf("window %ux%u echo %d line mode %d onlcr %d\n", t.cols, t.rows, t.echo, t.canonical, t.onlcr);
  printf("echo off: %d\n", set_echo(0));
  get_term(&t);
  printf("echo now %d, line mode %d\n", t.echo, t.canonical);
  printf("echo on: %d\n", set_echo(1));
  get_term(&t);
  printf("echo now %d\n", t.echo);
  return 0;
}
