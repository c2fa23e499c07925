#include "zones/dns_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dnsd::zones {
namespace {

TEST(DnsName, FromTextLowerCasesAndAcceptsTheFinalDot) {
    const auto a = DnsName::from_text("Api.SVC");
    const auto b = DnsName::from_text("api.svc.");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(a->wire(), std::string_view("\3api\3svc\0", 9));
    EXPECT_EQ(a->size(), 9u);
    EXPECT_EQ(a->label_count(), 2u);
    EXPECT_EQ(a->to_text(), "api.svc.");
}

TEST(DnsName, Root) {
    const auto root = DnsName::from_text(".");
    ASSERT_TRUE(root);
    EXPECT_EQ(*root, DnsName());
    EXPECT_EQ(root->size(), 1u);
    EXPECT_EQ(root->label_count(), 0u);
    EXPECT_EQ(root->to_text(), ".");
}

TEST(DnsName, RejectsEmptyAndOversizedLabelsAndNames) {
    EXPECT_FALSE(DnsName::from_text(""));
    EXPECT_FALSE(DnsName::from_text("a..b"));
    EXPECT_FALSE(DnsName::from_text(".a"));
    EXPECT_FALSE(DnsName::from_text(std::string(64, 'x') + ".svc"));
    EXPECT_TRUE(DnsName::from_text(std::string(63, 'x') + ".svc"));
    const std::string l62(62, 'x');
    const std::string four = l62 + "." + l62 + "." + l62 + "." + l62;
    EXPECT_TRUE(DnsName::from_text(four + ".a"));    // 255 bytes
    EXPECT_FALSE(DnsName::from_text(four + ".ab"));  // 256 bytes
}

TEST(DnsName, PrependAddsOneLowerCaseLabel) {
    const DnsName svc = *DnsName::from_text("svc");
    const auto api = svc.prepend("API");
    ASSERT_TRUE(api);
    EXPECT_EQ(api->to_text(), "api.svc.");
    EXPECT_FALSE(svc.prepend(""));
    EXPECT_FALSE(svc.prepend(std::string(64, 'a')));
    const std::string l62(62, 'x');
    const DnsName long_name = *DnsName::from_text(l62 + "." + l62 + "." + l62 + "." + l62);
    EXPECT_TRUE(long_name.prepend("a"));
    EXPECT_FALSE(long_name.prepend("ab"));
}

TEST(DnsName, EndsWithMatchesWholeLabelsOnly) {
    const DnsName name = *DnsName::from_text("a.api.svc");
    EXPECT_TRUE(name.ends_with(*DnsName::from_text("svc")));
    EXPECT_TRUE(name.ends_with(*DnsName::from_text("api.svc")));
    EXPECT_TRUE(name.ends_with(name));
    EXPECT_TRUE(name.ends_with(DnsName()));
    EXPECT_FALSE(name.ends_with(*DnsName::from_text("pi.svc")));
    EXPECT_FALSE(name.ends_with(*DnsName::from_text("b.a.api.svc")));
}

}  // namespace
}  // namespace dnsd::zones
