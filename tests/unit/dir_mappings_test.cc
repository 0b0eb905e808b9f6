// The mapping syntax shared by `wasixc --dir` and WASIXC_DIRS, and guest
// path normalisation (kernel/dir_mappings.h).
#include "kernel/dir_mappings.h"

#include <gtest/gtest.h>

namespace wasixc::kernel {
namespace {

TEST(DirMappings, SpecSyntax) {
  MappingSpec s;
  ASSERT_TRUE(parse_mapping_spec("/srv/data::/data", &s));
  EXPECT_EQ(s.host, "/srv/data");
  EXPECT_EQ(s.guest, "/data");
  EXPECT_FALSE(s.read_only);
  ASSERT_TRUE(parse_mapping_spec("/etc/app::/config:ro", &s));
  EXPECT_EQ(s.guest, "/config");
  EXPECT_TRUE(s.read_only);
  ASSERT_TRUE(parse_mapping_spec("/tmp", &s));  // GUEST defaults to HOST
  EXPECT_EQ(s.guest, "/tmp");
  ASSERT_TRUE(parse_mapping_spec("/tmp:ro", &s));
  EXPECT_EQ(s.host, "/tmp");
  EXPECT_EQ(s.guest, "/tmp");
  EXPECT_TRUE(s.read_only);
  EXPECT_FALSE(parse_mapping_spec("", &s));
  EXPECT_FALSE(parse_mapping_spec("::/x", &s));
  EXPECT_FALSE(parse_mapping_spec("/x::", &s));
}

TEST(DirMappings, ListSyntax) {
  std::vector<MappingSpec> specs;
  std::string error;
  ASSERT_TRUE(parse_mapping_list("/a::/,/b::/b:ro,,", &specs, &error));
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].guest, "/");
  EXPECT_TRUE(specs[1].read_only);
  specs.clear();
  EXPECT_TRUE(parse_mapping_list("", &specs, &error));  // no mapping at all
  EXPECT_TRUE(specs.empty());
  EXPECT_FALSE(parse_mapping_list("/a::/,::/b", &specs, &error));
  EXPECT_EQ(error, "bad mapping '::/b' (want HOST[::GUEST][:ro])");
}

TEST(DirMappings, GuestPathsAreNormalised) {
  EXPECT_EQ(normalise_guest_path("."), "/");
  EXPECT_EQ(normalise_guest_path("data/"), "/data");
  EXPECT_EQ(normalise_guest_path("/a/./b//c/.."), "/a/b");
  EXPECT_EQ(normalise_guest_path("/../.."), "/");
}

}  // namespace
}  // namespace wasixc::kernel
