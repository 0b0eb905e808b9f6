#include "fd_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace wasixc {
namespace {

TEST(FdTable, InstallGetClose) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  FdTable table;
  table.install(5, FdEntry{fds[0], std::nullopt});
  table.install(3, FdEntry{fds[1], std::string("/dir")});
  EXPECT_EQ(table.get(4), nullptr);
  ASSERT_NE(table.get(5), nullptr);
  EXPECT_EQ(table.get(5)->host_fd, fds[0]);
  EXPECT_EQ(*table.get(3)->preopen_name, "/dir");
  EXPECT_EQ(table.close(5), Errno::SUCCESS);
  EXPECT_EQ(table.get(5), nullptr);
  EXPECT_EQ(table.close(5), Errno::BADF);
  EXPECT_EQ(table.close(99), Errno::BADF);
  // The host descriptor really was closed.
  EXPECT_EQ(close(fds[0]), -1);
  EXPECT_EQ(table.close(3), Errno::SUCCESS);
}

}  // namespace
}  // namespace wasixc
