#include "wasi_errno.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace wasixc {
namespace {

TEST(WasiErrno, LinuxValuesMapToWasiNumbers) {
  EXPECT_EQ(errno_from_host(0), Errno::SUCCESS);
  EXPECT_EQ(static_cast<int>(errno_from_host(EBADF)), 8);
  EXPECT_EQ(static_cast<int>(errno_from_host(ESPIPE)), 70);
  EXPECT_EQ(static_cast<int>(errno_from_host(EAGAIN)), 6);
  EXPECT_EQ(static_cast<int>(errno_from_host(EWOULDBLOCK)), 6);
  EXPECT_EQ(static_cast<int>(errno_from_host(ENOTSUP)), 58);
  EXPECT_EQ(static_cast<int>(errno_from_host(ESHUTDOWN)), 77);
  EXPECT_EQ(errno_from_host(EHWPOISON), Errno::UNKNOWN);
  // Outside the table's range: no host errno, never an out-of-bounds read.
  EXPECT_EQ(errno_from_host(-1), Errno::UNKNOWN);
  EXPECT_EQ(errno_from_host(256), Errno::UNKNOWN);
  EXPECT_EQ(errno_from_host(100000), Errno::UNKNOWN);
}

TEST(WasiErrno, Names) {
  EXPECT_STREQ(errno_name(Errno::FAULT), "FAULT");
  EXPECT_STREQ(errno_name(Errno::NOTCAPABLE), "NOTCAPABLE");
}

}  // namespace
}  // namespace wasixc
