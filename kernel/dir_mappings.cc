#include "dir_mappings.h"

namespace wasixc::kernel {

std::vector<DirMapping>& dir_mappings() {
  static std::vector<DirMapping> mappings;
  return mappings;
}

std::string normalise_guest_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();  // "/.." is "/" (POSIX path resolution)
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

}  // namespace wasixc::kernel
