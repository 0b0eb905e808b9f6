// Sockets, epoll and the network policy end to end (tests/e2e/guests/
// net.c): each mode runs natively and under wasixc (compiled with
// --net=loopback) and both must print the same. Loopback only; every run
// is bounded (the guest's own waits are, and run() kills after 60 s).
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include <gtest/gtest.h>

#include "harness.h"

namespace e2e {
namespace {

std::string scratch(const std::string& name) {
  std::string dir = work_dir() + "/net-" + name + "-" + std::to_string(getpid());
  std::string cmd = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  EXPECT_EQ(system(cmd.c_str()), 0);
  return dir;
}

std::string net_exe(const std::string& net = "--net=loopback") { return compile(guest_wasm("net"), {net}); }

// Runs `net MODE...` natively and under wasixc; both must succeed and agree.
void expect_same(const std::vector<std::string>& args, const std::string& must_contain) {
  std::string exe = net_exe();
  ASSERT_FALSE(exe.empty());
  RunOptions opts;
  opts.argv0 = "net";
  RunResult native = run(guest_native("net"), args, opts);
  RunResult wasm = run(exe, args, opts);
  EXPECT_EQ(native.exit_code, 0) << native.out << native.err;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.out << wasm.err;
  EXPECT_FALSE(wasm.timed_out);
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_NE(wasm.out.find(must_contain), std::string::npos) << wasm.out;
}

TEST(Net, TcpEchoAcrossForkAsNatively) { expect_same({"echo-fork"}, "client: 262144 bytes echoed intact\n"); }

TEST(Net, UdpRoundTripAsNatively) { expect_same({"udp"}, "udp: connected send ok\n"); }

TEST(Net, SocketpairAcrossForkAsNatively) { expect_same({"pair-fork"}, "pair: HELLO OVER A PAIR\n"); }

TEST(Net, NonBlockingConnectAndEpollAsNatively) {
  expect_same({"nonblock-epoll"}, "connect: EINPROGRESS\nadd twice: -1 EEXIST\nepoll: out=1 data ok=1\n");
}

TEST(Net, ThousandConcurrentConnectionsToAnEpollServer) {
  expect_same({"many", "1000"}, "many: accepted 1000, closed 1000, all open at once 1, client exit 0\n");
}

TEST(Net, HalfClosedConnectionAsNatively) { expect_same({"half-close"}, "client: got 'answer' then EOF\n"); }

TEST(Net, PeerResetGivesEconnresetThenEpipeAsNatively) {
  expect_same({"reset", "ignore"}, "recv after reset: -1 ECONNRESET\nsend after reset: -1 EPIPE\n");
}

TEST(Net, PeerResetRaisesSigpipeAsNatively) {
  std::string exe = net_exe();
  ASSERT_FALSE(exe.empty());
  RunResult native = run(guest_native("net"), {"reset"});
  RunResult wasm = run(exe, {"reset"});
  ASSERT_TRUE(native.signaled);
  EXPECT_EQ(native.term_signal, SIGPIPE);
  EXPECT_TRUE(wasm.signaled) << wasm.exit_code << wasm.out << wasm.err;
  EXPECT_EQ(wasm.term_signal, SIGPIPE);
  EXPECT_EQ(wasm.out, native.out);
}

TEST(Net, EpollWaitInterruptedBySignalAsNatively) {
  expect_same({"epoll-eintr"}, "epoll_wait: -1 EINTR, handler ran: 1, ended early: 1\n");
}

// Runs `net MODE PATH` natively with PATH in a scratch directory, and under
// wasixc (`net_flag`) with another scratch directory mapped at /data; both
// must succeed and agree. `leaf` is PATH inside the directory ("" for the
// directory itself).
void expect_same_in_a_directory(const std::string& mode, const std::string& leaf, const std::string& net_flag,
                                const std::string& must_contain) {
  std::string native_dir = scratch(mode + "-native");
  std::string wasm_dir = scratch(mode + "-wasm");
  std::string exe = net_exe(net_flag);
  ASSERT_FALSE(exe.empty());
  RunResult native = run(guest_native("net"), {mode, native_dir + leaf});
  RunOptions opts;
  opts.env_add = {"WASIXC_DIRS=" + wasm_dir + "::/data"};
  RunResult wasm = run(exe, {mode, "/data" + leaf}, opts);
  EXPECT_EQ(native.exit_code, 0) << native.out;
  EXPECT_EQ(wasm.exit_code, 0) << wasm.out << wasm.err;
  EXPECT_EQ(wasm.out, native.out);
  EXPECT_NE(wasm.out.find(must_contain), std::string::npos) << wasm.out;
}

TEST(Net, PollOverSocketPipeFileAndClockAsNatively) {
  expect_same_in_a_directory("poll-mixed", "/f", "--net=loopback", "poll 3: n=2 sock=1 pipe=1\n");
}

TEST(Net, UnixSocketsLiveInsideMappingsAsNatively) {
  // Unix sockets need no network.
  expect_same_in_a_directory("unix", "", "--net=off", "unix client: over unix\n");
}

TEST(Net, SendfileIntoASocketAsNatively) {
  expect_same_in_a_directory("sendfile", "/f", "--net=off", "sendfile past the end: 10\n");
}

TEST(NetPolicy, ResolveObeysThePolicy) {
  std::string exe = compile(guest_wasm("net"));
  ASSERT_FALSE(exe.empty());
  RunResult off = run(exe, {"resolve"});
  EXPECT_EQ(off.exit_code, 0) << off.err;
  // Numeric names need no resolver; a name would ask DNS: refused.
  EXPECT_EQ(off.out, "resolve 127.0.0.1: ok 127.0.0.1\nresolve ::1: ok ::1\nresolve localhost: EACCES\n");
  RunOptions opts;
  opts.env_add = {"WASIXC_NET=loopback"};
  RunResult loop = run(exe, {"resolve"}, opts);
  EXPECT_EQ(loop.exit_code, 0) << loop.err;
  EXPECT_NE(loop.out.find("resolve localhost: ok 127.0.0.1"), std::string::npos) << loop.out;
}

// Two executables: a server that prints its port, a client given it.
TEST(Net, TcpServerAndClientAsSeparateExecutables) {
  std::string exe = net_exe();
  ASSERT_FALSE(exe.empty());
  for (const std::string& server : {exe, guest_native("net")}) {
    SCOPED_TRACE(server);
    std::string cmd = "timeout 60 '" + server + "' server";
    FILE* srv = popen(cmd.c_str(), "r");
    ASSERT_NE(srv, nullptr);
    char line[64] = {};
    ASSERT_NE(fgets(line, sizeof line, srv), nullptr);
    int port = atoi(line);
    ASSERT_GT(port, 0);
    RunResult client = run(exe, {"client", std::to_string(port)});
    EXPECT_EQ(client.exit_code, 0) << client.out << client.err;
    EXPECT_NE(client.out.find("client: 262144 bytes echoed intact\n"), std::string::npos) << client.out;
    std::string rest;
    while (fgets(line, sizeof line, srv)) rest += line;
    EXPECT_EQ(pclose(srv), 0);
    EXPECT_EQ(rest, "server: echoed 262179 bytes\n");
  }
}

TEST(NetPolicy, OffByDefaultWithAHintOnce) {
  std::string exe = compile(guest_wasm("net"));
  ASSERT_FALSE(exe.empty());
  RunResult r = run(exe, {"policy"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "inet socket: EACCES\n"
            "inet6 socket: EACCES\n"
            "socketpair: ok\n"
            "unix socket: ok\n");
  // One line, naming the option, the first time only.
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("--net"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("WASIXC_NET"), std::string::npos) << r.err;
}

TEST(NetPolicy, LoopbackOnlyAtRunTime) {
  std::string exe = compile(guest_wasm("net"));
  ASSERT_FALSE(exe.empty());
  RunOptions opts;
  opts.env_add = {"WASIXC_NET=loopback"};
  RunResult r = run(exe, {"policy"}, opts);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "inet socket: ok\n"
            "inet6 socket: ok\n"
            "bind 0.0.0.0: EACCES\n"
            "connect 192.0.2.1: EACCES\n"
            "sendto 192.0.2.1: EACCES\n"
            "sendto 127.0.0.1: ok\n"
            "udp bound to loopback: 1\n"
            "listen without bind: on loopback: 1\n"
            "socketpair: ok\n"
            "unix socket: ok\n");
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  // The guest cannot see the switch.
  RunResult env = run(compile(guest_wasm("print_env")), {}, opts);
  EXPECT_EQ(env.out.find("WASIXC_NET"), std::string::npos);
}

TEST(NetPolicy, RunTimeSwitchCanTurnABakedNetOff) {
  std::string exe = net_exe("--net");
  ASSERT_FALSE(exe.empty());
  RunOptions opts;
  opts.env_add = {"WASIXC_NET=off"};
  RunResult r = run(exe, {"policy"}, opts);
  EXPECT_NE(r.out.find("inet socket: EACCES\n"), std::string::npos) << r.out;
  opts.env_add = {"WASIXC_NET=bogus"};
  RunResult bad = run(exe, {"policy"}, opts);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("WASIXC_NET"), std::string::npos) << bad.err;
}

TEST(NetPolicy, BadNetOptionIsAnError) {
  RunResult r = run_wasixc({guest_wasm("net"), "-o", work_dir() + "/net-bad", "--net=everything"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--net"), std::string::npos) << r.err;
}

// Escapes: a Unix name is a guest path; a symlink in a mapping that points
// at a host socket outside it, `..` above the root, and abstract names
// never reach the host's sockets.
TEST(NetSandbox, UnixNamesNeverLeaveTheMappings) {
  std::string dir = scratch("unix-escape");
  std::string outside = scratch("unix-outside");
  std::string host_sock = outside + "/host.sock";
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_un a = {};
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof a.sun_path, "%s", host_sock.c_str());
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(listener, 4), 0);
  ASSERT_EQ(symlink(host_sock.c_str(), (dir + "/link").c_str()), 0);
  std::string exe = net_exe();
  ASSERT_FALSE(exe.empty());
  RunOptions opts;
  opts.env_add = {"WASIXC_DIRS=" + dir + "::/data"};
  RunResult r = run(exe, {"unix-escape", "/data", "link"}, opts);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The link's absolute target is a guest path: nothing there.
  EXPECT_EQ(r.out,
            "connect via link: -1 ENOENT\n"
            "bind via ..: -1 ENOENT\n"
            "bind abstract: -1 ENOTCAPABLE\n"
            "connect abstract: -1 ENOTCAPABLE\n");
  // Nothing connected to the host socket, nothing was created outside.
  fcntl(listener, F_SETFL, O_NONBLOCK);
  EXPECT_LT(accept(listener, nullptr, nullptr), 0);
  struct stat st;
  EXPECT_NE(stat("/tmp/x.sock", &st), 0);
  close(listener);
}

}  // namespace
}  // namespace e2e
