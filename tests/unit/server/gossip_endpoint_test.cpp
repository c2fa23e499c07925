#include "dnsd/gossip_endpoint.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "registry/gossip_message_json.hpp"
#include "registry/gossip_node.hpp"
#include "registry/names.hpp"

// A named namespace of its own: the test target is a unity build.
namespace dnsd::gossip_endpoint_test {
namespace {

namespace json = boost::json;
using registry::GossipMessage;

struct Recorder final : registry::GossipTransport {
    std::vector<GossipMessage> sent;
    void send(const std::string&, GossipMessage message) override {
        sent.push_back(std::move(message));
    }
};

registry::InstanceSpec self_spec() {
    registry::InstanceSpec spec;
    spec.service = std::string(registry::kNodeService);
    spec.id = "n1";
    spec.address = *registry::IpAddress::parse("10.0.0.1");
    spec.port = 8054;
    spec.ttl_ms = 10'000;
    spec.node = "n1";
    return spec;
}

registry::PullRequest full_pull_from_n2() {
    registry::PullRequest pull;
    pull.sender = {"n2", "10.0.0.2:8054", 7, 0, 0};
    pull.want_full = true;
    return pull;
}

// The endpoint in front of a real GossipNode, with the node's reply decoded back.
class GossipEndpointTest : public ::testing::Test {
protected:
    explicit GossipEndpointTest(std::optional<GossipKey> key = std::nullopt)
        : auth(key, clock), peer_auth(key, clock) {
        gossip.start();
    }

    HttpReply post(const std::string& body, const std::string& auth_header = "") {
        return handle_gossip(
            [this](const GossipMessage& message) {
                ++received;
                return gossip.receive(message);
            },
            auth, {"POST", kGossipPath, body, auth_header});
    }

    registry::ManualClock clock;
    registry::Registry registry{clock};
    Recorder net;
    registry::GossipNode gossip{registry, net, [] {
                                    registry::GossipOptions options;
                                    options.self = self_spec();
                                    options.rng_seed = 3;
                                    return options;
                                }()};
    GossipAuth auth;
    GossipAuth peer_auth;
    int received = 0;
};

TEST_F(GossipEndpointTest, PullIsAnsweredWithThePullReply) {
    const HttpReply reply = post(registry::encode_gossip(full_pull_from_n2()));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(reply.content_type, kJsonType);
    EXPECT_EQ(reply.header(kGossipAuthHeader), nullptr);  // no key, no signature
    auto decoded = registry::decode_gossip(reply.body);
    ASSERT_TRUE(std::holds_alternative<GossipMessage>(decoded));
    const auto* pull_reply = std::get_if<registry::PullReply>(&std::get<GossipMessage>(decoded));
    ASSERT_NE(pull_reply, nullptr);
    EXPECT_EQ(pull_reply->sender.name, "n1");
    EXPECT_EQ(pull_reply->mode, registry::PullMode::full);
    ASSERT_FALSE(pull_reply->changes.instances.empty());  // n1's own "dnsd" entry at least
}

TEST_F(GossipEndpointTest, PushIsMergedAndAnsweredWithNoContent) {
    registry::Push push;
    push.sender = {"n2", "10.0.0.2:8054", 7, 1, 1};
    push.hops_left = 1;
    registry::InstanceCopy copy;
    copy.spec = self_spec();
    copy.spec.id = "n2";
    copy.spec.node = "n2";
    copy.spec.address = *registry::IpAddress::parse("10.0.0.2");
    copy.src_ts_ms = clock.wall_ms();
    push.changes.instances.push_back(copy);

    const HttpReply reply = post(registry::encode_gossip(push));
    EXPECT_EQ(reply.status, 204u) << reply.body;
    EXPECT_TRUE(reply.body.empty());
    EXPECT_NE(registry.find(registry::kNodeService, "n2"), nullptr);
}

TEST_F(GossipEndpointTest, UndecodableMessageIs400WithTheDecodersReason) {
    for (const std::string body : {"", "not json", "{}", R"({"type":"pull"})"}) {
        const HttpReply reply = post(body);
        EXPECT_EQ(reply.status, 400u) << body;
        const auto error = json::parse(reply.body).as_object().at("error").as_string();
        EXPECT_EQ(std::string(error).rfind("the gossip message is invalid: ", 0), 0u) << error;
        EXPECT_GT(error.size(), std::string("the gossip message is invalid: ").size());
    }
    EXPECT_EQ(received, 0);
}

class KeyedGossipEndpointTest : public GossipEndpointTest {
protected:
    KeyedGossipEndpointTest() : GossipEndpointTest(GossipKey{"a-shared-cluster-secret"}) {}
};

TEST_F(KeyedGossipEndpointTest, SignedPullGetsASignedReplyForThatRequest) {
    const std::string body = registry::encode_gossip(full_pull_from_n2());
    const auto signature = peer_auth.sign_request("POST", kGossipPath, body);
    const HttpReply reply = post(body, signature.header);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const std::string* reply_auth = reply.header(kGossipAuthHeader);
    ASSERT_NE(reply_auth, nullptr);
    EXPECT_EQ(peer_auth.check_reply(*reply_auth, signature.nonce, kGossipPath, reply.body),
              std::nullopt);
}

TEST_F(KeyedGossipEndpointTest, UnsignedForgedOrReplayedRequestsAre401AndNotReceived) {
    const std::string body = registry::encode_gossip(full_pull_from_n2());
    EXPECT_EQ(post(body).status, 401u);

    const auto signature = peer_auth.sign_request("POST", kGossipPath, body);
    EXPECT_EQ(post(body + " ", signature.header).status, 401u);
    EXPECT_EQ(post(body, signature.header).status, 200u);
    const HttpReply replay = post(body, signature.header);
    EXPECT_EQ(replay.status, 401u);
    EXPECT_NE(replay.body.find("seen before"), std::string::npos) << replay.body;

    EXPECT_EQ(received, 1);
    EXPECT_EQ(auth.counters().missing, 1u);
    EXPECT_EQ(auth.counters().bad_mac, 1u);
    EXPECT_EQ(auth.counters().replayed, 1u);
}

TEST_F(KeyedGossipEndpointTest, SignatureIsCheckedBeforeTheBodyIsDecoded) {
    // A stranger's garbage costs one HMAC, never a parse, and says nothing about the decoder.
    EXPECT_EQ(post("not json").status, 401u);
    EXPECT_EQ(received, 0);
}

}  // namespace
}  // namespace dnsd::gossip_endpoint_test
