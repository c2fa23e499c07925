#include "dnsd/dnsctl_instance_diff.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace dnsd::ctl {
namespace {

InstanceSet parsed_set(const char* json) { return instance_set(boost::json::parse(json)); }

TEST(DnsctlInstanceDiff, AddedAndRemoved) {
    const auto before = parsed_set(R"({"instances":[{"id":"a","address":"10.0.0.3","port":1,"weight":100}]})");
    const auto after = parsed_set(R"({"instances":[{"id":"b","address":"10.0.0.4","port":2,"weight":100}]})");
    const auto changes = diff_instances(before, after);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].kind, InstanceChange::Kind::removed);
    EXPECT_EQ(changes[0].id, "a");
    EXPECT_EQ(changes[1].kind, InstanceChange::Kind::added);
    EXPECT_EQ(changes[1].detail, "10.0.0.4:2 weight=100");
}

TEST(DnsctlInstanceDiff, ExpiresInIsNotAChange) {
    const auto before = parsed_set(R"({"instances":[{"id":"a","port":1,"expires_in":10}]})");
    const auto after = parsed_set(R"({"instances":[{"id":"a","port":1,"expires_in":3}]})");
    EXPECT_TRUE(diff_instances(before, after).empty());
}

TEST(DnsctlInstanceDiff, ChangedFieldsAreNamed) {
    const auto before = parsed_set(R"({"instances":[{"id":"a","port":1,"weight":100,"health":"passing"}]})");
    const auto after = parsed_set(R"({"instances":[{"id":"a","port":1,"weight":50,"health":"critical"}]})");
    const auto changes = diff_instances(before, after);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, InstanceChange::Kind::changed);
    EXPECT_EQ(changes[0].detail, "health passing -> critical, weight 100 -> 50");
}

TEST(DnsctlInstanceDiff, LinesCarryAnIsoTimestamp) {
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1770088942));
    EXPECT_EQ(iso8601_utc(when), "2026-02-03T03:22:22Z");
    const InstanceChange change{InstanceChange::Kind::added, "api-1", "[fd00::1]:8861"};
    EXPECT_EQ(change_line(when, "api", change), "2026-02-03T03:22:22Z api added api-1 [fd00::1]:8861");
}

TEST(DnsctlInstanceDiff, Ipv6AddressesInBrackets) {
    const auto set = parsed_set(R"({"instances":[{"id":"a","address":"fd00::1","port":8861,"version":""}]})");
    EXPECT_EQ(describe_instance(set.at("a")), "[fd00::1]:8861") << "empty version left out";
}

}  // namespace
}  // namespace dnsd::ctl
