#include "zones/compression_table.hpp"

#include <gtest/gtest.h>

namespace dnsd::zones {
namespace {

TEST(CompressionTable, RemembersTheFirstOffsetOfEachSuffix) {
    CompressionTable t;
    const std::string_view svc("\3svc\0", 5);
    EXPECT_FALSE(t.find(svc));
    t.remember(svc, 16);
    t.remember(svc, 40);  // a later copy: pointers keep going to the first
    ASSERT_TRUE(t.find(svc));
    EXPECT_EQ(*t.find(svc), 16);
    EXPECT_EQ(t.size(), 1u);
}

TEST(CompressionTable, IgnoresOffsetsAPointerCannotReach) {
    CompressionTable t;
    t.remember(std::string_view("\1a\0", 3), 0x4000);
    EXPECT_FALSE(t.find(std::string_view("\1a\0", 3)));
    t.remember(std::string_view("\1a\0", 3), 0x3fff);
    EXPECT_EQ(*t.find(std::string_view("\1a\0", 3)), 0x3fff);
}

TEST(CompressionTable, TruncateForgetsLaterEntries) {
    CompressionTable t;
    t.remember(std::string_view("\1a\0", 3), 12);
    const std::size_t mark = t.size();
    t.remember(std::string_view("\1b\0", 3), 20);
    t.remember(std::string_view("\1c\0", 3), 30);
    t.truncate(mark);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_TRUE(t.find(std::string_view("\1a\0", 3)));
    EXPECT_FALSE(t.find(std::string_view("\1b\0", 3)));
    EXPECT_FALSE(t.find(std::string_view("\1c\0", 3)));
    // Forgotten entries can be learnt again at their new place.
    t.remember(std::string_view("\1b\0", 3), 25);
    EXPECT_EQ(*t.find(std::string_view("\1b\0", 3)), 25);
}

TEST(CompressionTable, FrozenTableFindsButRemembersNothing) {
    CompressionTable t;
    t.remember(std::string_view("\1a\0", 3), 12);
    t.freeze(true);
    t.remember(std::string_view("\1b\0", 3), 20);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(*t.find(std::string_view("\1a\0", 3)), 12);
    EXPECT_FALSE(t.find(std::string_view("\1b\0", 3)));
    t.freeze(false);
    t.remember(std::string_view("\1b\0", 3), 30);
    EXPECT_EQ(*t.find(std::string_view("\1b\0", 3)), 30);
}

}  // namespace
}  // namespace dnsd::zones
