#include "image_handoff.h"

#include "fd_handoff.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "path_resolver.h"
#include "sandbox.h"

namespace wasixc::kernel {
namespace {

constexpr char kMagic[8] = {'W', 'X', 'H', 'A', 'N', 'D', 'O', 'F'};
constexpr uint32_t kVersion = 1;
constexpr const char* kMemfdName = "wasixc-handoff";
// A record larger than this is not ours (guest environments are bounded
// by the exec argument limits; fd tables are small).
constexpr size_t kMaxRecord = 64u << 20;

std::vector<std::string>& start_environment() {
  static std::vector<std::string> env;
  return env;
}

void put_u32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

bool get_u32(const std::string& in, size_t* at, uint32_t* v) {
  if (*at > in.size() || in.size() - *at < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= uint32_t{static_cast<uint8_t>(in[*at + i])} << (8 * i);
  *at += 4;
  return true;
}

bool get_bytes(const std::string& in, size_t* at, std::string* out) {
  uint32_t n;
  if (!get_u32(in, at, &n) || in.size() - *at < n) return false;
  out->assign(in, *at, n);
  *at += n;
  return true;
}

}  // namespace

std::optional<std::string> ImageHandoff::get(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void ImageHandoff::put_list(const std::string& key, const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& s : items) {
    joined += s;
    joined.push_back('\0');
  }
  put(key, std::move(joined));
}

std::optional<std::vector<std::string>> ImageHandoff::get_list(const std::string& key) const {
  std::optional<std::string> joined = get(key);
  if (!joined) return std::nullopt;
  std::vector<std::string> items;
  size_t start = 0;
  while (start < joined->size()) {
    size_t end = joined->find('\0', start);
    if (end == std::string::npos) end = joined->size();
    items.push_back(joined->substr(start, end - start));
    start = end + 1;
  }
  return items;
}

std::string ImageHandoff::serialize(pid_t for_pid) const {
  std::string out(kMagic, sizeof kMagic);
  put_u32(&out, kVersion);
  put_u32(&out, static_cast<uint32_t>(for_pid));
  put_u32(&out, static_cast<uint32_t>(entries_.size()));
  for (const auto& [key, value] : entries_) {
    put_u32(&out, static_cast<uint32_t>(key.size()));
    out += key;
    put_u32(&out, static_cast<uint32_t>(value.size()));
    out += value;
  }
  return out;
}

std::optional<ImageHandoff> ImageHandoff::parse(const std::string& bytes, pid_t* for_pid) {
  if (bytes.size() < sizeof kMagic || memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
  size_t at = sizeof kMagic;
  uint32_t version, pid, count;
  if (!get_u32(bytes, &at, &version) || version != kVersion || !get_u32(bytes, &at, &pid) ||
      !get_u32(bytes, &at, &count))
    return std::nullopt;
  ImageHandoff handoff;
  for (uint32_t i = 0; i < count; ++i) {
    std::string key, value;
    if (!get_bytes(bytes, &at, &key) || !get_bytes(bytes, &at, &value)) return std::nullopt;
    handoff.put(key, std::move(value));
  }
  if (at != bytes.size()) return std::nullopt;
  *for_pid = static_cast<pid_t>(pid);
  return handoff;
}

int handoff_to_memfd(const ImageHandoff& handoff, pid_t for_pid) {
  std::string bytes = handoff.serialize(for_pid);
  if (bytes.size() > kMaxRecord) return -E2BIG;
  return memfd_holding(kMemfdName, 0, bytes);
}

std::optional<ImageHandoff> receive_image_handoff(char** envp) {
  const char* value = nullptr;
  size_t prefix = strlen(kHandoffEnv);
  for (char** e = envp; e && *e; ++e)
    if (strncmp(*e, kHandoffEnv, prefix) == 0 && (*e)[prefix] == '=') value = *e + prefix + 1;
  if (!value || !*value) return std::nullopt;
  char* end;
  long fd = strtol(value, &end, 10);
  if (*end || fd < 3 || fd > 1 << 20) return std::nullopt;
  // Only a memfd of ours: the number may be stale (inherited through a
  // host program) and name anything by now.
  char link[64], target[128];
  snprintf(link, sizeof link, "/proc/self/fd/%ld", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 0) return std::nullopt;
  target[n] = 0;
  if (strncmp(target, "/memfd:wasixc-handoff", 21) != 0) return std::nullopt;
  struct stat st;
  if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
      static_cast<size_t>(st.st_size) > kMaxRecord)
    return std::nullopt;
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t r = pread(static_cast<int>(fd), bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    done += static_cast<size_t>(r);
  }
  pid_t for_pid = 0;
  std::optional<ImageHandoff> handoff = ImageHandoff::parse(bytes, &for_pid);
  if (!handoff || for_pid != getpid()) return std::nullopt;
  close(static_cast<int>(fd));  // read once; the guest and later images never see it
  return handoff;
}

bool is_runtime_variable(const char* entry) {
  auto is = [&](const char* name) {
    size_t n = strlen(name);
    return strncmp(entry, name, n) == 0 && entry[n] == '=';
  };
  return is(kHandoffEnv) || is(kSandboxEnv) || is(kFdTableEnv);
}

void remember_host_environment(char** envp) {
  std::vector<std::string>& env = start_environment();
  env.clear();
  size_t cwd = strlen(kCwdVariable);
  for (char** e = envp; e && *e; ++e)  // the cwd is added afresh (exec.cc)
    if (!is_runtime_variable(*e) && !(strncmp(*e, kCwdVariable, cwd) == 0 && (*e)[cwd] == '='))
      env.emplace_back(*e);
}

std::vector<std::string> launching_environment() { return start_environment(); }

std::vector<std::string> host_env_for_new_image(int handoff_fd, int sandbox_fd) {
  std::vector<std::string> env = start_environment();
  env.push_back(sandbox_fd >= 0 ? std::string(kSandboxEnv) + "=" + std::to_string(sandbox_fd) : sandbox_env_entry());
  if (handoff_fd >= 0) env.push_back(std::string(kHandoffEnv) + "=" + std::to_string(handoff_fd));
  return env;
}

}  // namespace wasixc::kernel
