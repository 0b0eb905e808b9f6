#include "fd_handoff.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>

namespace wasixc::kernel {
namespace {

constexpr char kMagic[] = "WXFDS1";
constexpr uint32_t kMaxItems = 1u << 20;  // Linux's own fd ceiling

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), 4); }
  void u64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string in) : in_(std::move(in)) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  uint8_t u8() { return static_cast<uint8_t>(raw(1)[0]); }
  uint32_t u32() {
    uint32_t v = 0;
    memcpy(&v, raw(4), 4);
    return v;
  }
  uint64_t u64() {
    uint64_t v = 0;
    memcpy(&v, raw(8), 8);
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    const char* p = raw(n);
    return ok_ ? std::string(p, n) : std::string();
  }

 private:
  const char* raw(size_t n) {
    static const char zeros[8] = {};
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return zeros;
    }
    const char* p = in_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

FdHandoff fd_handoff_of(const std::vector<std::pair<uint32_t, FdEntry>>& table,
                        const std::vector<DirMapping>& mappings) {
  FdHandoff h;
  h.mappings = mappings;
  for (const auto& [fd, entry] : table)
    if (!entry.cloexec) h.fds.emplace_back(fd, entry);
  return h;
}

std::string encode_fd_handoff(const FdHandoff& h) {
  Writer w;
  for (const char* c = kMagic; *c; ++c) w.u8(static_cast<uint8_t>(*c));
  w.u32(static_cast<uint32_t>(h.mappings.size()));
  for (const DirMapping& m : h.mappings) {
    w.str(m.guest_path);
    w.str(m.guest_name);
    w.str(m.host_path);
    w.u8(static_cast<uint8_t>(m.read_only | (m.builtin_devices << 1)));
  }
  w.u32(static_cast<uint32_t>(h.fds.size()));
  for (const auto& [fd, e] : h.fds) {
    w.u32(fd);
    w.u64(e.rights_base);
    w.u64(e.rights_inheriting);
    w.u64(e.rights_refused);
    w.u32(static_cast<uint32_t>(e.mapping));
    w.str(e.guest_path);
    w.u8(static_cast<uint8_t>(e.preopen_name.has_value() | (e.virtual_dir << 1)));
    w.str(e.preopen_name.value_or(""));
  }
  return w.take();
}

std::optional<FdHandoff> decode_fd_handoff(const std::string& bytes) {
  if (bytes.compare(0, strlen(kMagic), kMagic) != 0) return std::nullopt;
  Reader r(bytes.substr(strlen(kMagic)));
  FdHandoff h;
  uint32_t n = r.u32();
  if (n > kMaxItems) return std::nullopt;
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    DirMapping m;
    m.guest_path = r.str();
    m.guest_name = r.str();
    m.host_path = r.str();
    uint8_t flags = r.u8();
    m.read_only = (flags & 1) != 0;
    m.builtin_devices = (flags & 2) != 0;
    if (m.builtin_devices) m.host_path = "/dev";  // the runtime's own, whatever was handed over
    h.mappings.push_back(std::move(m));
  }
  n = r.u32();
  if (n > kMaxItems) return std::nullopt;
  std::set<uint32_t> seen;
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    uint32_t fd = r.u32();
    FdEntry e;
    e.rights_base = r.u64() & kAllRights;
    e.rights_inheriting = r.u64() & kAllRights;
    e.rights_refused = r.u64() & kAllRights;
    e.mapping = static_cast<int32_t>(r.u32());
    e.guest_path = r.str();
    uint8_t flags = r.u8();
    std::string name = r.str();
    if (flags & 1) e.preopen_name = name;
    e.virtual_dir = (flags & 2) != 0;
    if (fd >= static_cast<uint32_t>(INT32_MAX) || !seen.insert(fd).second || e.mapping < -1 ||
        e.mapping >= static_cast<int>(h.mappings.size()))
      return std::nullopt;
    h.fds.emplace_back(fd, std::move(e));
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return h;
}

FdPlacement::FdPlacement(const FdHandoff& h) {
  for (const auto& [fd, e] : h.fds) {
    if (e.virtual_dir) continue;  // no host object: re-made from the handoff alone
    sources_.push_back(e.host_fd);
    targets_.push_back(static_cast<int>(fd));
    above_ = std::max(above_, static_cast<int>(fd) + 1);
  }
  temps_.assign(targets_.size(), -1);
  saved_.assign(targets_.size(), -1);
  saved_flags_.assign(targets_.size(), 0);
  placed_.assign(targets_.size(), false);
  stdio_flags_.assign(3, -1);
}

