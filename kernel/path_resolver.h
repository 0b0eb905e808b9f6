// The one path resolver: every guest path (the path_* calls, path_open,
// chdir, exec/spawn program lookup, spawn's open action) is resolved here,
// in the guest's namespace, and never leaves the directory mappings
// (kernel/dir_mappings.h).
//
// The guest namespace is the union of the mappings: a mapping at "/", or
// several at "/data", "/tmp"... Directories above mappings ("/" when only
// "/data" is mapped) are virtual: they can be walked through, stat'ed and
// made the cwd, nothing else (ENOTCAPABLE). A name that is neither inside
// a mapping nor above one does not exist (ENOENT).
//
// Resolution walks component by component with host
// openat(dir, name, O_PATH|O_NOFOLLOW|O_DIRECTORY) relative to descriptors
// it holds, never through a host path string:
//   - "." stays; ".." pops the held stack, and at a mapping's root goes to
//     the guest parent (lexically, in the guest namespace). The resolver
//     never opens a host "..", so a directory renamed out of a mapping
//     under our feet cannot lead outside it.
//   - a symlink is read with readlinkat and expanded in the guest
//     namespace: a relative target continues from the link's directory, an
//     absolute one restarts at the guest's "/" (a link to "/etc/passwd"
//     names the guest's /etc/passwd, never the host's). At most 40 links
//     per resolution (Linux's MAXSYMLINKS), then ELOOP.
//   - paths of PATH_MAX (4096) bytes or more: ENAMETOOLONG; an embedded
//     NUL: EINVAL (a host call would silently cut the name).
// The final component is returned unopened (parent descriptor + name) for
// the *at() calls, which always operate on it without following it
// (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW): a link swapped in between the lookup
// and the call is acted on as a link, never followed by the host.
#pragma once

#include <limits.h>
#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "kernel/dir_mappings.h"
#include "kernel/fd_table.h"

namespace wasixc::kernel {

// WASI's ENOTCAPABLE has no Linux errno: the resolver returns this value
// (outside Linux's errno range) and libwasix maps it (wasi_errno.cc).
constexpr int kErrNotCapable = 4096;

// An owned host descriptor (closed on destruction), or a borrowed one.
class HostFd {
 public:
  HostFd() = default;
  explicit HostFd(int fd) : fd_(fd) {}
  // A descriptor kept open for at least as long as this object lives (a
  // mapping's root): not closed here, which saves the dup + close of a
  // copy on every path call.
  static HostFd borrow(int fd) {
    HostFd h(fd);
    h.owned_ = false;
    return h;
  }
  HostFd(HostFd&& o) noexcept : fd_(o.fd_), owned_(o.owned_) { o.fd_ = -1; }
  HostFd& operator=(HostFd&& o) noexcept {
    if (this != &o) {
      close_if_owned();
      fd_ = o.fd_;
      owned_ = o.owned_;
      o.fd_ = -1;
    }
    return *this;
  }
  HostFd(const HostFd&) = delete;
  HostFd& operator=(const HostFd&) = delete;
  ~HostFd() { close_if_owned(); }
  int get() const { return fd_; }
  // The descriptor, now the caller's to close (a copy of a borrowed one).
  int release();
  bool valid() const { return fd_ >= 0; }

 private:
  void close_if_owned() {
    if (fd_ >= 0 && owned_) ::close(fd_);
  }

  int fd_ = -1;
  bool owned_ = true;
};

// Where a relative guest path starts: a guest directory descriptor, the
// cwd, or (for absolute paths) the guest root.
struct PathBase {
  int mapping = -1;        // -1: a virtual directory (no host object)
  std::string guest_path;  // normalised: "/", "/data/sub"; empty: the mapping's root
  int host_fd = -1;        // the directory (not owned); -1 when virtual

