// A database file as SQLite's unix VFS opens and uses it (guests/
// fs_database.c), natively and under wasixc on the same absolute path,
// and the guest's "/" above the mappings (a virtual directory preopened
// by the runtime, libwasix/process_state.cc) with its escape attempts.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string fresh_dir(const std::string& name) {
  std::string dir = work_dir() + "/fsdb-" + name + "-" + std::to_string(getpid());
  run("/bin/rm", {"-rf", dir});
  mkdir(dir.c_str(), 0755);
  return dir;
}

// speedtest1 on a file database failed with "Cannot open database file":
// SQLite lstat()s every ancestor of the path, and wasi-libc found no
// preopen for "/tmp" (ENOTCAPABLE, no call reached the runtime).
TEST(FsDatabase, SqliteFileAccessPatternMatchesNative) {
  std::string dir = fresh_dir("pattern");
  std::string exe = compile(guest_wasm("fs_database"), {"--dir", dir});
  ASSERT_FALSE(exe.empty());
  RunResult wasm = run(exe, {dir});
  RunResult native = run(guest_native("fs_database"), {dir});
  EXPECT_EQ(wasm.exit_code, 0) << wasm.err;
  EXPECT_EQ(native.exit_code, 0) << native.err;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_EQ(wasm.out.find("would fail"), std::string::npos) << wasm.out;
  EXPECT_NE(wasm.out.find("open test.db: ok, fstat file size 0\n"), std::string::npos) << wasm.out;
  EXPECT_NE(wasm.out.find("read page 2: 4096, first byte c, last byte c\n"), std::string::npos) << wasm.out;
  EXPECT_NE(wasm.out.find("rmdir sub: ok\n"), std::string::npos) << wasm.out;
  // The same under the run-time mapping of a deeper directory.
  std::string deep = dir + "/a/b";
  run("/bin/mkdir", {"-p", deep});
  RunOptions remapped;
  remapped.env_add = {"WASIXC_DIRS=" + deep};
  RunResult wasm_deep = run(exe, {deep}, remapped);
  RunResult native_deep = run(guest_native("fs_database"), {deep});
  EXPECT_EQ(wasm_deep.out, native_deep.out);
  EXPECT_EQ(wasm_deep.out.find("would fail"), std::string::npos) << wasm_deep.out;
  run("/bin/rm", {"-rf", dir});
}

// The virtual "/": a directory listing the mappings' first components,
// holding nothing else (kernel/SANDBOX.md's escape table).
TEST(FsDatabase, RootAboveTheMappingsLeadsOnlyToThem) {
  std::string dir = fresh_dir("root");
  std::string exe = compile(guest_wasm("fs_database"));
  ASSERT_FALSE(exe.empty());
  RunOptions options;
  options.env_add = {"WASIXC_DIRS=" + dir + "::/data/x"};
  RunResult r = run(exe, {"root"}, options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "stat /: directory\n"
            "/: . .. data dev\n"
            "/data: . .. x\n"
            "open /etc/passwd: ENOENT\n"
            "open /../etc/passwd: ENOENT\n"
            "create /new: EROFS\n"  // a read-only directory, as a read-only mapping
            "mkdir /newdir: EROFS\n"
            "open / for writing: EROFS\n"
            "rmdir /dev: EINVAL\n"  // as for the built-in /dev without a root (SANDBOX.md)
            "unlink /dev: EISDIR\n");
  // Nothing appeared beside the mapping on the host.
  struct stat st;
  EXPECT_NE(stat((dir + "/new").c_str(), &st), 0);
  EXPECT_NE(stat((dir + "/newdir").c_str(), &st), 0);
  run("/bin/rm", {"-rf", dir});
}

// "/" above the mappings is read-only as a read-only mapping is: its
// fdstat has no FD_WRITE (access(W_OK) is wasi-libc's EACCES) and every
// change there is refused as in /ro; a writable mapping below it can
// still be written through it (kernel/SANDBOX.md's escape table).
TEST(FsDatabase, RootAboveTheMappingsIsReadOnlyLikeAReadOnlyMapping) {
  std::string dir = fresh_dir("rootwrites"), ro = fresh_dir("rootwrites-ro");
  run("/bin/mkdir", {ro + "/sub"});
  run("/bin/sh", {"-c", "echo old > " + dir + "/f && echo ro > " + ro + "/f"});
  std::string exe = compile(guest_wasm("fs_database"));
  ASSERT_FALSE(exe.empty());
  RunOptions options;
  options.env_add = {"WASIXC_DIRS=" + dir + "::/data/x," + ro + "::/ro:ro"};
  RunResult r = run(exe, {"writes"}, options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "access W_OK: / EACCES, /ro EACCES\n"
            "access R_OK: / ok, /ro ok\n"
            "access X_OK: / ok, /ro ok\n"
            "access W_OK below: / EACCES, /ro EACCES\n"
            "create: / EROFS, /ro EROFS\n"
            "open the directory for writing: / EROFS, /ro EROFS\n"
            "open a directory O_RDWR: / EROFS, /ro EROFS\n"
            "mkdir: / EROFS, /ro EROFS\n"
            "mkdir an existing directory: / EEXIST, /ro EEXIST\n"
            "rmdir: / EROFS, /ro EROFS\n"
            "unlink a directory: / EROFS, /ro EROFS\n"
            "unlink a missing name: / EROFS, /ro EROFS\n"
            "symlink: / EROFS, /ro EROFS\n"
            "hard link in: / EROFS, /ro EROFS\n"
            "rename in: / EXDEV, /ro EXDEV\n"  // across mount points, as on Linux
            "rename inside: / EROFS, /ro EROFS\n"
            "set times: / EROFS, /ro EROFS\n"
            "open /data/../data/x/f O_RDWR: ok, F_GETFL O_RDWR, write 4\n"
            "openat(/, data/x/g, O_WRONLY|O_CREAT): ok, F_GETFL O_WRONLY, write 4\n"
            "access W_OK of data/x from it: ok\n");
  // The writes below "/" reached the host; nothing else changed.
  EXPECT_EQ(run("/bin/cat", {dir + "/f", dir + "/g"}).out, "one\ntwo\n");
  EXPECT_EQ(run("/bin/ls", {"-A", dir}).out, "f\ng\n");
  EXPECT_EQ(run("/bin/ls", {"-A", ro}).out, "f\nsub\n");
  EXPECT_EQ(run("/bin/ls", {"-A", ro + "/sub"}).out, "");
  EXPECT_EQ(run("/bin/cat", {ro + "/f"}).out, "ro\n");
  run("/bin/rm", {"-rf", dir, ro});
}

}  // namespace
}  // namespace e2e
