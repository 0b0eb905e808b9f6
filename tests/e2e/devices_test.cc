// The built-in /dev (kernel/devices.h): the devices used as programs use
// them, against the same program built natively; the listing; the escape
// attempts (kernel/SANDBOX.md's table); a user mapping of /dev replacing it.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string fresh_dir(const std::string& name) {
  std::string dir = work_dir() + "/devices-" + name + "-" + std::to_string(getpid());
  run("/bin/rm", {"-rf", dir});
  mkdir(dir.c_str(), 0755);
  return dir;
}

// The host's devices stay what they were (the tests run as root in CI
// containers: a slip would remove or replace them).
void expect_host_devices_intact() {
  for (const char* name : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}) {
    struct stat st;
    ASSERT_EQ(lstat(name, &st), 0) << name;
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << name;
  }
}

RunResult run_guest(const std::vector<std::string>& args, const std::string& dirs) {
  std::string exe = compile(guest_wasm("devices"));
  RunOptions options;
  options.env_add = {"WASIXC_DIRS=" + dirs};
  return run(exe, args, options);
}

TEST(Devices, UsedAsProgramsUseThemMatchNative) {
  RunResult wasm = run_guest({"use"}, "");
  RunResult native = run(guest_native("devices"), {"use"});
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(native.exit_code, 0) << native.err;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_EQ(wasm.err, "");
  // What the natively built program prints on Linux, so that a change on
  // both sides cannot go unnoticed.
  EXPECT_EQ(wasm.out,
            "write /dev/null: 9\n"
            "read /dev/null: 0\n"
            "open /dev/null O_CREAT|O_TRUNC: ok\n"
            "fopen /dev/null w: ok, fprintf 1\n"
            "read /dev/zero: 64 bytes, 64 zero\n"
            "read /dev/urandom: 32+32 bytes, differ\n"
            "read /dev/random: 32+32 bytes, differ\n"
            "write /dev/full: -1 ENOSPC\n"
            "read /dev/full: 8 bytes, first 0\n"
            "stat /dev/null: ok char device\n"
            "stat /dev/zero: ok char device\n"
            "stat /dev/full: ok char device\n"
            "stat /dev/random: ok char device\n"
            "stat /dev/urandom: ok char device\n"
            "stat /dev: ok directory\n"
            "/dev/..: directory, /dev/../dev/null: char device\n");
  expect_host_devices_intact();
}

TEST(Devices, DevListsExactlyTheAllowList) {
  std::string data = fresh_dir("list");
  std::ofstream(data + "/file") << "x";
  RunResult r = run_guest({"list", "/data"}, data + "::/data");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "/dev: . .. full null random urandom zero\n"
            "/data: . .. file\n");
  run("/bin/rm", {"-rf", data});
}

// The escape table (kernel/SANDBOX.md, "The built-in /dev").
TEST(Devices, EscapeAttemptsStayInTheAllowList) {
  std::string data = fresh_dir("escape");
  RunResult r = run_guest({"escape"}, data + "::/data");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "open /dev/sda: ENOENT\n"
            "stat /dev/shm: ENOENT\n"
            "stat /dev/tty: ENOENT\n"
            "stat /dev/fd/0: ENOENT\n"
            "stat /dev/stdin: ENOENT\n"
            "open /dev/../etc/passwd: ENOENT\n"
            "open /dev/./../dev/null: ok\n"
            "stat /dev/null/..: ENOTDIR\n"
            "open /dev/null/x: ENOTDIR\n"
            "open /dev/null O_DIRECTORY: ENOTDIR\n"
            "open /dev/null/ (trailing slash): ENOTDIR\n"
            "open /dev/null O_CREAT|O_EXCL: EEXIST\n"
            "create /dev/new: ENOENT\n"
            "open /dev for writing: EROFS\n"
            "mkdir /dev/d: ENOENT\n"
            "mkdir /dev/null: EEXIST\n"
            "symlink /dev/l: ENOENT\n"
            "unlink /dev/null: EROFS\n"
            "rmdir /dev: EINVAL\n"
            "rename /dev/null to /dev/zero: EROFS\n"
            "rename /dev/null to /data/n: EXDEV\n"
            "rename /data/f over /dev/null: EXDEV\n"
            "link /dev/null to /data/n: EXDEV\n"
            "link /data/f to /dev/f: ENOENT\n"
            "set times of /dev/null: EROFS\n"
            "truncate /dev/null: EINVAL\n"
            "openat(/dev, sda): ENOENT\n"
            "openat(/dev, ../data/f): ok\n"
            "openat(/dev, null): ok\n"
            "symlink /data/null -> /dev/null: ok\n"
            "write through /data/null: 3\n"
            "symlink /data/sda -> /dev/sda: ok\n"
            "open through /data/sda: ENOENT\n"
            "symlink /data/up -> ../dev/../..: ok\n"
            "open /data/up/etc/passwd: ENOENT\n"
            "chdir /dev: ok\n"
            "open null from cwd /dev: ok\n"
            "open sda from cwd /dev: ENOENT\n"
            "open ../data/f from cwd /dev: ok\n"
            "read zero from cwd /dev: 16\n"
            "exec /dev/null: EACCES\n");
  expect_host_devices_intact();
  struct stat st;
  EXPECT_NE(lstat("/dev/new", &st), 0);
  EXPECT_NE(lstat("/dev/d", &st), 0);
  EXPECT_NE(lstat("/dev/l", &st), 0);
  EXPECT_NE(lstat("/dev/f", &st), 0);
  run("/bin/rm", {"-rf", data});
}

TEST(Devices, AUserMappingOfDevReplacesIt) {
  std::string root = fresh_dir("user-root");
  std::string mine = fresh_dir("user-dev");
  std::ofstream(mine + "/mine") << "x";
  // A mapping at "/" without a dev directory: no /dev at all.
  RunResult r = run_guest({"list", "/"}, root + "::/");
  EXPECT_EQ(r.out, "opendir /dev: ENOENT\n/: . ..\n") << r.err;
  // A mapping at /dev: exactly its contents.
  r = run_guest({"list"}, mine + "::/dev");
  EXPECT_EQ(r.out, "/dev: . .. mine\n") << r.err;
  run("/bin/rm", {"-rf", root, mine});
}

}  // namespace
}  // namespace e2e
