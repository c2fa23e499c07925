#include "dnsd/http_status.hpp"

#include <algorithm>
#include <set>

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "dnsd_version.hpp"
#include "registry/clock.hpp"
#include "registry/registry.hpp"

namespace dnsd {
namespace {

registry::InstanceSpec node_spec(std::string id, std::string address, std::int64_t ttl_ms) {
    registry::InstanceSpec s;
    s.service = "dnsd";
    s.id = std::move(id);
    s.address = *registry::IpAddress::parse(address);
    s.port = 8054;
    s.ttl_ms = ttl_ms;
    return s;
}

TEST(LivePeers, OtherLiveDnsdNodesAsAddressPort) {
    registry::ManualClock clock;
    registry::Registry registry(clock);
    registry.renew(node_spec("self", "10.0.0.1", 30'000));
    registry.renew(node_spec("b", "10.0.0.2", 30'000));
    registry.renew(node_spec("c", "2001:db8::3", 30'000));
    registry.renew(node_spec("gone", "10.0.0.4", 1'000));
    clock.advance_ms(1'001);
    auto peers = live_peers(registry, "self", clock.mono_ms());
    std::sort(peers.begin(), peers.end());
    EXPECT_EQ(peers, (std::vector<std::string>{"10.0.0.2:8054", "[2001:db8::3]:8054"}));
}

TEST(LivePeers, NoDnsdServiceNoPeers) {
    registry::ManualClock clock;
    registry::Registry registry(clock);
    EXPECT_TRUE(live_peers(registry, "self", clock.mono_ms()).empty());
}

TEST(SampleThird, SizeIsAThirdRoundedUp) {
    std::mt19937_64 rng(1);
    auto peers = [](std::size_t n) {
        std::vector<std::string> v;
        for (std::size_t i = 0; i < n; ++i) v.push_back("p" + std::to_string(i));
        return v;
    };
    EXPECT_EQ(sample_third(peers(0), rng).size(), 0u);
    EXPECT_EQ(sample_third(peers(1), rng).size(), 1u);
    EXPECT_EQ(sample_third(peers(2), rng).size(), 1u);
    EXPECT_EQ(sample_third(peers(3), rng).size(), 1u);
    EXPECT_EQ(sample_third(peers(4), rng).size(), 2u);
    EXPECT_EQ(sample_third(peers(9), rng).size(), 3u);
    EXPECT_EQ(sample_third(peers(10), rng).size(), 4u);
}

TEST(SampleThird, PicksDistinctPeersAndCoversAllOverCalls) {
    std::mt19937_64 rng(7);
    const std::vector<std::string> all{"a", "b", "c", "d", "e", "f"};
    std::set<std::string> seen;
    std::set<std::vector<std::string>> picks;
    for (int call = 0; call < 50; ++call) {
        const auto pick = sample_third(all, rng);
        ASSERT_EQ(pick.size(), 2u);
        EXPECT_NE(pick[0], pick[1]);
        for (const auto& p : pick) EXPECT_NE(std::find(all.begin(), all.end(), p), all.end());
        seen.insert(pick.begin(), pick.end());
        picks.insert(pick);
    }
    EXPECT_EQ(seen.size(), all.size());
    EXPECT_GT(picks.size(), 5u);  // different at each call, not a fixed subset
}

TEST(StatusJson, OriginalNotesFormat) {
    const StatusFields fields{"node-a", 1770088942, 17, {"10.0.0.5:8054"}};
    EXPECT_EQ(boost::json::serialize(status_json(fields)),
              std::string(R"({"status":"ok","service":"dnsd","version":")") + kVersion +
                  R"(","timestamp":1770088942,"node":"node-a","index":17,)"
                  R"("peers":["10.0.0.5:8054"]})");
}

TEST(StatusJson, ClusterFieldsFollowTheOriginalOnes) {
    StatusFields fields{"node-a", 1770088942, 17, {}};
    fields.incarnation = 12345;
    fields.self_preservation = SelfPreservationStatus{true, 1770088900, "9 of 10 instances would expire"};
    EXPECT_EQ(boost::json::serialize(status_json(fields)),
              std::string(R"({"status":"ok","service":"dnsd","version":")") + kVersion +
                  R"(","timestamp":1770088942,"node":"node-a","index":17,"peers":[],)"
                  R"("incarnation":12345,"self_preservation":{"active":true,"since":1770088900,)"
                  R"("reason":"9 of 10 instances would expire"}})");
}

TEST(StatusJson, InactiveSelfPreservationHasNoSince) {
    StatusFields fields{"node-a", 1, 2, {}};
    fields.self_preservation = SelfPreservationStatus{};
    const auto out = status_json(fields);
    const auto& sp = out.at("self_preservation").as_object();
    EXPECT_FALSE(sp.at("active").as_bool());
    EXPECT_TRUE(sp.at("since").is_null());
    EXPECT_FALSE(out.contains("incarnation"));
}

}  // namespace
}  // namespace dnsd
