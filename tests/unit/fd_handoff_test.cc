// The fd table record handed to an exec'd or spawned image: what goes in
// comes out, close-on-exec entries stay behind, and a damaged or hostile
// record is refused whole.
#include "kernel/fd_handoff.h"

#include <gtest/gtest.h>

namespace wasixc::kernel {
namespace {

FdHandoff sample() {
  std::vector<std::pair<uint32_t, FdEntry>> table;
  FdEntry out;
  out.host_fd = 41;
  FdEntry dir;
  dir.host_fd = 42;
  dir.mapping = 1;
  dir.guest_path = "/data";
  dir.preopen_name = "data";
  dir.rights_base = 0x1234;
  FdEntry hidden;
  hidden.host_fd = 43;
  hidden.cloexec = true;
  table = {{1, out}, {4, dir}, {9, hidden}};
  DirMapping bin, data;
  bin.guest_path = bin.guest_name = "/bin";
  bin.host_path = "/opt/bin";
  data.guest_path = "/data";
  data.guest_name = "data";
  data.host_path = "/srv/data";
  data.read_only = true;
  return fd_handoff_of(table, {bin, data});
}

TEST(FdHandoff, RoundTripsTheInheritedEntries) {
  FdHandoff h = sample();
  ASSERT_EQ(h.fds.size(), 2u);  // the close-on-exec entry stays behind
  std::optional<FdHandoff> back = decode_fd_handoff(encode_fd_handoff(h));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->fds.size(), 2u);
  EXPECT_EQ(back->fds[0].first, 1u);
  EXPECT_EQ(back->fds[0].second.mapping, -1);
  EXPECT_FALSE(back->fds[0].second.preopen_name);
  EXPECT_EQ(back->fds[1].first, 4u);
  EXPECT_EQ(back->fds[1].second.mapping, 1);
  EXPECT_EQ(back->fds[1].second.guest_path, "/data");
  EXPECT_EQ(*back->fds[1].second.preopen_name, "data");
  EXPECT_EQ(back->fds[1].second.rights_base, 0x1234u);
  ASSERT_EQ(back->mappings.size(), 2u);
  EXPECT_EQ(back->mappings[1].host_path, "/srv/data");
  EXPECT_TRUE(back->mappings[1].read_only);
  EXPECT_FALSE(back->mappings[0].read_only);
}

TEST(FdHandoff, RefusesDamagedRecords) {
  std::string good = encode_fd_handoff(sample());
  EXPECT_FALSE(decode_fd_handoff(""));
  EXPECT_FALSE(decode_fd_handoff("WXFDS0" + good.substr(6)));
  for (size_t cut = 0; cut < good.size(); ++cut) EXPECT_FALSE(decode_fd_handoff(good.substr(0, cut))) << cut;
  EXPECT_FALSE(decode_fd_handoff(good + "x"));  // trailing bytes
  // A mapping index past the table, a duplicated fd, a huge count.
  FdHandoff h = sample();
  h.fds[1].second.mapping = 7;
  EXPECT_FALSE(decode_fd_handoff(encode_fd_handoff(h)));
  h = sample();
  h.fds[1].first = 1;
  EXPECT_FALSE(decode_fd_handoff(encode_fd_handoff(h)));
  std::string huge = good;
  huge[6] = huge[7] = huge[8] = huge[9] = '\xff';
  EXPECT_FALSE(decode_fd_handoff(huge));
}

}  // namespace
}  // namespace wasixc::kernel
