#include "vfork_env.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "exec.h"
#include "process.h"

namespace wasixc::kernel {
namespace {

// The state of the thread running as the child (wasix-libc keeps its
// vfork jump buffers per thread; so does this).
thread_local pid_t t_child = 0;
thread_local int t_channel = -1;  // our end; the child holds the other

// Descriptors per message (Linux's SCM_MAX_FD is 253).
constexpr size_t kFdsPerMessage = 250;

enum Command : char { kExit = 'X', kExec = 'E', kMoreFds = 'F', kExecFailed = 'R' };

struct Message {
  char command = 0;
  uint32_t value = 0;  // exit code, descriptor count, errno
};

bool send_message(int sock, Message m, const int* fds, size_t n) {
  iovec iov{&m, sizeof m};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kFdsPerMessage)];
  if (n) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
  }
  ssize_t r;
  while ((r = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
  }
  return r == sizeof m;
}

// One message; received descriptors are appended to `fds` (close-on-exec).
// false at EOF or on error.
bool receive_message(int sock, Message* m, std::vector<int>* fds) {
  iovec iov{m, sizeof *m};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kFdsPerMessage)];
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t r;
  while ((r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  for (cmsghdr* c = r > 0 ? CMSG_FIRSTHDR(&msg) : nullptr; c; c = CMSG_NXTHDR(&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < n; ++i) {
        int fd;
        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
        fds->push_back(fd);
      }
    }
  return r == sizeof *m;
}

void put_string(std::string* out, const std::string& s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  out->append(reinterpret_cast<const char*>(&n), sizeof n);
  out->append(s);
}

bool get_string(const std::string& in, size_t* at, std::string* s) {
  uint32_t n;
  if (in.size() - *at < sizeof n) return false;
  memcpy(&n, in.data() + *at, sizeof n);
  *at += sizeof n;
  if (in.size() - *at < n) return false;
  *s = in.substr(*at, n);
  *at += n;
  return true;
}

// What the exec needs besides descriptors, in a memfd (argument and
// environment lists can exceed a socket message).
struct ExecRequest {
  std::vector<std::string> argv;
  std::string handoff, fd_record, cwd;

  std::string encode() const {
    std::string out;
    put_string(&out, std::to_string(argv.size()));
    for (const std::string& a : argv) put_string(&out, a);
    put_string(&out, handoff);
    put_string(&out, fd_record);
    put_string(&out, cwd);
    return out;
  }
  bool decode(const std::string& in) {
    size_t at = 0;
    std::string count;
    if (!get_string(in, &at, &count) || count.empty() || count.size() > 9) return false;
    if (count.find_first_not_of("0123456789") != std::string::npos) return false;
    size_t n = strtoul(count.c_str(), nullptr, 10);
    argv.resize(n);
    for (std::string& a : argv)
      if (!get_string(in, &at, &a)) return false;
    return get_string(in, &at, &handoff) && get_string(in, &at, &fd_record) && get_string(in, &at, &cwd);
  }
};

std::string read_all(int fd) {
  std::string out;
  char buf[1 << 16];
  ssize_t n;
  off_t at = 0;
  while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    at += n;
  }
  return out;
}

// The stand-in child: runs no guest code; waits for exec or exit. Signals
// sent to it take Linux's default actions (it has no guest to run a
// handler), except those the process ignores.
[[noreturn]] void stand_in(int channel) {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction old;
    if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, nullptr, &old) == 0 && old.sa_handler != SIG_IGN)
      signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (;;) {
    Message m;
    std::vector<int> fds;
    if (!receive_message(channel, &m, &fds)) _exit(127);  // the parent is gone
    if (m.command == kExit) _exit(static_cast<int>(m.value & 0xff));
    if (m.command != kExec) _exit(127);
    size_t total = m.value;
    while (fds.size() < total) {
      Message more;
      if (!receive_message(channel, &more, &fds) || more.command != kMoreFds) _exit(127);
    }
    int error = EINVAL;
    ExecRequest request;
    // fds: the request's memfd, the program, then one per fd-table entry.
    if (fds.size() >= 2 && request.decode(read_all(fds[0]))) {
      pid_t for_pid = 0;
      std::optional<ImageHandoff> handoff = ImageHandoff::parse(request.handoff, &for_pid);
      std::optional<FdHandoff> table = decode_fd_handoff(request.fd_record);
      if (handoff && table && table->fds.size() == fds.size() - 2) {
        for (size_t i = 0; i < table->fds.size(); ++i) table->fds[i].second.host_fd = fds[i + 2];
        error = exec_image(fds[1], request.argv, *handoff, *table, request.cwd);
      }
    }
    for (int fd : fds) close(fd);
    send_message(channel, Message{kExecFailed, static_cast<uint32_t>(error)}, nullptr, 0);
  }
}

// Waits for the child's answer: EOF (it exec'd, or ended) or an exec error.
int await_child() {
  Message m;
  std::vector<int> fds;
  bool got = receive_message(t_channel, &m, &fds);
  for (int fd : fds) close(fd);
  if (got && m.command == kExecFailed) return m.value ? static_cast<int>(m.value) : EIO;
  return 0;
}

void end_state() {
  close(t_channel);
  t_channel = -1;
  t_child = 0;
}

}  // namespace

pid_t fork_env_begin() {
  if (t_child) return -ENOTSUP;  // wasix-abi.md §3.3: no nesting
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) != 0) return -errno;
  pid_t pid = fork_process();
  if (pid == 0) {
    close(ends[0]);
    stand_in(ends[1]);
  }
  close(ends[1]);
  if (pid < 0) {
    close(ends[0]);
    return pid;
  }
  t_child = pid;
  t_channel = ends[0];
  return pid;
}

pid_t fork_env_child() { return t_child; }

int fork_env_exec(int program_fd, const std::vector<std::string>& argv, const ImageHandoff& handoff,
                  const FdHandoff& fds, const std::string& cwd) {
  if (!t_child) return EINVAL;
  ExecRequest request;
  request.argv = argv;
  request.handoff = handoff.serialize(t_child);
  request.fd_record = encode_fd_handoff(fds);
  request.cwd = cwd;
  std::string bytes = request.encode();
  int memfd = memfd_create("wasixc-vfork-exec", MFD_CLOEXEC);
  if (memfd < 0) return errno;
  if (write(memfd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    int e = errno ? errno : EIO;
    close(memfd);
    return e;
  }
  std::vector<int> all = {memfd, program_fd};
  for (const auto& [guest_fd, entry] : fds.fds) all.push_back(entry.host_fd);
  bool sent = true;
  for (size_t at = 0; sent && at < all.size(); at += kFdsPerMessage) {
    size_t n = std::min(kFdsPerMessage, all.size() - at);
    Message m = at == 0 ? Message{kExec, static_cast<uint32_t>(all.size())} : Message{kMoreFds, 0};
    sent = send_message(t_channel, m, all.data() + at, n);
  }
  close(memfd);
  if (!sent) {
    // The child is gone (killed): there is nothing left to exec in.
    end_state();
    return 0;
  }
  int error = await_child();
  if (error == 0) end_state();
  return error;
}

void fork_env_exit(uint32_t code) {
  if (!t_child) return;
  if (send_message(t_channel, Message{kExit, code}, nullptr, 0)) await_child();
  end_state();
}

}  // namespace wasixc::kernel
