// A wasi_unstable (preview0) module's calls where preview0's layouts
// differ from preview1 (wasm): fd_seek's whence (CUR 0, END 1, SET 2),
// fd_filestat_get / path_filestat_get (56 bytes, link count u32 @20) and
// poll_oneoff (a clock subscription starts with a u64 identifier: 56
// bytes), plus fd_write, which is the same in both. The file is opened
// with wasi-libc's open (preview1). Natively: write(2), lseek(2), fstat(2),
// stat(2), nanosleep(2); the test compares the two. argv[1]: a file path
// (created), argv[2]: its directory, argv[3]: the file's name in it.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct Stat {
  uint64_t size, nlink;
  int regular;
};

#ifdef __wasm__
#define P0(name) __attribute__((import_module("wasi_unstable"), import_name(#name)))
typedef struct {
  const void* buf;
  uint32_t len;
} ciovec;
uint32_t p0_fd_write(uint32_t fd, const ciovec* iov, uint32_t n, uint32_t* written) P0(fd_write);
uint32_t p0_fd_seek(uint32_t fd, int64_t offset, uint32_t whence, uint64_t* pos) P0(fd_seek);
uint32_t p0_fd_filestat_get(uint32_t fd, uint8_t* out) P0(fd_filestat_get);
uint32_t p0_path_filestat_get(uint32_t dirfd, uint32_t flags, const char* path, uint32_t len, uint8_t* out)
    P0(path_filestat_get);
uint32_t p0_poll_oneoff(const void* in, void* out, uint32_t n, uint32_t* nevents) P0(poll_oneoff);
enum { P0_CUR = 0, P0_END = 1, P0_SET = 2 };

static long do_write(int fd, const char* s) {
  ciovec iov = {s, (uint32_t)strlen(s)};
  uint32_t written = 0;
  return p0_fd_write(fd, &iov, 1, &written) == 0 ? (long)written : -1;
}
static long do_seek(int fd, long off, int whence) {
  uint64_t pos = 0;
  int w = whence == SEEK_SET ? P0_SET : whence == SEEK_CUR ? P0_CUR : P0_END;
  return p0_fd_seek(fd, off, w, &pos) == 0 ? (long)pos : -1;
}
// preview0's filestat: dev @0, ino @8, filetype u8 @16, nlink u32 @20,
// size @24, atim @32, mtim @40, ctim @48. The bytes past 56 stay as set.
static int from_filestat(const uint8_t* b, struct Stat* st) {
  uint32_t nlink;
  memcpy(&nlink, b + 20, 4);
  memcpy(&st->size, b + 24, 8);
  st->nlink = nlink;
  st->regular = b[16] == 4;
  for (int i = 56; i < 64; ++i)
    if (b[i] != 0xAB) return -1;  // written past preview0's 56 bytes
  return 0;
}
static int do_fstat(int fd, struct Stat* st) {
  uint8_t b[64];
  memset(b, 0xAB, sizeof b);
  return p0_fd_filestat_get(fd, b) == 0 ? from_filestat(b, st) : -1;
}
static int do_stat_at(int dirfd, const char* name, struct Stat* st) {
  uint8_t b[64];
  memset(b, 0xAB, sizeof b);
  return p0_path_filestat_get(dirfd, 1, name, strlen(name), b) == 0 ? from_filestat(b, st) : -1;
}
// A relative 50 ms clock subscription: userdata @0, tag @8, identifier
// @16, clock id @24, timeout @32, precision @40, flags @48.
static int sleep_50ms(void) {
  uint8_t sub[56] = {0}, event[32] = {0};
  uint64_t userdata = 0x1122334455667788ull, identifier = 0xfeedull, timeout = 50 * 1000000ull;
  uint32_t clock = 1;  // MONOTONIC
  memcpy(sub, &userdata, 8);
  memcpy(sub + 16, &identifier, 8);
  memcpy(sub + 24, &clock, 4);
  memcpy(sub + 32, &timeout, 8);
  uint32_t n = 0;
  if (p0_poll_oneoff(sub, event, 1, &n) != 0 || n != 1) return -1;
  uint64_t got;
  memcpy(&got, event, 8);
  uint16_t error;
  memcpy(&error, event + 8, 2);
  return got == userdata && error == 0 && event[10] == 0 ? 0 : -1;
}
#else
static long do_write(int fd, const char* s) { return write(fd, s, strlen(s)); }
static long do_seek(int fd, long off, int whence) { return lseek(fd, off, whence); }
static int do_fstat(int fd, struct Stat* st) {
  struct stat s;
  if (fstat(fd, &s) != 0) return -1;
  *st = (struct Stat){(uint64_t)s.st_size, (uint64_t)s.st_nlink, S_ISREG(s.st_mode)};
  return 0;
}
static int do_stat_at(int dirfd, const char* name, struct Stat* st) {
  struct stat s;
  if (fstatat(dirfd, name, &s, 0) != 0) return -1;
  *st = (struct Stat){(uint64_t)s.st_size, (uint64_t)s.st_nlink, S_ISREG(s.st_mode)};
  return 0;
}
static int sleep_50ms(void) {
  struct timespec ts = {0, 50 * 1000000L};
  return nanosleep(&ts, 0);
}
#endif

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  printf("fd_write to stdout: %ld\n", do_write(1, "preview0 says hello\n"));
  fflush(stdout);
  int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 3;
  printf("wrote %ld bytes\n", do_write(fd, "0123456789"));
  printf("seek SET 3 -> %ld\n", do_seek(fd, 3, SEEK_SET));
  printf("seek CUR 0 -> %ld\n", do_seek(fd, 0, SEEK_CUR));
  printf("seek END -2 -> %ld\n", do_seek(fd, -2, SEEK_END));
  struct Stat st = {0};
  int r = do_fstat(fd, &st);
  printf("fd_filestat: %d size %llu links %llu regular %d\n", r, (unsigned long long)st.size,
         (unsigned long long)st.nlink, st.regular);
  int dir = open(argv[2], O_RDONLY | O_DIRECTORY);
  struct Stat pst = {0};
  r = dir < 0 ? -1 : do_stat_at(dir, argv[3], &pst);
  printf("path_filestat: %d size %llu links %llu regular %d\n", r, (unsigned long long)pst.size,
         (unsigned long long)pst.nlink, pst.regular);
  double t0 = now_s();
  r = sleep_50ms();
  double slept = now_s() - t0;
  printf("poll_oneoff clock 50 ms: %d, slept 50..1000 ms: %s\n", r, slept >= 0.049 && slept < 1.0 ? "yes" : "no");
  return 0;
}
