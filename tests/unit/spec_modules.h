// Every binary module of the spec suite (WASIXC_SPEC_DIR, proposals
// included), as wabt 1.0.32's wast2json writes them: valid ones and the
// modules of assert_invalid / assert_malformed / assert_unlinkable alike.
// Files wast2json cannot parse are skipped (nothing to compare with); the
// callers assert how many modules they saw, so a missing suite fails.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "aot/toolchain.h"
#include "aot/work_dir.h"

namespace wasixc::test {

inline void find_wast(const std::string& dir, std::vector<std::string>* out) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) find_wast(path, out);
    else if (name.size() > 5 && name.substr(name.size() - 5) == ".wast") out->push_back(path);
  }
  closedir(d);
}

inline std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Calls visit(wast file, module path, bytes) for each module; returns the
// number of .wast files found.
inline size_t for_each_spec_module(
    const std::string& spec_dir,
    const std::function<void(const std::string&, const std::string&, const std::vector<uint8_t>&)>& visit) {
  std::vector<std::string> files;
  find_wast(spec_dir, &files);
  std::string dir = wasixc::aot::make_temp_dir();
  for (const std::string& wast : files) {
    std::string out;
    std::string json = dir + "/c.json";
    if (wasixc::aot::run_command({"/usr/bin/wast2json", "--enable-all", wast, "-o", json}, false, &out) != 0)
      continue;
    DIR* d = opendir(dir.c_str());
    std::vector<std::string> wasm;
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 5 && name.substr(name.size() - 5) == ".wasm") wasm.push_back(dir + "/" + name);
    }
    closedir(d);
    for (const std::string& path : wasm) {
      std::vector<uint8_t> bytes = read_file(path);
      unlink(path.c_str());
      visit(wast, path, bytes);
    }
    for (const char* leftover : {"c.json"}) unlink((dir + "/" + leftover).c_str());
    // Text-format modules of assert_malformed (.wat) are not binaries.
    if (DIR* rest = opendir(dir.c_str())) {
      while (dirent* e = readdir(rest))
        if (e->d_name[0] != '.') unlink((dir + "/" + e->d_name).c_str());
      closedir(rest);
    }
  }
  wasixc::aot::remove_tree(dir);
  return files.size();
}

}  // namespace wasixc::test
