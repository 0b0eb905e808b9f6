// The image handoff: how a runtime passes state to a program image it
// starts (exec, spawn), so that nothing the guest controls travels in the
// new image's host environment.
//
// A guest's environment is guest data: LD_PRELOAD, GCONV_PATH,
// GLIBC_TUNABLES or WASIXC_* in the envp of proc_exec/proc_spawn must not
// steer the host loader, glibc or the runtime of the new image. So the
// new image's host envp is built by the runtime alone (the host
// environment this image started with, the sandbox's fd and
// WASIXC_HANDOFF=<fd>), and the guest's environment travels here, in a
// record the new image's runtime reads at start-up.
//
// The record is a set of named byte strings, extensible by key: each part
// of the runtime puts what the new image needs (the guest environment;
// later the guest fd table, directory mappings, cwd) and reads it back on
// the other side. The sandbox identity is not in it: it is an fd the new
// image inherits (sandbox.h). Transport: a memfd inherited across execve(2),
// its number in WASIXC_HANDOFF. The record names the pid it is meant for,
// so a stale WASIXC_HANDOFF inherited by an unrelated later image (through
// a host program started with --allow-host-exec) is not honoured.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasixc::kernel {

constexpr const char* kHandoffEnv = "WASIXC_HANDOFF";

class ImageHandoff {
 public:
  // Keys in use (one place, so parallel additions do not collide).
  static constexpr const char* kGuestEnv = "guest.env";  // NUL-separated "K=V" entries

  void put(const std::string& key, std::string bytes) { entries_[key] = std::move(bytes); }
  std::optional<std::string> get(const std::string& key) const;

  // Helpers for string lists (NUL-separated; entries must hold no NUL).
  void put_list(const std::string& key, const std::vector<std::string>& items);
  std::optional<std::vector<std::string>> get_list(const std::string& key) const;

  // Serialised form: "WXHANDOF", u32 version, u32 for_pid, u32 count, then
  // per entry u32 key length, key, u32 value length, value (little-endian).
  std::string serialize(pid_t for_pid) const;
  // nullopt if `bytes` is not a well-formed record.
  static std::optional<ImageHandoff> parse(const std::string& bytes, pid_t* for_pid);

  // Offset of the for_pid field in the serialised form (spawn patches it
  // in the child, once its pid is known).
  static constexpr size_t kForPidOffset = 12;

 private:
  std::map<std::string, std::string> entries_;
};

// The sending side: the record in a fresh memfd (close-on-exec; the
// process about to execve clears the flag on exactly this fd). Returns the
// fd or -errno.
int handoff_to_memfd(const ImageHandoff& handoff, pid_t for_pid);

// The receiving side, once at start-up: reads and closes the fd named by
// WASIXC_HANDOFF in `envp` if it is a wasixc handoff meant for this pid.
// nullopt: launched by a user (a shell, a test), not by a runtime.
std::optional<ImageHandoff> receive_image_handoff(char** envp);

// The host environment for a new image, built by the runtime only: the
// host environment this image started with (runtime variables removed),
// WASIXC_SANDBOX=<fd> (sandbox.h; `sandbox_fd` if the new image gets the
// sandbox's memfd at another number, else this process's) and
// WASIXC_HANDOFF=<fd>.
std::vector<std::string> host_env_for_new_image(int handoff_fd, int sandbox_fd = -1);

// The host environment this image started with, runtime variables
// removed: the launching user's (through any chain of execs), never a
// guest's. What host programs the runtime runs for itself get.
std::vector<std::string> launching_environment();

// Records the host environment this image started with (entry.cc).
void remember_host_environment(char** envp);

// Whether a host environment entry is one of the runtime's own variables
// (never shown to the guest, never copied from one image to the next).
bool is_runtime_variable(const char* entry);

}  // namespace wasixc::kernel
