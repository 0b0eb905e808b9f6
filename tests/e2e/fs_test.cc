// Files and the sandbox: guest programs doing file, directory and link
// work, compiled with wasixc and run with a fresh temp directory mapped at
// "/", against the same program built natively and run with that
// directory as its cwd. Output, exit status and the resulting directory
// trees (names, types, modes, sizes, link targets) must match.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

// A new empty directory under the work dir.
std::string fresh_dir(const std::string& name) {
  std::string dir = work_dir() + "/fs-" + name + "-" + std::to_string(getpid());
  run("/bin/rm", {"-rf", dir});
  mkdir(dir.c_str(), 0755);
  return dir;
}

void list_tree(const std::string& root, const std::string& rel, std::vector<std::string>* out) {
  DIR* d = opendir((root + rel).c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = rel + "/" + name;
    struct stat st;
    if (lstat((root + path).c_str(), &st) != 0) continue;
    std::ostringstream line;
    line << path << " mode " << std::oct << (st.st_mode & 07777) << std::dec;
    if (S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t n = readlink((root + path).c_str(), target, sizeof target);
      line << " link -> " << std::string(target, n > 0 ? n : 0);
    } else if (S_ISDIR(st.st_mode)) {
      line << " dir";
    } else {
      line << " file size " << st.st_size << " nlink " << st.st_nlink;
    }
    out->push_back(line.str());
    if (S_ISDIR(st.st_mode)) list_tree(root, path, out);
  }
  closedir(d);
}

// Every entry under `root`, one line each, sorted.
std::string tree(const std::string& root) {
  std::vector<std::string> lines;
  list_tree(root, "", &lines);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// Runs `exe args` with cwd `dir` under `umask`.
RunResult run_in(const std::string& dir, const std::string& exe, const std::vector<std::string>& args,
                 const std::string& mask = "022", RunOptions options = {}) {
  std::vector<std::string> sh = {"-c", "cd \"$1\" && umask \"$2\" && shift 2 && exec \"$@\"", "sh", dir, mask, exe};
  sh.insert(sh.end(), args.begin(), args.end());
  return run("/bin/sh", sh, options);
}

class FsTest : public ::testing::Test {
 protected:
  // The guest under wasixc in one fresh directory (mapped at "/" with
  // WASIXC_DIRS), natively in another; both must agree.
  void expect_same_as_native(const std::string& guest, const std::vector<std::string>& args,
                             const std::string& mask = "022") {
    std::string exe = compile(guest_wasm(guest));
    ASSERT_FALSE(exe.empty());
    std::string label = guest + "-" + (args.empty() ? "" : args[0]);
    std::string wasm_dir = fresh_dir(label + "-wasm"), native_dir = fresh_dir(label + "-native");
    RunOptions options;
    options.env_add = {"WASIXC_DIRS=" + wasm_dir + "::/"};
    RunResult wasm = run_in(wasm_dir, exe, args, mask, options);
    RunResult native = run_in(native_dir, guest_native(guest), args, mask);
    EXPECT_EQ(wasm.exit_code, native.exit_code) << wasm.err;
    EXPECT_FALSE(wasm.signaled) << wasm.err;
    EXPECT_EQ(wasm.out, native.out);
    EXPECT_EQ(wasm.err, native.err);
    EXPECT_EQ(tree(wasm_dir), tree(native_dir));
    EXPECT_NE(native.out, "");
    run("/bin/rm", {"-rf", wasm_dir, native_dir});
  }
};

TEST_F(FsTest, FilesMatchNative) { expect_same_as_native("fs_files", {"basic"}); }
TEST_F(FsTest, FilesGetTheUmaskModes) { expect_same_as_native("fs_files", {"basic"}, "077"); }
TEST_F(FsTest, DirectoriesMatchNative) { expect_same_as_native("fs_files", {"dirs"}); }
TEST_F(FsTest, LinksMatchNative) { expect_same_as_native("fs_files", {"links"}); }
TEST_F(FsTest, ReaddirOfAThousandEntriesMatchesNative) { expect_same_as_native("fs_files", {"readdir"}); }
TEST_F(FsTest, SparseFilePastFourGiBMatchesNative) { expect_same_as_native("fs_files", {"large"}); }
TEST_F(FsTest, CwdMatchesNative) { expect_same_as_native("fs_files", {"cwd"}); }
TEST_F(FsTest, TimesMatchNative) { expect_same_as_native("fs_files", {"times"}); }

// Launched from a shell, the guest starts in the guest path of the user's
// cwd when a mapping holds it (as a native program starts where the user
// is), else at "/".
TEST_F(FsTest, StartsInTheGuestPathOfTheHostCwd) {
  std::string exe = compile(guest_wasm("fs_wasix"));
  ASSERT_FALSE(exe.empty());
  // A short host path: the guest's getcwd buffer holds 64 bytes.
  char tmpl[] = "/tmp/wasixc-cwd-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string tmp = tmpl;
  ASSERT_EQ(mkdir((tmp + "/box").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((tmp + "/box/sub").c_str(), 0755), 0);
  char* real = realpath(tmp.c_str(), nullptr);
  ASSERT_NE(real, nullptr);
  std::string box = std::string(real) + "/box";
  free(real);
  struct Case {
    std::string dirs, cwd, expect;
  };
  const Case cases[] = {
      {box, box + "/sub", box + "/sub"},              // mapped at its own path
      {box + "::/data", box + "/sub", "/data/sub"},   // mapped elsewhere
      {box + "::/data", box, "/data"},                // at the mapping's root
      {box + "::/data", tmp, "/"},                    // outside every mapping
      {tmp + "::/," + box + "::/b", box + "/sub", "/b/sub"},  // the deepest host root wins
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.dirs + " from " + c.cwd);
    RunOptions opts;
    opts.env_add = {"WASIXC_DIRS=" + c.dirs};
    opts.cwd = c.cwd;
    RunResult r = run(exe, {"cwd"}, opts);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(": ok \"" + c.expect + "\" len"), std::string::npos) << r.out;
  }
  rmdir((tmp + "/box/sub").c_str());
  rmdir((tmp + "/box").c_str());
  rmdir(tmp.c_str());
}

