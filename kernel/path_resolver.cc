#include "path_resolver.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <vector>

#include "devices.h"
#include "dir_mappings.h"

namespace wasixc::kernel {

int HostFd::release() {
  int fd = fd_;
  fd_ = -1;
  return owned_ || fd < 0 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

ComponentName& ComponentName::operator=(std::string_view name) {
  size_ = std::min(name.size(), sizeof text_ - 1);
  memcpy(text_, name.data(), size_);
  text_[size_] = '\0';
  return *this;
}

namespace {

constexpr int kMaxSymlinks = 40;  // Linux's MAXSYMLINKS (fs/namei.c)
// Directories kept open for ".."; above that a walk re-walks lexically
// from the mapping's root (deep paths must not exhaust RLIMIT_NOFILE).
constexpr size_t kMaxHeld = 32;
constexpr int kStepFlags = O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC;

int dup_fd(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 3); }

std::string join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

std::string parent_of(const std::string& guest) {
  size_t slash = guest.rfind('/');
  return slash == 0 ? "/" : guest.substr(0, slash);
}

// Whether the guest path `guest` is `root` or lies below it.
bool inside(std::string_view guest, std::string_view root) {
  if (root == "/") return true;
  return guest.substr(0, root.size()) == root && (guest.size() == root.size() || guest[root.size()] == '/');
}

// The mapping whose root is exactly `guest`, or -1.
int mapping_rooted_at(std::string_view guest) {
  const std::vector<DirMapping>& maps = dir_mappings();
  for (size_t i = 0; i < maps.size(); ++i)
    if (maps[i].guest_path == guest) return static_cast<int>(i);
  return -1;
}

// Whether some mapping lies strictly below `guest` (a virtual directory).
bool above_a_mapping(std::string_view guest) {
  for (const DirMapping& m : dir_mappings())
    if (m.guest_path.size() > guest.size() && inside(m.guest_path, guest)) return true;
  return false;
}

void split_front(std::string_view path, std::deque<std::string>* comps) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  comps->insert(comps->begin(), parts.begin(), parts.end());
}

// Where a walk stands: a directory of a mapping (held.back() is its
// descriptor, the ones below it its ancestors) or a virtual directory.
struct Position {
  int mapping = -1;
  std::string guest = "/";
  std::vector<HostFd> held;

