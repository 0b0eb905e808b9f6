// Files and the sandbox: guest programs doing file, directory and link
// work, compiled with wasixc and run with a fresh temp directory mapped at
// "/", against the same program built natively and run with that
// directory as its cwd. Output, exit status and the resulting directory
// trees (names, types, modes, sizes, link targets) must match.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

}  // namespace
}  // namespace e2e