std::string read_host(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The escape table (kernel/SANDBOX.md): each attempt and its errno; the host
// files outside the mappings stay untouched and nothing appears beside them.
TEST_F(FsTest, EscapeAttemptsStayInTheSandbox) {
  std::string exe = compile(guest_wasm("fs_escape"));
  ASSERT_FALSE(exe.empty());
  std::string tmp = fresh_dir("escape");
  mkdir((tmp + "/box").c_str(), 0755);
  mkdir((tmp + "/rodir").c_str(), 0755);
  mkdir((tmp + "/rodir/dir").c_str(), 0755);
  std::ofstream(tmp + "/secret") << "secret data";
  std::ofstream(tmp + "/rodir/file") << "ro data";
  // A wasixc-built program outside the mappings (exec through a symlink).
  std::string program = compile(guest_wasm("exit_code"));
  ASSERT_EQ(run("/bin/cp", {program, tmp + "/prog"}).exit_code, 0);
  std::string lister = compile(guest_wasm("preopens"));
  ASSERT_EQ(run("/bin/cp", {lister, tmp + "/box/preopens"}).exit_code, 0);
  std::string before = tree(tmp + "/rodir");
  RunOptions options;
  options.env_add = {"WASIXC_DIRS=" + tmp + "/box::/," + tmp + "/rodir::/ro:ro"};
  RunResult r = run_in(tmp + "/box", exe, {tmp, tmp + "/prog", "/preopens"}, "022", options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "dotdot past the root: ENOENT\n"
            "dotdot from an absolute path: ENOENT\n"
            "host absolute path: ENOENT\n"
            "make a host-absolute symlink: ok\n"
            "open through it: ENOENT\n"
            "symlink to /etc/passwd: ok\n"
            "open through it: ENOENT\n"
            "relative symlink climbing out: ok\n"
            "open through it: ENOENT\n"
            "symlink loop: ok\n"
            "open the loop: ELOOP\n"
            "dotdot after a symlink: ENOENT\n"
            "symlink to a host directory: ok\n"
            "create through it: ENOENT\n"
            "mkdir through it: ENOENT\n"
            "hard link to a host file: ENOENT\n"
            "hard link via dotdot: ENOENT\n"
            "write a file: ok\n"
            "rename out of the mapping: ok\n"
            "it stayed inside: \"in the box\" (10 bytes)\n"
            "chdir out: ok\n"
            "open after chdir out: ENOENT\n"
            "exec symlink to a program outside: ok\n"
            "spawn through it: ENOENT\n"
            "exec through it: ENOENT\n"
            "/proc/self/root: ENOENT\n"
            "path with an embedded NUL: EINVAL\n"
            "a path of 5000 bytes: ENAMETOOLONG\n"
            "41 links: ELOOP\n"
            "40 links: ok\n"
            "read-only mapping is readable: \"ro data\" (7 bytes)\n"
            "ro: open for write: EROFS\n"
            "ro: create: EROFS\n"
            "ro: unlink: EROFS\n"
            "ro: rename inside: EROFS\n"
            "ro: rename out: EXDEV\n"
            "ro: mkdir: EROFS\n"
            "ro: mkdir existing: EEXIST\n"
            "ro: rmdir: EROFS\n"
            "ro: symlink: EROFS\n"
            "ro: hard link inside: EROFS\n"
            "ro: hard link out to rw: EXDEV\n"
            "ro: set times: EROFS\n"
            "ro: set times on a read-only descriptor: EROFS\n"
            "rw symlink into ro: ok\n"
            "write through it: EROFS\n"
            "ro: rmdir its root: EINVAL\n"
            "fd 3: / (err 0)\n"
            "fd 4: /ro (err 0)\n"
            "short buffer: NAMETOOLONG\n"
            "bad pointer: FAULT\n"
            "spawn with WASIXC_DIRS in its env: ok\n"
            "race: the swapped-in symlink was seen: yes\n"
            "race: 0 opens of a host file\n");
  EXPECT_EQ(read_host(tmp + "/secret"), "secret data");
  EXPECT_EQ(read_host(tmp + "/rodir/file"), "ro data");
  EXPECT_EQ(tree(tmp + "/rodir"), before);
  // Nothing new beside the mappings (the renamed file stayed in the box).
  std::vector<std::string> top;
  for (const std::string& line : lines(tree(tmp)))
    if (line.find('/', 1) == std::string::npos) top.push_back(line.substr(0, line.find(' ')));
  EXPECT_EQ(top, (std::vector<std::string>{"/box", "/prog", "/rodir", "/secret"}));
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(read_host(tmp + "/box/moved_out"), "in the box");
  run("/bin/rm", {"-rf", tmp});
}

// A directory the guest holds is moved out of the mapping on the host: ".."
// from it still resolves in the guest's namespace.
TEST_F(FsTest, DotDotFromADirectoryMovedOutOfTheMappingStaysInside) {
  std::string exe = compile(guest_wasm("fs_escape"));
  ASSERT_FALSE(exe.empty());
  std::string tmp = fresh_dir("moved");
  for (const char* d : {"/box", "/box/d", "/box/d/inner", "/outside"}) mkdir((tmp + d).c_str(), 0755);
  std::ofstream(tmp + "/secret") << "secret data";
  std::ofstream(tmp + "/box/d/inner/kept") << "kept";
  RunOptions options;
  options.env_add = {"WASIXC_DIRS=" + tmp + "/box::/"};
  RunResult r = run("/bin/sh", {"-c", "cd \"$1/box\" && (sleep 0.5; mv \"$1/box/d\" \"$1/outside/d\") & exec \"$2\" moved",
                                "sh", tmp, exe}, options);
  EXPECT_EQ(r.out,
            "open d/inner: ok\n"
            "climb out of the moved directory: ENOENT\n"
            "its parent: ENOENT\n"
            "a file in it is still there: ok\n");
  EXPECT_EQ(read_host(tmp + "/secret"), "secret data");
  run("/bin/rm", {"-rf", tmp});
}

// The runtime's cwd (wasix getcwd/chdir), path_open2, virtual directories
// above a mapping, and the raw preview1 rules.
TEST_F(FsTest, WasixCwdAndRawCalls) {
  std::string exe = compile(guest_wasm("fs_wasix"));
  ASSERT_FALSE(exe.empty());
  std::string tmp = fresh_dir("wasix");
  mkdir((tmp + "/box").c_str(), 0755);
  mkdir((tmp + "/deep").c_str(), 0755);
  std::ofstream(tmp + "/deep/inside") << "deep";
  ASSERT_EQ(run("/bin/cp", {exe, tmp + "/box/fs_wasix"}).exit_code, 0);
  RunOptions options;
  options.env_add = {"WASIXC_DIRS=" + tmp + "/box::/," + tmp + "/deep::/mnt/deep/er"};
  RunResult r = run_in(tmp + "/box", exe, {}, "022", options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "start: ok \"/\" len 1 rest zeroed yes\n"
            "mkdir a/b: ok\n"
            "chdir a/b: ok\n"
            "after: ok \"/a/b\" len 4 rest zeroed yes\n"
            "chdir ..: ok\n"
            "after ..: ok \"/a\" len 2 rest zeroed yes\n"
            "chdir file: ENOTDIR\n"
            "chdir missing: ENOENT\n"
            "chdir /blink: ok\n"
            "through a link: ok \"/a/b\" len 4 rest zeroed yes\n"
            "getcwd in 3: ERANGE, needs 4\n"
            "getcwd in 4: ok, len 4 \"/a/b\"\n"
            "getcwd in 5: ok, len 4 \"/a/b\"\n"
            "getcwd(NULL, 0): ERANGE, needs 4\n"
            "getcwd(NULL, 64): EINVAL\n"
            "getcwd bad pointer: EFAULT\n"
            "chdir /mnt/deep: ok\n"
            "virtual: ok \"/mnt/deep\" len 9 rest zeroed yes\n"
            "chdir er: ok\n"
            "into the mapping: ok \"/mnt/deep/er\" len 12 rest zeroed yes\n"
            "mapped file: \"deep\" (4 bytes)\n"
            "chdir ../..: ok\n"
            "back up: ok \"/mnt\" len 4 rest zeroed yes\n"
            "chdir /nowhere: ENOENT\n"
            "stat a virtual dir: ok, directory\n"
            "open a virtual dir: ok\n"  // for reading: a listable descriptor (SANDBOX.md)
            "mkdir in a virtual dir: EROFS\n"  // read-only (kernel/SANDBOX.md)
            "mkdir over a mapping: EEXIST\n"
            "rmdir a mapping: EBUSY\n"
            "unlink a mapping: EISDIR\n"
            "path_open2: ok, read \"deep\" (4)\n"
            "dotdot from the mapping's preopen: ok\n"
            "set_times ATIM|ATIM_NOW: EINVAL\n"
            "set mtime: ok, mtim 7000000000\n"
            "set mtime now: ok, recent yes\n"
            "readdir into 30 bytes: ok, used 30\n"
            "readdir a: ok, 4 entries, used < size yes\n"
            "resume after the first: 3 entries\n"
            "readdir of a file: ENOTDIR\n"
            "raw stat inside: ok\n"
            "raw stat inside/: ENOTDIR\n"
            "raw stat, pointer past memory: EFAULT\n"
            "raw stat, NUL inside: EINVAL\n"
            "raw stat, 4096 bytes: ENAMETOOLONG\n"
            "raw stat, 4096 bytes, bad fd: ENAMETOOLONG\n"
            "raw stat, a 256-byte name: ENAMETOOLONG\n"
            "raw rmdir ., bad fd: EBADF\n"
            "after exec: ok \"/a/b\" len 4 rest zeroed yes\n");
  run("/bin/rm", {"-rf", tmp});
}

// Programs start from the descriptor the resolver checked (execveat); with
// --allow-host-exec a "#!" script found in a mapping runs too.
TEST_F(FsTest, HostScriptsRunFromTheCheckedDescriptor) {
  std::string bin = fresh_dir("scripts");
  std::ofstream(bin + "/host-true") << "#!/bin/sh\nexit 0\n";
  chmod((bin + "/host-true").c_str(), 0755);
  std::string exe = compile(guest_wasm("exec_spawn"), {"--dir", bin + "::/bin", "--allow-host-exec"});
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {"refuse"});
  EXPECT_NE(r.out.find("host program: ok\n"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // the exec of the script replaced the process
  run("/bin/rm", {"-rf", bin});
}

// WASIXC_DIRS replaces the baked mappings, WASIXC_DIRS_ADD extends them;
// neither reaches the guest's environment.
TEST_F(FsTest, RunTimeMappingsOverrideTheBakedOnes) {
  std::string a = fresh_dir("map-a"), b = fresh_dir("map-b");
  std::string exe = compile(guest_wasm("preopens"), {"--dir", a + "::/baked", "--dir", b + "::/ro:ro"});
  ASSERT_FALSE(exe.empty());
  RunResult baked = run(exe, {});
  // The built-in /dev (kernel/devices.h) is preopened after the mappings,
  // then the virtual "/" (none is mapped there).
  EXPECT_EQ(baked.out, "fd 3: /baked (err 0)\nfd 4: /ro (err 0)\nfd 5: /dev (err 0)\nfd 6: / (err 0)\n"
                       "short buffer: NAMETOOLONG\nbad pointer: FAULT\n");
  RunOptions replace;
  replace.env_add = {"WASIXC_DIRS=" + b + "::/data"};
  EXPECT_EQ(run(exe, {}, replace).out,
            "fd 3: /data (err 0)\nfd 4: /dev (err 0)\nfd 5: / (err 0)\nshort buffer: NAMETOOLONG\nbad pointer: FAULT\n");
  RunOptions add;
  add.env_add = {"WASIXC_DIRS_ADD=" + b + "::/extra:ro"};
  EXPECT_EQ(run(exe, {}, add).out,
            "fd 3: /baked (err 0)\nfd 4: /ro (err 0)\nfd 5: /extra (err 0)\nfd 6: /dev (err 0)\nfd 7: / (err 0)\n"
            "short buffer: NAMETOOLONG\n"
            "bad pointer: FAULT\n");
  RunOptions bad;
  bad.env_add = {"WASIXC_DIRS=" + a + "::"};
  RunResult refused = run(exe, {}, bad);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("wasixc: error: WASIXC_DIRS: bad mapping"), std::string::npos) << refused.err;
  std::string env = compile(guest_wasm("hello_args_env"));
  RunOptions hidden;
  hidden.env_add = {"WASIXC_DIRS=" + a + "::/", "WASIXC_DIRS_ADD=" + b + "::/b"};
  RunResult r = run(env, {}, hidden);
  EXPECT_EQ(r.out.find("WASIXC_DIRS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("argv[0]"), std::string::npos) << r.out;
  run("/bin/rm", {"-rf", a, b});
}

// A program with no mapping at all that names a path the runtime sees
// (here: spawn's program lookup) is refused, and told once how to map one.
TEST_F(FsTest, UnmappedPathGetsAOneLineHint) {
  std::string exe = compile(guest_wasm("exec_spawn"));
  ASSERT_FALSE(exe.empty());
  RunOptions none;
  none.env_add = {"WASIXC_DIRS="};
  RunResult r = run(exe, {"refuse"}, none);
  EXPECT_EQ(r.out,
            "host program: ENOENT\nmissing: ENOENT\noutside the mapping: ENOENT\n"
            "unmapped directory: ENOENT\nexec host program: ENOENT\n");
  std::vector<std::string> err = lines(r.err);
  ASSERT_EQ(err.size(), 1u) << r.err;
  EXPECT_NE(err[0].find("wasixc: note: '/bin': no host directory is mapped for this program"), std::string::npos)
      << r.err;
  EXPECT_NE(err[0].find("WASIXC_DIRS=HOST::GUEST"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace e2e