  // The normalised guest path. A base at a mapping's root (a preopen, the
  // common case) leaves guest_path empty and names the mapping's own
  // string, which lives as long as the process: no copy per path call.
  std::string_view guest() const {
    return guest_path.empty() && mapping >= 0 ? std::string_view(dir_mappings()[mapping].guest_path)
                                              : std::string_view(guest_path);
  }
};

// The base for a guest fd's entry (path_* calls): ENOTDIR unless it is a
// directory of a mapping or a virtual directory (FdEntry::virtual_dir).
int base_from_fd(const FdEntry& entry, PathBase* out);

// The names directly inside the virtual directory `guest` (such as "/"):
// the next component of every mapping below it, sorted, each once.
std::vector<std::string> virtual_directory_names(const std::string& guest);

// The guest's current directory (a guest path). Starts at "/" (or where
// WASIXC_CWD says: exec hands the cwd to the new image that way, as
// execve(2) keeps it); fork(2) copies it with the process.
std::string current_directory();
constexpr const char* kCwdVariable = "WASIXC_CWD";

// A base for the cwd; `holder` keeps its descriptor (a copy) alive, so
// another thread's chdir meanwhile cannot pull it away.
void cwd_base(PathBase* out, HostFd* holder);

// chdir(2): `path` resolved from `base` (symlinks followed) must be a
// directory (ENOTDIR) or a virtual directory. Returns 0 or an errno.
int change_directory(const PathBase& base, std::string_view path);

// A path's final component (at most NAME_MAX bytes), held in place so
// that resolving a path allocates nothing.
class ComponentName {
 public:
  ComponentName() { text_[0] = '\0'; }
  ComponentName& operator=(std::string_view name);  // name.size() <= NAME_MAX
  const char* c_str() const { return text_; }
  std::string_view view() const { return {text_, size_}; }
  operator std::string_view() const { return view(); }
  bool operator==(std::string_view other) const { return view() == other; }

 private:
  char text_[NAME_MAX + 1];
  size_t size_ = 0;
};

// The final component of a resolved path.
struct ResolvedPath {
  HostFd parent;           // the directory holding `name` (invalid when virtual)
  ComponentName name;      // the last component; "." when the path names a
                           // directory itself (".", "..", a mapping's root)
  int mapping = -1;        // the mapping `parent` lies in; -1 virtual
  std::string guest_path;  // the full guest path, normalised (may be left empty
                           // with GuestPath::kNotNeeded)
  bool must_be_dir = false;  // a trailing slash (POSIX: the path names a directory)
  bool is_virtual = false;   // a virtual directory (no host object)
  bool mount_point = false;  // the root of a mapping
  // Set with ENOENT: the last component names nothing inside a virtual
  // directory, which is read-only (a change there is EROFS, as in a
  // read-only mapping); guest_path is then the path that was named.
  bool missing_in_virtual = false;
};

// Resolves `path` from `base` up to its final component; with
// `follow_final` a final symlink is expanded as well (stat, open with
// SYMLINK_FOLLOW, a trailing slash always follows). A caller that only
// acts on parent + name says GuestPath::kNotNeeded: the common case then
// builds no guest path string. Returns 0 or an errno.
enum class GuestPath { kNeeded, kNotNeeded };
int resolve_path(const PathBase& base, std::string_view path, bool follow_final, ResolvedPath* out,
                 GuestPath guest_path = GuestPath::kNeeded);

// What open_path opened.
struct OpenedPath {
  HostFd fd;
  int mapping = -1;
  std::string guest_path;  // canonical guest path of what was opened
  bool is_directory = false;
};

// open(2) of a guest path: `flags` are host open flags (O_RDONLY/O_WRONLY/
// O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_APPEND, ...); O_CLOEXEC
// is always added; a final symlink is followed only with `follow` (else
// ELOOP, as O_NOFOLLOW; O_CREAT|O_EXCL never follows, as Linux). `mode` for
// O_CREAT (the umask applies). Read-only mappings and virtual directories:
// EROFS for any write; a virtual directory opened to read: kErrNotCapable.
// Returns 0 or an errno.
int open_path(const PathBase& base, std::string_view path, int flags, mode_t mode, bool follow,
              OpenedPath* out);

// Whether writes into `mapping` are refused (EROFS); false for -1.
inline bool mapping_is_read_only(int mapping) {
  return mapping >= 0 && static_cast<size_t>(mapping) < dir_mappings().size() && dir_mappings()[mapping].read_only;
}

// Whether the directory descriptor `entry` names a place nothing can be
// written in: a virtual directory, or a directory of a read-only mapping
// other than the built-in /dev (whose devices take writes). Its fdstat
// leaves FD_WRITE out, so wasi-libc's access(W_OK) says EACCES.
inline bool directory_is_read_only(const FdEntry& entry) {
  return entry.virtual_dir ||
         (mapping_is_read_only(entry.mapping) && !dir_mappings()[entry.mapping].builtin_devices);
}

// Prints, once per process, a one-line hint on stderr saying how to map a
// directory (called on the first refusal of an unmapped path).
void hint_unmapped_path(std::string_view guest_path);

}  // namespace wasixc::kernel