  int dir() const { return held.back().get(); }
  void push(int fd) {
    held.emplace_back(fd);
    if (held.size() > kMaxHeld) held.erase(held.begin());
  }
  int enter_root(int m) {
    int fd = dup_fd(dir_mappings()[m].root_fd);
    if (fd < 0) return errno;
    held.clear();
    held.emplace_back(fd);
    mapping = m;
    guest = dir_mappings()[m].guest_path;
    return 0;
  }
  void go_virtual(std::string_view at) {
    held.clear();
    mapping = -1;
    guest = at;
  }
};

// The position of a canonical guest path, walked from the innermost
// mapping holding it without following links (canonical paths have none).
int position_at(std::string_view guest, Position* pos) {
  const std::vector<DirMapping>& maps = dir_mappings();
  int best = -1;
  for (size_t i = 0; i < maps.size(); ++i)
    if (inside(guest, maps[i].guest_path) &&
        (best < 0 || maps[i].guest_path.size() > maps[best].guest_path.size()))
      best = static_cast<int>(i);
  if (best < 0) {
    if (guest != "/" && !above_a_mapping(guest)) return ENOENT;
    pos->go_virtual(guest);
    return 0;
  }
  if (int e = pos->enter_root(best)) return e;
  std::deque<std::string> rest;
  split_front(guest.substr(maps[best].guest_path.size()), &rest);
  for (const std::string& name : rest) {
    std::string next = join(pos->guest, name);
    if (pos->mapping < 0) {  // below a missing mount-point directory
      pos->guest = next;
      continue;
    }
    if (is_device_mapping(pos->mapping) && !is_builtin_device_name(name)) return ENOENT;
    int fd = openat(pos->dir(), name.c_str(), kStepFlags);
    if (fd < 0) {
      if (errno == ENOENT && above_a_mapping(next)) {
        pos->go_virtual(next);
        continue;
      }
      return errno == ELOOP ? ENOENT : errno;
    }
    pos->push(fd);
    pos->guest = next;
  }
  return 0;
}

int start_at(const PathBase& base, Position* pos) {
  if (base.mapping < 0 || base.host_fd < 0) return position_at(base.guest(), pos);
  int fd = dup_fd(base.host_fd);
  if (fd < 0) return errno;
  pos->held.emplace_back(fd);
  pos->mapping = base.mapping;
  pos->guest = base.guest();
  return 0;
}

// "..": the held parent, else the guest parent re-walked lexically (at a
// mapping's root that is the guest directory above the mapping). POSIX:
// "/.." is "/".
int go_up(Position* pos) {
  if (pos->guest == "/") return 0;
  if (pos->mapping >= 0 && pos->guest != dir_mappings()[pos->mapping].guest_path && pos->held.size() >= 2) {
    pos->held.pop_back();
    pos->guest = parent_of(pos->guest);
    return 0;
  }
  return position_at(parent_of(pos->guest), pos);
}

// readlinkat into *target: 0 if `name` is a symlink, else an errno
// (EINVAL: not a link).
int read_link(int dir, const std::string& name, std::string* target) {
  char buf[PATH_MAX];
  ssize_t n = readlinkat(dir, name.c_str(), buf, sizeof buf);
  if (n < 0) return errno;
  if (static_cast<size_t>(n) >= sizeof buf) return ENAMETOOLONG;
  target->assign(buf, static_cast<size_t>(n));
  return 0;
}

int check_path(std::string_view path) {
  if (path.empty()) return ENOENT;  // POSIX: an empty path names nothing
  if (path.size() >= PATH_MAX) return ENAMETOOLONG;
  if (path.find('\0') != std::string_view::npos) return EINVAL;
  return 0;
}

void finish_name(Position* pos, const std::string& name, bool must_be_dir, ResolvedPath* out) {
  out->parent = std::move(pos->held.back());
  out->name = name;
  out->mapping = pos->mapping;
  out->guest_path = join(pos->guest, name);
  out->must_be_dir = must_be_dir;
}

void finish_dir(Position* pos, bool must_be_dir, ResolvedPath* out) {
  out->name = ".";
  out->mapping = pos->mapping;
  out->guest_path = pos->guest;
  out->must_be_dir = must_be_dir;
  if (pos->mapping < 0) {
    out->is_virtual = true;
    return;
  }
  out->parent = std::move(pos->held.back());
  out->mount_point = pos->guest == dir_mappings()[pos->mapping].guest_path;
}

// The guest's cwd: a guest path and its directory (held open, as Linux
// holds the cwd's dentry: a rename of it keeps it working).
struct Cwd {
  std::mutex lock;
  bool ready = false;
  int mapping = -1;
  std::string guest = "/";
  HostFd fd;
};

Cwd& cwd_state() {
  static Cwd cwd;
  return cwd;
}

[[maybe_unused]] const bool g_cwd_atfork = [] {
  pthread_atfork([] { cwd_state().lock.lock(); }, [] { cwd_state().lock.unlock(); },
                 [] { cwd_state().lock.unlock(); });
  return true;
}();

void ensure_cwd_locked(Cwd& cwd) {
  if (cwd.ready) return;
  cwd.ready = true;
  Position pos;
  if (position_at("/", &pos) == 0 && pos.mapping >= 0) {
    cwd.mapping = pos.mapping;
    cwd.fd = std::move(pos.held.back());
  }
}

// The common case in one host call: a path without ".." whose directories
// cross no mapping's root and hold no symlink is opened up to its last
// component with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
// RESOLVE_NO_MAGICLINKS), which the kernel keeps beneath the starting
// directory. Anything else (a symlink, "..", a mount point, any error)
// returns false and the component walk decides, errors included. SQLite
// makes ~3 path calls per transaction, so this allocates nothing unless
// the caller wants the guest path (or a mapping nested below the start
// makes the walk check each directory's guest path).
bool resolve_fast(const PathBase& base, std::string_view path, bool follow_final, GuestPath want,
                  ResolvedPath* out) {
  int start_fd = base.host_fd;
  int mapping = base.mapping;
  std::string_view start = base.guest();
  if (path[0] == '/') {
    mapping = mapping_rooted_at("/");
    if (mapping < 0) return false;
    start_fd = dir_mappings()[mapping].root_fd;
    start = "/";
  }
  if (mapping < 0 || start_fd < 0 || is_device_mapping(mapping)) return false;
  // No mapping below the start: no component can name one's root or a
  // directory above one, so only a nested mapping needs the checks.
  bool nested = above_a_mapping(start);
  bool build_guest = nested || want == GuestPath::kNeeded;
  std::string guest;
  if (build_guest) {
    guest.reserve(start.size() + path.size() + 1);
    guest = start;
  }
  // Components are views into `path` (no copies).
  std::string_view last;
  size_t dirs_end = 0;  // path[0, dirs_end) holds every component but the last
  for (size_t from = 0; from < path.size();) {
    size_t end = path.find('/', from);
    if (end == std::string_view::npos) end = path.size();
    std::string_view c = path.substr(from, end - from);
    if (!c.empty()) {
      if (c == "." || c == ".." || c.size() > NAME_MAX) return false;
      if (!last.empty()) dirs_end = static_cast<size_t>(last.data() + last.size() - path.data());
      if (build_guest) {
        if (guest.back() != '/') guest += '/';
        guest += c;
        if (nested && (mapping_rooted_at(guest) >= 0 || above_a_mapping(guest))) return false;
      }
      last = c;
    }
    from = end + 1;
  }
  if (last.empty()) return false;
  // openat2 takes the directories as written ("a//b" is "a/b" to it too),
  // relative to the start: without the leading slashes.
  std::string_view dirs = path.substr(0, dirs_end);
  while (!dirs.empty() && dirs[0] == '/') dirs.remove_prefix(1);
  // A mapping's root is open for the process's life: borrowed, not copied
  // (base_from_fd hands it out for a guest fd naming the root, such as a
  // preopen). Any other start is copied first: a guest fd's descriptor may
  // be closed by another guest thread meanwhile, and its number reused by
  // a host descriptor of the runtime's own.
  HostFd held;
  if (dirs.empty()) {
    if (start_fd == dir_mappings()[mapping].root_fd) {
      held = HostFd::borrow(start_fd);
    } else {
      held = HostFd(dup_fd(start_fd));
      if (!held.valid()) return false;
    }
  } else {
    char dirs_text[PATH_MAX];  // check_path: path.size() < PATH_MAX
    memcpy(dirs_text, dirs.data(), dirs.size());
    dirs_text[dirs.size()] = '\0';
    open_how how = {};
    how.flags = kStepFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    int parent = static_cast<int>(syscall(SYS_openat2, start_fd, dirs_text, &how, sizeof how));
    if (parent < 0) return false;
    held = HostFd(parent);
  }
  bool must_be_dir = path.back() == '/';
  // (Set before the probe, which needs it NUL-terminated; the walk sets it
  // again if this returns false.)
  out->name = last;
  if (follow_final || must_be_dir) {
    char probe[1];
    if (readlinkat(held.get(), out->name.c_str(), probe, sizeof probe) >= 0) return false;  // a final link: the walk
  }
  out->parent = std::move(held);
  out->mapping = mapping;
  out->guest_path = std::move(guest);
  out->must_be_dir = must_be_dir;
  return true;
}

}  // namespace

