#include "dir_mappings.h"

namespace wasixc::kernel {

bool parse_mapping_spec(std::string_view spec, MappingSpec* out) {
  constexpr std::string_view kReadOnly = ":ro";
  out->read_only = spec.size() > kReadOnly.size() && spec.substr(spec.size() - kReadOnly.size()) == kReadOnly;
  if (out->read_only) spec.remove_suffix(kReadOnly.size());
  size_t sep = spec.find("::");
  out->host = std::string(spec.substr(0, sep));
  out->guest = sep == std::string_view::npos ? out->host : std::string(spec.substr(sep + 2));
  return !out->host.empty() && !out->guest.empty() && out->host.find('\0') == std::string::npos;
}

bool parse_mapping_list(std::string_view list, std::vector<MappingSpec>* out, std::string* error) {
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = list.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    MappingSpec spec;
    if (!parse_mapping_spec(item, &spec)) {
      *error = "bad mapping '" + std::string(item) + "' (want HOST[::GUEST][:ro])";
      return false;
    }
    out->push_back(spec);
  }
  return true;
}

std::vector<std::string>& mapping_env_entries() {
  static std::vector<std::string> entries;
  return entries;
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
