#include "registry/gossip_peer_table.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "registry/names.hpp"

namespace dnsd::registry {
namespace {

InstanceSpec node(std::string id, std::string ip, std::int64_t ttl_ms = 9'000) {
    InstanceSpec s;
    s.service = std::string(kNodeService);
    s.id = std::move(id);
    s.address = *IpAddress::parse(ip);
    s.port = 8054;
    s.ttl_ms = ttl_ms;
    return s;
}

bool has(const std::vector<PeerCandidate>& c, const std::string& a) {
    return std::any_of(c.begin(), c.end(), [&](const PeerCandidate& p) { return p.address == a; });
}

TEST(GossipPeerTable, AddressesAreWrittenAsStatusListsThem) {
    EXPECT_EQ(peer_address(node("a", "10.0.0.5")), "10.0.0.5:8054");
    EXPECT_EQ(peer_address(node("a", "fe80::1")), "[fe80::1]:8054");
}

TEST(GossipPeerTable, CandidatesAreMembersSeedsAndRecentMentionsNeverSelf) {
    ManualClock clock;
    Registry reg{clock};
    reg.renew(node("self", "10.0.0.1"));
    reg.renew(node("b", "10.0.0.2"));
    PeerTable table("10.0.0.1:8054", 30'000);
    table.add_seed("10.0.0.9:8054");
    table.add_seed("10.0.0.1:8054");
    table.mentioned("10.0.0.7:8054", clock.mono_ms());
    auto c = table.candidates(reg, clock.mono_ms());
    EXPECT_EQ(c.size(), 3u);
    EXPECT_TRUE(has(c, "10.0.0.2:8054") && has(c, "10.0.0.9:8054") && has(c, "10.0.0.7:8054"));

    clock.advance_ms(30'001);
    table.forget_stale(reg, clock.mono_ms());
    c = table.candidates(reg, clock.mono_ms());
    EXPECT_FALSE(has(c, "10.0.0.7:8054"));   // mentioned once, long ago
    EXPECT_TRUE(has(c, "10.0.0.9:8054"));    // seeds are retried forever
    EXPECT_TRUE(has(c, "10.0.0.2:8054"));    // still in the registry (expired: a sweep decides)
}

TEST(GossipPeerTable, MembersWhoseLeaseRunsLowAreUrgent) {
    ManualClock clock;
    Registry reg{clock};
    reg.renew(node("b", "10.0.0.2", 9'000));
    PeerTable table("10.0.0.1:8054", 30'000);
    EXPECT_FALSE(table.candidates(reg, clock.mono_ms())[0].urgent);
    clock.advance_ms(6'001);
    EXPECT_TRUE(table.candidates(reg, clock.mono_ms())[0].urgent);
}

TEST(GossipPeerTable, LiveListsOnlyUnexpiredMembersAndPeersHeardFrom) {
    ManualClock clock;
    Registry reg{clock};
    reg.renew(node("b", "10.0.0.2", 1'000));
    PeerTable table("10.0.0.1:8054", 30'000);
    table.mentioned("10.0.0.7:8054", clock.mono_ms());
    table.heard_from(NodeInfo{"c", "10.0.0.3:8054", 1, 0, 0}, clock.mono_ms());
    auto live = table.live(reg, clock.mono_ms());
    std::sort(live.begin(), live.end());
    EXPECT_EQ(live, (std::vector<std::string>{"10.0.0.2:8054", "10.0.0.3:8054"}));
    clock.advance_ms(1'001);
    EXPECT_EQ(table.live(reg, clock.mono_ms()), (std::vector<std::string>{"10.0.0.3:8054"}));
}

TEST(GossipPeerTable, RemembersTheLastExchangePerPeer) {
    PeerTable table("10.0.0.1:8054", 30'000);
    table.heard_from(NodeInfo{"c", "10.0.0.3:8054", 1, 0, 0}, 5);
    table.exchanged("10.0.0.3:8054", 42, 17);
    table.exchanged("10.0.0.4:8054", 1, 1);  // unknown: ignored
    ASSERT_NE(table.find("10.0.0.3:8054"), nullptr);
    EXPECT_EQ(table.find("10.0.0.3:8054")->incarnation, 42u);
    EXPECT_EQ(table.find("10.0.0.3:8054")->seq, 17u);
    EXPECT_EQ(table.find("10.0.0.4:8054"), nullptr);
}

}  // namespace
}  // namespace dnsd::registry