static int resolve_by_walk(const PathBase& base, std::string_view path, bool follow_final, ResolvedPath* out);

int base_from_fd(const FdEntry& entry, PathBase* out) {
  if (entry.virtual_dir) {  // above the mappings: walked in the guest's namespace
    out->mapping = -1;
    out->guest_path = entry.guest_path;
    out->host_fd = -1;
    return 0;
  }
  if (entry.mapping < 0 || entry.host_fd < 0) return ENOTDIR;
  const DirMapping& mapping = dir_mappings()[entry.mapping];
  out->mapping = entry.mapping;
  bool at_root = entry.guest_path.empty() || entry.guest_path == mapping.guest_path;
  if (at_root)
    out->guest_path.clear();  // PathBase::guest(): the mapping's own string
  else
    out->guest_path = entry.guest_path;
  // A descriptor of the mapping's root (a preopen, an open of "/data"):
  // the runtime's own root descriptor names the same directory and, unlike
  // the guest's, cannot be closed under the call by another guest thread.
  out->host_fd = at_root && mapping.root_fd >= 0 ? mapping.root_fd : entry.host_fd;
  return 0;
}

std::vector<std::string> virtual_directory_names(const std::string& guest) {
  std::set<std::string> names;
  for (const DirMapping& m : dir_mappings()) {
    if (m.guest_path == guest || !inside(m.guest_path, guest)) continue;
    size_t start = guest == "/" ? 1 : guest.size() + 1;
    names.insert(m.guest_path.substr(start, m.guest_path.find('/', start) - start));
  }
  return {names.begin(), names.end()};
}

