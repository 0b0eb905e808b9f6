#include "devices.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "dir_mappings.h"

namespace wasixc::kernel {

namespace {

// The allow-list: the devices a portable program may expect (POSIX names
// /dev/null; Linux's mem devices null, zero, full, random, urandom).
constexpr std::string_view kDevices[] = {"null", "zero", "full", "random", "urandom"};

constexpr const char* kHostDevices = "/dev";  // never a path the guest chooses

bool covers_dev(const std::string& guest) {
  return guest == "/" || guest == "/dev" || guest.compare(0, 5, "/dev/") == 0;
}

}  // namespace

bool is_builtin_device_name(std::string_view name) {
  for (std::string_view d : kDevices)
    if (d == name) return true;
  return false;
}

bool only_builtin_mappings() {
  for (const DirMapping& m : dir_mappings())
    if (!m.builtin_devices) return false;
  return true;
}

void add_builtin_devices() {
  for (const DirMapping& m : dir_mappings())
    if (m.builtin_devices || covers_dev(m.guest_path)) return;  // the user's /dev replaces ours
  int fd = open(kHostDevices, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // no host /dev: the guest has none either
  DirMapping devices;
  devices.guest_path = "/dev";
  devices.guest_name = "/dev";
  devices.host_path = kHostDevices;
  devices.root_fd = fd;
  devices.read_only = true;
  devices.builtin_devices = true;
  dir_mappings().push_back(std::move(devices));
}

int open_device(int dir, std::string_view name, int flags) {
  if (!is_builtin_device_name(name)) return -ENOENT;
  if ((flags & O_CREAT) && (flags & O_EXCL)) return -EEXIST;  // open(2): the file exists
  if (flags & O_DIRECTORY) return -ENOTDIR;
  // O_TRUNC on a character device is ignored by Linux (open(2)); O_CREAT
  // of an existing file creates nothing: both are dropped so that the host
  // call can never create or truncate anything.
  int fixed = (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK)) | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC;
  std::string host_name(name);
  int fd = openat(dir, host_name.c_str(), fixed);
  if (fd < 0) return -errno;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode)) {  // not the device we mean: hide it
    close(fd);
    return -ENOENT;
  }
  return fd;
}

}  // namespace wasixc::kernel