int FdPlacement::place() {
  auto fail = [this] {
    int e = errno;
    undo();
    return e;
  };
  // 1. Copies of every source above all targets: a source may sit on
  //    another entry's target number.
  for (size_t i = 0; i < sources_.size(); ++i)
    if ((temps_[i] = fcntl(sources_[i], F_DUPFD_CLOEXEC, above_)) < 0) return fail();
  // 2. Host stdio the guest does not hand over is closed in the new image.
  for (int fd = 0; fd < 3; ++fd) {
    stdio_flags_[fd] = fcntl(fd, F_GETFD);
    if (stdio_flags_[fd] >= 0) fcntl(fd, F_SETFD, stdio_flags_[fd] | FD_CLOEXEC);
  }
  // 3. Each copy onto its guest number (dup2 clears FD_CLOEXEC); what was
  //    there is kept aside for undo().
  for (size_t i = 0; i < targets_.size(); ++i) {
    saved_flags_[i] = fcntl(targets_[i], F_GETFD);
    if (saved_flags_[i] >= 0 && (saved_[i] = fcntl(targets_[i], F_DUPFD_CLOEXEC, above_)) < 0) return fail();
    if (dup2(temps_[i], targets_[i]) < 0) return fail();
    placed_[i] = true;
  }
  for (int& t : temps_) {
    close(t);
    t = -1;
  }
  return 0;
}

void FdPlacement::undo() {
  for (size_t i = targets_.size(); i-- > 0;) {
    if (saved_[i] >= 0) {
      dup2(saved_[i], targets_[i]);
      fcntl(targets_[i], F_SETFD, saved_flags_[i]);
      close(saved_[i]);
    } else if (placed_[i]) {
      close(targets_[i]);  // it was free before
    }
    if (temps_[i] >= 0) close(temps_[i]);
    saved_[i] = temps_[i] = -1;
    placed_[i] = false;
  }
  for (int fd = 0; fd < 3; ++fd)
    if (stdio_flags_[fd] >= 0) fcntl(fd, F_SETFD, stdio_flags_[fd]);
}

int memfd_holding(const char* name, unsigned flags, const std::string& bytes) {
  int fd = memfd_create(name, MFD_CLOEXEC | flags);
  if (fd < 0) return -errno;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = n < 0 ? errno : EIO;
      close(fd);
      return -e;
    }
    done += static_cast<size_t>(n);
  }
  return fd;
}

int fd_handoff_memfd(const std::string& record, int min_fd) {
  int fd = memfd_holding("wasixc-fds", MFD_ALLOW_SEALING, record);
  if (fd < 0) return fd;
  // Sealed: the receiver knows it is reading a runtime's record, not
  // whatever descriptor a user's WASIXC_FD_TABLE happens to name.
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  int high = fcntl(fd, F_DUPFD_CLOEXEC, min_fd);
  int e = errno;
  close(fd);
  return high < 0 ? -e : high;
}

std::optional<FdHandoff> receive_fd_handoff(char** envp) {
  const size_t key = strlen(kFdTableEnv);
  for (char** e = envp; e && *e; ++e) {
    if (strncmp(*e, kFdTableEnv, key) != 0 || (*e)[key] != '=') continue;
    char* end = nullptr;
    long fd = strtol(*e + key + 1, &end, 10);
    if (end == *e + key + 1 || *end || fd < 3 || fd > INT32_MAX) return std::nullopt;
    constexpr int kSeals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
    if (fcntl(static_cast<int>(fd), F_GET_SEALS) != kSeals) return std::nullopt;
    std::string bytes;
    char buf[4096];
    ssize_t n;
    off_t at = 0;
    while ((n = pread(static_cast<int>(fd), buf, sizeof buf, at)) > 0) {
      bytes.append(buf, static_cast<size_t>(n));
      at += n;
    }
    close(static_cast<int>(fd));
    return decode_fd_handoff(bytes);
  }
  return std::nullopt;
}

}  // namespace wasixc::kernel