std::string current_directory() {
  Cwd& cwd = cwd_state();
  std::lock_guard<std::mutex> guard(cwd.lock);
  return cwd.guest;
}

void cwd_base(PathBase* out, HostFd* holder) {
  Cwd& cwd = cwd_state();
  std::lock_guard<std::mutex> guard(cwd.lock);
  ensure_cwd_locked(cwd);
  out->guest_path = cwd.guest;
  out->mapping = -1;
  out->host_fd = -1;
  if (cwd.mapping >= 0 && cwd.fd.valid()) {
    *holder = HostFd(dup_fd(cwd.fd.get()));
    if (holder->valid()) {
      out->mapping = cwd.mapping;
      out->host_fd = holder->get();
    }
  }
}

int change_directory(const PathBase& base, std::string_view path) {
  ResolvedPath r;
  if (int e = resolve_path(base, path, true, &r)) return e;
  HostFd dir;
  if (!r.is_virtual) {
    dir = HostFd(openat(r.parent.get(), r.name.c_str(), kStepFlags));
    if (!dir.valid()) return errno == ELOOP ? ENOTDIR : errno;
  }
  Cwd& cwd = cwd_state();
  std::lock_guard<std::mutex> guard(cwd.lock);
  cwd.ready = true;
  cwd.mapping = r.is_virtual ? -1 : r.mapping;
  cwd.guest = r.guest_path;
  cwd.fd = std::move(dir);
  return 0;
}

int resolve_path(const PathBase& base, std::string_view path, bool follow_final, ResolvedPath* out,
                 GuestPath guest_path) {
  if (int e = check_path(path)) return e;
  if (resolve_fast(base, path, follow_final, guest_path, out)) return 0;
  return resolve_by_walk(base, path, follow_final, out);
}

