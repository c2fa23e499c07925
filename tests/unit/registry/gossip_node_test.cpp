// One GossipNode driven by hand through a recording transport: what it sends and answers.
#include "registry/gossip_node.hpp"

#include <gtest/gtest.h>

#include "registry/names.hpp"

namespace dnsd::registry {
namespace {

struct Recorder final : GossipTransport {
    std::vector<std::pair<std::string, GossipMessage>> sent;
    void send(const std::string& peer, GossipMessage m) override { sent.emplace_back(peer, std::move(m)); }
    template <typename T>
    std::vector<std::pair<std::string, T>> of() const {
        std::vector<std::pair<std::string, T>> out;
        for (const auto& [p, m] : sent)
            if (auto* t = std::get_if<T>(&m)) out.emplace_back(p, *t);
        return out;
    }
};

InstanceSpec self_spec(std::string id, std::string ip) {
    InstanceSpec s;
    s.service = std::string(kNodeService);
    s.id = id;
    s.address = *IpAddress::parse(ip);
    s.port = 8054;
    s.ttl_ms = 10'000;
    s.node = std::move(id);
    return s;
}

InstanceSpec api(std::string id) {
    InstanceSpec s;
    s.service = "api";
    s.id = std::move(id);
    s.address = *IpAddress::parse("192.0.2.1");
    s.port = 80;
    return s;
}

class GossipNodeTest : public ::testing::Test {
protected:
    ManualClock clock;
    Registry reg{clock};
    Recorder net;
    GossipNode node{reg, net, [] {
                        GossipOptions o;
                        o.self = self_spec("n1", "10.0.0.1");
                        o.seeds = {"10.0.0.9:8054"};
                        o.rng_seed = 5;
                        return o;
                    }()};
};

TEST_F(GossipNodeTest, StartRegistersItselfPushesAndAsksTheSeedForEverything) {
    node.start();
    ASSERT_NE(reg.find(kNodeService, "n1"), nullptr);
    const auto pulls = net.of<PullRequest>();
    ASSERT_EQ(pulls.size(), 1u);
    EXPECT_EQ(pulls[0].first, "10.0.0.9:8054");
    EXPECT_TRUE(pulls[0].second.want_full);
    EXPECT_EQ(pulls[0].second.sender.address, "10.0.0.1:8054");
    EXPECT_EQ(pulls[0].second.sender.incarnation, node.incarnation());
    ASSERT_EQ(net.of<Push>().size(), 1u);
    EXPECT_EQ(net.of<Push>()[0].second.changes.instances[0].spec.id, "n1");
}

TEST_F(GossipNodeTest, AnswersDeltaToAKnownIncarnationAndFullToAStrangerAskingForIt) {
    node.start();
    reg.renew(api("a1"));
    const std::uint64_t mark = reg.change_seq();
    reg.renew(api("a2"));
    PullRequest known{NodeInfo{"n2", "10.0.0.2:8054", 9, 0, 0}, {}, node.incarnation(), mark, 0, false, {}};
    auto reply = std::get<PullReply>(*node.receive(known));
    EXPECT_EQ(reply.mode, PullMode::delta);
    ASSERT_EQ(reply.changes.instances.size(), 1u);
    EXPECT_EQ(reply.changes.instances[0].spec.id, "a2");

    PullRequest restarted = known;
    restarted.known_incarnation = node.incarnation() + 2;  // we restarted since they last asked
    EXPECT_EQ(std::get<PullReply>(*node.receive(restarted)).mode, PullMode::full);

    PullRequest stranger{NodeInfo{"n3", "10.0.0.3:8054", 9, 0, 0}, {}, 0, 0, 60'000, false, {}};
    EXPECT_EQ(std::get<PullReply>(*node.receive(stranger)).mode, PullMode::window);
    stranger.want_full = true;
    EXPECT_EQ(std::get<PullReply>(*node.receive(stranger)).changes.instances.size(), 3u);
}

TEST_F(GossipNodeTest, AReplyIsMergedAgedByTheRoundTripAndRemembered) {
    node.start();
    clock.advance_ms(300);
    PullReply reply;
    reply.sender = NodeInfo{"seed", "10.0.0.9:8054", 77, 40, 3};
    reply.mode = PullMode::full;
    reply.changes.to_seq = 40;
    reply.changes.instances.push_back(InstanceCopy{api("a1"), 1, 1'000});
    // A copy of ourselves from someone else is ignored: we are its only source.
    reply.changes.instances.push_back(InstanceCopy{self_spec("n1", "10.0.0.1"), 1LL << 50, 0});
    EXPECT_FALSE(node.receive(reply).has_value());
    EXPECT_EQ(reg.find("api", "a1")->remaining_ms(clock.mono_ms()), 30'000 - 1'000 - 300);
    EXPECT_NE(reg.find(kNodeService, "n1")->src_ts_ms, 1LL << 50);
    EXPECT_EQ(node.peers().find("10.0.0.9:8054")->incarnation, 77u);
    EXPECT_EQ(node.peers().find("10.0.0.9:8054")->seq, 40u);
    // The next pull to that peer asks for the delta since then.
    net.sent.clear();
    clock.advance_ms(1'000);
    node.tick();
    bool asked_delta = false;
    for (const auto& [peer, pull] : net.of<PullRequest>())
        if (peer == "10.0.0.9:8054") asked_delta = pull.known_incarnation == 77 && pull.known_seq == 40 && !pull.want_full;
    EXPECT_TRUE(asked_delta);
}

TEST_F(GossipNodeTest, PushedNewsIsPassedOnWithOneHopLessButNotBackNorWhenStale) {
    node.start();
    reg.renew(self_spec("n2", "10.0.0.2"));
    reg.renew(self_spec("n3", "10.0.0.3"));
    reg.renew(self_spec("n4", "10.0.0.4"));
    node.flush();
    net.sent.clear();
    Push push{NodeInfo{"n2", "10.0.0.2:8054", 5, 1, 1}, 3, ChangeSet{0, 1, {InstanceCopy{api("a1"), 1, 0}}, {}}};
    node.receive(push);
    const auto forwarded = net.of<Push>();
    ASSERT_EQ(forwarded.size(), 3u);  // 10.0.0.3, .4 and the seed .9: never back to .2
    for (const auto& [peer, p] : forwarded) {
        EXPECT_NE(peer, "10.0.0.2:8054");
        EXPECT_EQ(p.hops_left, 2u);
    }
    net.sent.clear();
    node.receive(push);  // no longer news
    EXPECT_TRUE(net.of<Push>().empty());
}

TEST_F(GossipNodeTest, ALocalRenewalIsPushedOneHopOnly) {
    node.start();
    reg.renew(api("a1"));
    node.flush();
    net.sent.clear();
    clock.advance_ms(10'000);
    reg.renew(api("a1"));
    node.flush();
    ASSERT_FALSE(net.of<Push>().empty());
    EXPECT_EQ(net.of<Push>()[0].second.hops_left, 1u);
}

TEST_F(GossipNodeTest, PullsNameTheInstancesAboutToExpire) {
    node.start();
    reg.merge(api("soon"), 1, 25'000);
    reg.merge(api("later"), 1, 0);
    net.sent.clear();
    node.tick();
    const auto pulls = net.of<PullRequest>();
    ASSERT_FALSE(pulls.empty());
    EXPECT_EQ(pulls[0].second.refresh, (std::vector<InstanceKey>{{"api", "soon"}}));
}

TEST_F(GossipNodeTest, LeavingPushesItsOwnTombstone) {
    node.start();
    net.sent.clear();
    node.leave();
    EXPECT_EQ(reg.find(kNodeService, "n1"), nullptr);
    ASSERT_EQ(net.of<Push>().size(), 1u);
    EXPECT_EQ(net.of<Push>()[0].second.changes.tombstones[0].key, (InstanceKey{std::string(kNodeService), "n1"}));
}

TEST_F(GossipNodeTest, StatusShowsARandomThirdRoundedUp) {
    node.start();
    for (int i = 2; i <= 8; ++i) reg.renew(self_spec("n" + std::to_string(i), "10.0.0." + std::to_string(i)));
    EXPECT_EQ(node.status_peers().size(), 3u);  // 7 peers
}

}  // namespace
}  // namespace dnsd::registry
