#include "registry/gossip_message_json.hpp"

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

NodeInfo sender() { return NodeInfo{"n1", "10.0.0.1:8054", 77, 12, 9}; }

InstanceCopy copy() {
    InstanceCopy c;
    c.spec.service = "api";
    c.spec.id = "a1";
    c.spec.address = *IpAddress::parse("fe80::1");
    c.spec.port = 8861;
    c.spec.version = "1.2.3";
    c.spec.weight = 5;
    c.spec.priority = 7;
    c.spec.meta = {{"zone", "a"}};
    c.spec.ttl_ms = 30'000;
    c.spec.node = "n1";
    c.src_ts_ms = 1'770'000'000'000;
    c.age_ms = 1'234;
    return c;
}

GossipMessage round_trip(const GossipMessage& m) {
    auto decoded = decode_gossip(encode_gossip(m));
    EXPECT_TRUE(std::holds_alternative<GossipMessage>(decoded))
        << std::get<GossipDecodeError>(decoded).reason;
    return std::get<GossipMessage>(decoded);
}

TEST(GossipMessageJson, EveryKindRoundTrips) {
    PullRequest pull{sender(), {"10.0.0.2:8054"}, 5, 6, 3'000, true, {{"api", "a1"}}};
    EXPECT_EQ(std::get<PullRequest>(round_trip(pull)), pull);

    PullReply reply;
    reply.sender = sender();
    reply.peers = {"[::1]:8054"};
    reply.mode = PullMode::window;
    reply.changes = ChangeSet{3, 9, {copy()}, {TombstoneCopy{{"api", "a2"}, 5, 6, 7}}};
    EXPECT_EQ(std::get<PullReply>(round_trip(reply)), reply);

    Push push{sender(), 4, ChangeSet{0, 1, {copy()}, {}}};
    EXPECT_EQ(std::get<Push>(round_trip(push)), push);
}

TEST(GossipMessageJson, RefusalsNameTheFieldAndWhatWasWanted) {
    auto reason = [](std::string_view body) {
        auto decoded = decode_gossip(body);
        return std::holds_alternative<GossipDecodeError>(decoded) ? std::get<GossipDecodeError>(decoded).reason : "";
    };
    EXPECT_NE(reason("{").find("not valid JSON"), std::string::npos);
    EXPECT_EQ(reason("[]"), "the gossip message must be a JSON object");
    EXPECT_EQ(reason(R"({"type":"gossip"})"), R"(type must be "pull", "pull_reply" or "push")");
    EXPECT_EQ(reason(R"({"type":"push","hops_left":1})"), "sender is missing (a JSON object)");

    std::string body = encode_gossip(Push{sender(), 2, ChangeSet{0, 1, {copy()}, {}}});
    const auto port = body.find("\"port\":8861");
    ASSERT_NE(port, std::string::npos);
    body.replace(port, 11, "\"port\":0");
    EXPECT_EQ(reason(body), "instances[0].port must be an integer from 1 to 65535");

    std::string negative = encode_gossip(Push{sender(), 2, ChangeSet{0, 1, {copy()}, {}}});
    negative.replace(negative.find("\"age_ms\":1234"), 13, "\"age_ms\":-1");
    EXPECT_NE(reason(negative).find("instances[0].age_ms must be"), std::string::npos);
}

}  // namespace
}  // namespace dnsd::registry