// The component walk (kernel/path_resolver.h), out of line: the common
// case above stays a few cache lines (every SQLite statement makes three
// path calls).
[[gnu::noinline]] static int resolve_by_walk(const PathBase& base, std::string_view path, bool follow_final,
                                      ResolvedPath* out) {
  Position pos;
  if (int e = path[0] == '/' ? position_at("/", &pos) : start_at(base, &pos)) return e;
  std::deque<std::string> comps;
  split_front(path, &comps);
  // POSIX.1-2017 4.13: a trailing slash makes the path name a directory
  // (and follows a final symlink).
  bool must_be_dir = path.back() == '/';
  int links = 0;
  auto expand = [&](const std::string& target, bool last) -> int {
    if (++links > kMaxSymlinks) return ELOOP;
    if (target.empty()) return ENOENT;
    if (last && target.back() == '/') must_be_dir = true;
    split_front(target, &comps);
    if (target[0] == '/') return position_at("/", &pos);  // the guest's root
    return 0;
  };
  while (!comps.empty()) {
    std::string name = std::move(comps.front());
    comps.pop_front();
    bool last = comps.empty();
    if (name == ".") continue;
    if (name == "..") {
      if (int e = go_up(&pos)) return e;
      continue;
    }
    if (name.size() > NAME_MAX) return ENAMETOOLONG;
    // The built-in /dev (kernel/devices.h): only its allow-list exists;
    // no other name reaches the host's /dev.
    if (is_device_mapping(pos.mapping) && !is_builtin_device_name(name)) return ENOENT;
    std::string next = join(pos.guest, name);
    if (int m = mapping_rooted_at(next); m >= 0) {  // a mapping covers this name
      if (int e = pos.enter_root(m)) return e;
      continue;
    }
    if (pos.mapping < 0) {
      if (above_a_mapping(next)) {
        pos.guest = next;
        continue;
      }
      hint_unmapped_path(next);
      if (last) {
        out->missing_in_virtual = true;
        out->guest_path = next;
      }
      return ENOENT;
    }
    if (last) {
      struct stat st;
      if (above_a_mapping(next) && fstatat(pos.dir(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 &&
          errno == ENOENT) {  // a mount point's parent missing on the host: virtual
        pos.go_virtual(next);
        continue;
      }
      std::string target;
      if ((follow_final || must_be_dir) && read_link(pos.dir(), name, &target) == 0) {
        if (int e = expand(target, true)) return e;
        continue;
      }
      finish_name(&pos, name, must_be_dir, out);
      return 0;
    }
    int fd = openat(pos.dir(), name.c_str(), kStepFlags);
    if (fd >= 0) {
      pos.push(fd);
      pos.guest = next;
      continue;
    }
    int err = errno;
    if (err == ENOTDIR || err == ELOOP) {
      std::string target;
      if (read_link(pos.dir(), name, &target) != 0) return ENOTDIR;
      if (int e = expand(target, false)) return e;
      continue;
    }
    if (err == ENOENT && above_a_mapping(next)) {  // a mount point missing on the host
      pos.go_virtual(next);
      continue;
    }
    return err;
  }
  finish_dir(&pos, must_be_dir, out);
  return 0;
}

int open_path(const PathBase& base, std::string_view path, int flags, mode_t mode, bool follow,
              OpenedPath* out) {
  if ((flags & O_CREAT) && (flags & O_EXCL)) follow = false;  // open(2): O_EXCL never follows
  ResolvedPath r;
  if (int e = resolve_path(base, path, follow, &r)) {
    return e == ENOENT && r.missing_in_virtual && (flags & O_CREAT) ? EROFS : e;  // creating in a virtual directory
  }
  if (r.must_be_dir) {
    if (flags & O_CREAT) return EISDIR;  // open(2) of "name/" with O_CREAT
    flags |= O_DIRECTORY;
  }
  bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
  if (r.is_virtual) return writes ? EROFS : kErrNotCapable;
  if (is_device_mapping(r.mapping) && r.name != ".") {  // a built-in device: fixed flags
    int fd = open_device(r.parent.get(), r.name, flags);
    if (fd < 0) return -fd;
    out->fd = HostFd(fd);
    out->mapping = r.mapping;
    out->guest_path = r.guest_path;
    return 0;
  }
  if (writes && mapping_is_read_only(r.mapping)) return EROFS;
  // O_NOFOLLOW: a final symlink was expanded above when following; one
  // swapped in since is refused (ELOOP), never followed by the host.
  int fd = openat(r.parent.get(), r.name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return errno;
  out->fd = HostFd(fd);
  struct stat st;
  out->is_directory = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
  out->mapping = r.mapping;
  out->guest_path = r.guest_path;
  return 0;
}

void hint_unmapped_path(std::string_view guest_path) {
  static std::atomic<bool> printed{false};
  if (!only_builtin_mappings() || printed.exchange(true)) return;
  fprintf(stderr,
          "wasixc: note: '%.*s': no host directory is mapped for this program; give it one with "
          "`wasixc --dir HOST::GUEST` or at run time with WASIXC_DIRS=HOST::GUEST[:ro]\n",
          static_cast<int>(guest_path.size()), guest_path.data());
}

}  // namespace wasixc::kernel
