#include "guest_memory.h"

#include <gtest/gtest.h>

#include <vector>

namespace wasixc {
namespace {

struct Fixture {
  std::vector<uint8_t> bytes = std::vector<uint8_t>(64, 0);
  wasixc_memory mem{bytes.data(), 0, 0, 64, 0, 0};
  GuestMemory view{&mem};
};

TEST(GuestMemory, LittleEndianLoadsAndStores) {
  Fixture f;
  f.view.store<uint32_t>(4, 0x11223344u);
  EXPECT_EQ(f.bytes[4], 0x44);
  EXPECT_EQ(f.bytes[7], 0x11);
  EXPECT_EQ(f.view.load<uint32_t>(4), 0x11223344u);
  f.view.store<uint64_t>(56, 0x0102030405060708ull);  // the last 8 bytes
  EXPECT_EQ(f.view.load<uint64_t>(56), 0x0102030405060708ull);
  EXPECT_EQ(f.view.load<uint16_t>(57), 0x0607);
}

TEST(GuestMemory, OutOfBoundsThrowsGuestFault) {
  Fixture f;
  EXPECT_THROW(f.view.load<uint32_t>(61), GuestFault);
  EXPECT_THROW(f.view.store<uint8_t>(64, 1), GuestFault);
  EXPECT_THROW(f.view.bytes(60, 5), GuestFault);
  EXPECT_NO_THROW(f.view.bytes(64, 0));
  // addr + len must not wrap around.
  EXPECT_THROW(f.view.check(~uint64_t{0} - 1, 4), GuestFault);
  try {
    f.view.load<uint64_t>(60);
    FAIL() << "no fault";
  } catch (const GuestFault& fault) {
    EXPECT_EQ(fault.address, 60u);
    EXPECT_EQ(fault.length, 8u);
  }
}

TEST(GuestMemory, StringsAndCopies) {
  Fixture f;
  f.view.copy_out(10, "hello", 5);
  EXPECT_EQ(f.view.string(10, 5), "hello");
  char back[5];
  f.view.copy_in(back, 10, 5);
  EXPECT_EQ(std::string(back, 5), "hello");
  EXPECT_THROW(f.view.string(62, 5), GuestFault);
}

TEST(GuestMemory, NoMemoryMeansEveryAccessFaults) {
  GuestMemory none(nullptr);
  EXPECT_EQ(none.size(), 0u);
  EXPECT_THROW(none.load<uint8_t>(0), GuestFault);
}

}  // namespace
}  // namespace wasixc
