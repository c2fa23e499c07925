#include "registry/ip_address.hpp"

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

TEST(IpAddress, ParsesIpv4IntoARdata) {
    auto a = IpAddress::parse("10.0.0.3");
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->is_v6());
    ASSERT_EQ(a->size(), 4u);
    EXPECT_EQ(a->data()[0], 10);
    EXPECT_EQ(a->data()[3], 3);
    EXPECT_EQ(a->to_string(), "10.0.0.3");
    EXPECT_EQ(a->to_label(), "10-0-0-3");
}

TEST(IpAddress, ParsesIpv6IntoAaaaRdata) {
    auto a = IpAddress::parse("fd00::1");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->is_v6());
    ASSERT_EQ(a->size(), 16u);
    EXPECT_EQ(a->data()[0], 0xfd);
    EXPECT_EQ(a->data()[15], 1);
    EXPECT_EQ(a->to_string(), "fd00::1");
    EXPECT_EQ(a->to_label(), "fd00--1");
}

TEST(IpAddress, RejectsWhatIsNotALiteral) {
    for (const char* bad : {"", "10.0.0", "10.0.0.256", "host.example", "10.0.0.3 ", "::g",
                            "1.2.3.4.5", "[::1]"})
        EXPECT_FALSE(IpAddress::parse(bad)) << bad;
}

}  // namespace
}  // namespace dnsd::registry
