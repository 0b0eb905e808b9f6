#include "kernel/fd_table.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>

namespace wasixc::kernel {
namespace {

FdEntry entry_for(int host_fd) {
  FdEntry e;
  e.host_fd = host_fd;
  return e;
}

TEST(FdTable, InstallGetClose) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  FdTable table;
  table.install(5, entry_for(fds[0]));
  FdEntry dir = entry_for(fds[1]);
  dir.preopen_name = "/dir";
  table.install(3, dir);
  EXPECT_FALSE(table.get(4));
  ASSERT_TRUE(table.get(5));
  EXPECT_EQ(table.get(5)->host_fd, fds[0]);
  EXPECT_EQ(*table.get(3)->preopen_name, "/dir");
  EXPECT_EQ(table.close(5), 0);
  EXPECT_FALSE(table.get(5));
  EXPECT_EQ(table.close(5), EBADF);
  EXPECT_EQ(table.close(99), EBADF);
  // The host descriptor really was closed.
  EXPECT_EQ(close(fds[0]), -1);
  EXPECT_EQ(table.close(3), 0);
}

// POSIX: open/dup take the lowest free number; F_DUPFD the lowest >= min.
TEST(FdTable, InsertTakesTheLowestFreeNumber) {
  FdTable table;
  EXPECT_EQ(table.insert(entry_for(dup(0))), 0);
  EXPECT_EQ(table.insert(entry_for(dup(0))), 1);
  EXPECT_EQ(table.insert(entry_for(dup(0))), 2);
  EXPECT_EQ(table.close(1), 0);
  EXPECT_EQ(table.insert(entry_for(dup(0))), 1);
  EXPECT_EQ(table.insert(entry_for(dup(0)), 10), 10);
  EXPECT_EQ(table.insert(entry_for(dup(0)), 10), 11);
  EXPECT_EQ(table.insert(entry_for(dup(0))), 3);
  EXPECT_EQ(table.insert(entry_for(dup(0)), FdTable::limit()), -EINVAL);
  for (auto& [fd, e] : table.snapshot()) table.close(fd);
}

// dup2 onto an open number replaces it and closes the old host fd.
TEST(FdTable, InstallOverAnOpenNumberClosesTheOldOne) {
  FdTable table;
  int a = dup(0), b = dup(0);
  table.install(4, entry_for(a));
  EXPECT_EQ(table.install(4, entry_for(b)), 0);
  EXPECT_EQ(table.get(4)->host_fd, b);
  EXPECT_EQ(fcntl(a, F_GETFD), -1);
  EXPECT_EQ(table.install(FdTable::limit(), entry_for(dup(0))), EBADF);
  table.close(4);
}

// dup / F_DUPFD: a new host descriptor on the same open file description,
// the lowest number >= min, the guest's cloexec as asked; dup2: `to`
// replaced, cloexec cleared, from == to changes nothing.
TEST(FdTable, DuplicateSharesTheOpenFileAndPicksNumbers) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  FdTable table;
  FdEntry read_end = entry_for(fds[0]);
  read_end.cloexec = true;
  read_end.preopen_name = "/x";
  table.install(0, read_end);
  table.install(1, entry_for(fds[1]));
  EXPECT_EQ(table.duplicate(0, 0, false), 2);
  EXPECT_FALSE(table.get(2)->cloexec);
  EXPECT_FALSE(table.get(2)->preopen_name);
  EXPECT_NE(table.get(2)->host_fd, fds[0]);
  EXPECT_EQ(table.duplicate(1, 7, true), 7);
  EXPECT_TRUE(table.get(7)->cloexec);
  EXPECT_EQ(table.duplicate(9, 0, false), -EBADF);
  EXPECT_EQ(table.duplicate(0, FdTable::limit(), false), -EINVAL);
  // Written through the copy at 7, read through the copy at 2.
  ASSERT_EQ(write(table.get(7)->host_fd, "z", 1), 1);
  char c = 0;
  ASSERT_EQ(read(table.get(2)->host_fd, &c, 1), 1);
  EXPECT_EQ(c, 'z');

  EXPECT_EQ(table.duplicate_onto(7, 2), 0);  // 2 (the read end copy) closed silently
  EXPECT_FALSE(table.get(2)->cloexec);
  EXPECT_EQ(table.duplicate_onto(0, 0), 0);
  EXPECT_TRUE(table.get(0)->cloexec);  // from == to: untouched
  EXPECT_EQ(table.duplicate_onto(5, 5), EBADF);
  EXPECT_EQ(table.duplicate_onto(5, 6), EBADF);
  EXPECT_FALSE(table.get(6));
  EXPECT_EQ(table.duplicate_onto(0, FdTable::limit()), EBADF);
  for (auto& [fd, e] : table.snapshot()) table.close(fd);
}

}  // namespace
}  // namespace wasixc::kernel
