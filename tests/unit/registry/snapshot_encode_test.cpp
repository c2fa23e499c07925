#include "registry/snapshot_encode.hpp"

#include <algorithm>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "registry/snapshot_format.hpp"

namespace dnsd::registry {
namespace {

namespace json = boost::json;

InstanceSpec encoded_full_spec(std::string service, std::string id) {
    InstanceSpec s;
    s.service = std::move(service);
    s.id = std::move(id);
    s.address = *IpAddress::parse("fd00::3");
    s.port = 8861;
    s.version = "1.2.3";
    s.weight = 7;
    s.priority = 2;
    s.meta = {{"zone", "a"}, {"rack", "r1"}};
    s.ttl_ms = 30'000;
    s.node = "node-1";
    return s;
}

class SnapshotEncodeTest : public ::testing::Test {
protected:
    json::object encoded() {
        text = encode_snapshot(reg);
        return json::parse(text).as_object();
    }

    ManualClock clock;
    Registry reg{clock};
    std::string text;
};

TEST_F(SnapshotEncodeTest, AnEmptyRegistryHasTheHeaderAndEmptyLists) {
    clock.set_wall_ms(1'770'000'000'042);
    const json::object root = encoded();
    EXPECT_EQ(root.at("format_version").as_int64(), snapshot_format_version);
    EXPECT_EQ(root.at("written_wall_ms").as_int64(), 1'770'000'000'042);
    EXPECT_EQ(root.at("index").as_int64(), 0);
    EXPECT_TRUE(root.at("instances").as_array().empty());
    EXPECT_TRUE(root.at("tombstones").as_array().empty());
    EXPECT_TRUE(root.at("known_services").as_array().empty());
}

TEST_F(SnapshotEncodeTest, AnInstanceCarriesEveryFieldAndItsRemainingLease) {
    reg.renew(encoded_full_spec("api", "api-1"), 1'234'567);
    clock.advance_ms(10'000);
    const json::object root = encoded();
    EXPECT_EQ(root.at("index").as_int64(), 1);
    ASSERT_EQ(root.at("instances").as_array().size(), 1u);
    const json::object& i = root.at("instances").as_array()[0].as_object();
    EXPECT_EQ(i.at("service").as_string(), "api");
    EXPECT_EQ(i.at("id").as_string(), "api-1");
    EXPECT_EQ(i.at("address").as_string(), "fd00::3");
    EXPECT_EQ(i.at("port").as_int64(), 8861);
    EXPECT_EQ(i.at("version").as_string(), "1.2.3");
    EXPECT_EQ(i.at("weight").as_int64(), 7);
    EXPECT_EQ(i.at("priority").as_int64(), 2);
    EXPECT_EQ(i.at("meta"), (json::object{{"rack", "r1"}, {"zone", "a"}}));
    EXPECT_EQ(i.at("ttl_ms").as_int64(), 30'000);
    EXPECT_EQ(i.at("node").as_string(), "node-1");
    EXPECT_EQ(i.at("src_ts_ms").as_int64(), 1'234'567);
    EXPECT_EQ(i.at("remaining_ms").as_int64(), 20'000);
}

TEST_F(SnapshotEncodeTest, AnUnsweptExpiredInstanceIsWrittenWithANegativeRemainder) {
    reg.renew(encoded_full_spec("api", "api-1"));
    clock.advance_ms(30'500);
    const json::object root = encoded();
    EXPECT_EQ(root.at("instances").as_array()[0].at("remaining_ms").as_int64(), -500);
}

TEST_F(SnapshotEncodeTest, TombstonesCarryTheirAgeAndEmptyServicesTheirIdleTime) {
    reg.renew(encoded_full_spec("api", "api-1"));
    reg.renew(encoded_full_spec("api", "api-2"));
    reg.renew(encoded_full_spec("web", "web-1"));
    clock.advance_ms(1'000);
    ASSERT_TRUE(reg.deregister("web", "web-1"));
    const std::int64_t tomb_src_ts = reg.tombstones().begin()->second.src_ts_ms;
    clock.advance_ms(4'000);

    const json::object root = encoded();
    ASSERT_EQ(root.at("tombstones").as_array().size(), 1u);
    const json::object& t = root.at("tombstones").as_array()[0].as_object();
    EXPECT_EQ(t.at("service").as_string(), "web");
    EXPECT_EQ(t.at("id").as_string(), "web-1");
    EXPECT_EQ(t.at("src_ts_ms").as_int64(), tomb_src_ts);
    EXPECT_EQ(t.at("age_ms").as_int64(), 4'000);

    // api still has live instances, so only web is a known service without instances.
    ASSERT_EQ(root.at("known_services").as_array().size(), 1u);
    const json::object& k = root.at("known_services").as_array()[0].as_object();
    EXPECT_EQ(k.at("service").as_string(), "web");
    EXPECT_EQ(k.at("idle_ms").as_int64(), 4'000);
    EXPECT_EQ(root.at("instances").as_array().size(), 2u);
}

TEST_F(SnapshotEncodeTest, StringsWithQuotesBackslashesControlAndNonAsciiSurviveParsing) {
    InstanceSpec s = encoded_full_spec("api", "api-1");
    s.version = "quote\" backslash\\ tab\t nl\n cr\r bell\x07 nul" + std::string(1, '\0') + " end";
    s.meta = {{"k\"ey\\", "v\x1f"}, {"unicode", "gr\xc3\xbc\xc3\x9f \xe2\x9c\x93"}};
    s.node = "\x7f";
    reg.renew(s);
    const json::object root = encoded();
    const json::object& i = root.at("instances").as_array()[0].as_object();
    EXPECT_EQ(std::string_view(i.at("version").as_string()), s.version);
    EXPECT_EQ(std::string_view(i.at("meta").at("k\"ey\\").as_string()), "v\x1f");
    EXPECT_EQ(std::string_view(i.at("meta").at("unicode").as_string()),
              "gr\xc3\xbc\xc3\x9f \xe2\x9c\x93");
    EXPECT_EQ(std::string_view(i.at("node").as_string()), "\x7f");
}

TEST_F(SnapshotEncodeTest, EachEntryIsOnItsOwnLineSoThatPeopleCanGrepAndDiff) {
    reg.renew(encoded_full_spec("api", "api-1"));
    reg.renew(encoded_full_spec("api", "api-2"));
    reg.renew(encoded_full_spec("web", "web-1"));
    reg.deregister("web", "web-1");
    encoded();
    // 2 instances, 1 tombstone, 1 known service: each starts a line of its own.
    std::size_t entry_lines = 0;
    std::size_t pos = 0;
    while ((pos = text.find("\n{\"service\":", pos)) != std::string::npos) {
        ++entry_lines;
        ++pos;
    }
    EXPECT_EQ(entry_lines, 4u);
    EXPECT_EQ(text.back(), '\n');
}

TEST_F(SnapshotEncodeTest, InstancesComeOutInKeyOrder) {
    reg.renew(encoded_full_spec("web", "w-2"));
    reg.renew(encoded_full_spec("api", "b"));
    reg.renew(encoded_full_spec("web", "w-1"));
    reg.renew(encoded_full_spec("api", "a"));
    const json::object root = encoded();
    std::vector<std::string> keys;
    for (const auto& v : root.at("instances").as_array())
        keys.push_back(std::string(v.at("service").as_string()) + "/" +
                       std::string(v.at("id").as_string()));
    EXPECT_EQ(keys, (std::vector<std::string>{"api/a", "api/b", "web/w-1", "web/w-2"}));
}

}  // namespace
}  // namespace dnsd::registry
