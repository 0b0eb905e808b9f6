#include "compile_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "diagnostics.h"
#include "sha256.h"
#include "wasixc/abi.h"

#ifndef WASIXC_VERSION
#define WASIXC_VERSION "0.0.0-dev"
#endif

namespace wasixc::aot {
namespace {

std::string file_identity(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return path + ":missing";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

void make_private_dirs(const std::string& path) {
  std::string partial;
  for (size_t i = 1; i <= path.size(); ++i)
    if (i == path.size() || path[i] == '/') {
      partial = path.substr(0, i);
      if (mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
        fail("cannot create the cache directory %s: %s", partial.c_str(), strerror(errno));
    }
}

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

std::string cache_directory() {
  if (const char* d = getenv("WASIXC_CACHE_DIR"); d && *d) return d;
  if (const char* x = getenv("XDG_CACHE_HOME"); x && *x == '/') return std::string(x) + "/wasixc";
  if (const char* h = getenv("HOME"); h && *h) return std::string(h) + "/.cache/wasixc";
  fail("no cache directory: set WASIXC_CACHE_DIR, XDG_CACHE_HOME or HOME");
}

std::string cache_key(const std::string& module_bytes, const CompileOptions& o,
                      const std::vector<std::string>& toolchain) {
  std::ostringstream k;
  k << "wasixc " << WASIXC_VERSION << " abi " << WASIXC_ABI_VERSION << "\n";
  for (const std::string& f : toolchain) k << file_identity(f) << "\n";
  k << "O" << o.opt_level << " backend " << o.backend << " cpu " << o.cpu << " safepoints " << o.safepoints
    << " interrupts " << o.interrupts << " fixed-memory " << o.fixed_memory << " partition " << o.partition_size << " missing " << o.allow_missing_imports << " hostexec "
    << o.allow_host_exec << " net " << o.net_policy << "\n";
  for (auto& [host, guest] : o.dirs) k << "dir " << host << "::" << guest << "\n";
  for (auto& e : o.env) k << "env " << e << "\n";
  // The developer knobs that change generated code (aot/README.md): an
  // entry compiled under another pipeline must not be reused.
  for (const char* knob : {"WASIXC_PIPELINE", "WASIXC_LLVM_ARGS"})
    if (const char* v = getenv(knob); v && *v) k << knob << " " << v << "\n";
  // The options first, then the module: no module can be made to collide
  // with another module compiled under other options.
  return sha256_hex(sha256_hex(k.str()) + module_bytes);
}

namespace {

// The entry <key>.exe in `dir`, compiled under its lock if missing (the
// first caller compiles into a private temporary name and renames it into
// place; the others wait on the lock and find it). With `private_copy`,
// the compiler reads those bytes from a file only this call writes (in
// the 0700 cache directory), never the caller's file, which may change
// between hashing and compiling.
std::string cached_entry(const std::string& dir, const std::string& key, CompileOptions options,
                         const std::function<void(const CompileOptions&)>& compile,
                         const std::string* private_copy, bool* hit) {
  std::string exe = dir + "/" + key + ".exe";
  *hit = access(exe.c_str(), X_OK) == 0;
  if (*hit) {
    utimensat(AT_FDCWD, exe.c_str(), nullptr, 0);  // last used, for cleaning
    return exe;
  }
  int lock = open((dir + "/" + key + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) fail("cannot lock the cache entry in %s: %s", dir.c_str(), strerror(errno));
  while (flock(lock, LOCK_EX) != 0 && errno == EINTR) {
  }
  // Another process may have compiled it while we waited.
  if (access(exe.c_str(), X_OK) == 0) {
    *hit = true;
    close(lock);
    return exe;
  }
  std::string tmp = exe + ".tmp" + std::to_string(getpid());
  std::string copy = tmp + ".wasm";
  if (private_copy) {
    unlink(copy.c_str());  // a stale one from a killed compile
    int fd = open(copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool written = fd >= 0 && write(fd, private_copy->data(), private_copy->size()) ==
                                  static_cast<ssize_t>(private_copy->size());
    int e = errno;
    if (fd >= 0) close(fd);
    if (!written) {
      unlink(copy.c_str());
      close(lock);
      fail("cannot write %s: %s", copy.c_str(), strerror(e));
    }
    options.input = copy;
  }
  options.output = tmp;
  options.emit = "exe";
  try {
    compile(options);
  } catch (...) {
    unlink(tmp.c_str());
    if (private_copy) unlink(copy.c_str());
    close(lock);
    throw;
  }
  if (private_copy) unlink(copy.c_str());
  if (rename(tmp.c_str(), exe.c_str()) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    close(lock);
    fail("cannot store %s in the cache: %s", exe.c_str(), strerror(e));
  }
  close(lock);  // releases the flock
  return exe;
}

}  // namespace

std::string compile_cached(CompileOptions options, const std::vector<std::string>& toolchain,
                           const std::function<void(const CompileOptions&)>& compile, bool* hit) {
  std::string dir = cache_directory();
  make_private_dirs(dir);
  // Hashing a large module costs time at every run; a file not changed
  // since (same device, inode, size and nanosecond mtime) maps straight to
  // its entry through an index file (<sha>.idx holding the content key).
  struct stat st;
  if (stat(options.input.c_str(), &st) != 0) fail("%s: cannot read: %s", options.input.c_str(), strerror(errno));
  std::string identity = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
                         std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
                         std::to_string(st.st_mtim.tv_nsec);
  std::string index = dir + "/" + cache_key("file " + identity, options, toolchain) + ".idx";
  {
    std::ifstream idx(index);
    std::string known;
    if (idx >> known && known.size() == 64 && known.find_first_not_of("0123456789abcdef") == std::string::npos) {
      std::string exe = dir + "/" + known + ".exe";
      if (access(exe.c_str(), X_OK) == 0) {
        *hit = true;
        utimensat(AT_FDCWD, exe.c_str(), nullptr, 0);  // last used, for cleaning
        return exe;
      }
    }
  }
  std::ifstream in(options.input, std::ios::binary);
  if (!in) fail("%s: cannot read: %s", options.input.c_str(), strerror(errno));
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string key = cache_key(bytes.str(), options, toolchain);
  std::string exe = cached_entry(dir, key, options, compile, nullptr, hit);
  // Write the index atomically; losing it only costs a hash.
  std::string tmp = index + ".tmp" + std::to_string(getpid());
  { std::ofstream(tmp) << key << "\n"; }
  if (rename(tmp.c_str(), index.c_str()) != 0) unlink(tmp.c_str());
  return exe;
}

std::string compile_cached_bytes(const std::string& module_bytes, CompileOptions options,
                                 const std::vector<std::string>& toolchain,
                                 const std::function<void(const CompileOptions&)>& compile, bool* hit) {
  std::string dir = cache_directory();
  make_private_dirs(dir);
  return cached_entry(dir, cache_key(module_bytes, options, toolchain), options, compile, &module_bytes, hit);
}

std::vector<CacheEntry> list_cache() {
  std::vector<CacheEntry> out;
  std::string dir = cache_directory();
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (!ends_with(name, ".exe")) continue;
    struct stat st;
    std::string path = dir + "/" + name;
    if (stat(path.c_str(), &st) != 0) continue;
    out.push_back({path, static_cast<uint64_t>(st.st_size), static_cast<int64_t>(st.st_mtim.tv_sec)});
  }
  closedir(d);
  return out;
}

size_t clean_cache() {
  std::string dir = cache_directory();
  DIR* d = opendir(dir.c_str());
  if (!d) return 0;
  size_t removed = 0;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    // Only what the cache itself makes: <64 hex>.exe / .lock / .idx and
    // their temporaries (.tmpPID).
    if (name.size() < 64 || name.find_first_not_of("0123456789abcdef") != 64) continue;
    if (!ends_with(name, ".exe") && !ends_with(name, ".lock") && !ends_with(name, ".idx") &&
        name.find(".tmp") == std::string::npos)
      continue;
    if (unlink((dir + "/" + name).c_str()) == 0) ++removed;
  }
  closedir(d);
  return removed;
}

}  // namespace wasixc::aot
