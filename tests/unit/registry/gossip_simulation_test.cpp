// Many nodes in one process (gossip_simulation.hpp): convergence, membership, loss, partitions,
// restarts, skewed clocks, tombstones, leases and self-preservation, measured in rounds.
#include "gossip_simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

namespace dnsd::registry::sim {
namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Spread {
    std::optional<double> membership_rounds;
    std::vector<double> change_rounds;  // one per change; a change that never arrived: 1e9
    double bytes_per_node_round = 0;
    double max_change_rounds() const { return *std::max_element(change_rounds.begin(), change_rounds.end()); }
};

// From a seed-only start: rounds until every node lists every node, then `changes` heartbeats
// at random nodes, each timed until every node has it.
Spread measure(Simulation& sim, int changes, double max_rounds) {
    Spread out;
    const std::size_t n = sim.size();
    out.membership_rounds = sim.rounds_until([&] { return sim.all_up([&](std::size_t i) { return sim.live_members(i) == n; }); }, max_rounds);
    std::mt19937_64 pick(42);
    std::uint64_t bytes_before = 0;
    for (std::size_t i = 0; i < n; ++i) bytes_before += sim.bytes_sent(i);
    const std::int64_t start = sim.now();
    for (int c = 0; c < changes; ++c) {
        const std::size_t at = pick() % n;
        const std::string id = "change-" + std::to_string(c);
        sim.now_at(at, [&](Registry& r) { r.renew(Simulation::instance("probe", id, 600'000)); });
        auto rounds = sim.rounds_until([&] { return sim.all_up([&](std::size_t i) { return sim.has_live(i, "probe", id); }); }, max_rounds);
        out.change_rounds.push_back(rounds.value_or(1e9));
        sim.run_rounds(1.3);
    }
    std::uint64_t bytes_after = 0;
    for (std::size_t i = 0; i < n; ++i) bytes_after += sim.bytes_sent(i);
    const double rounds = static_cast<double>(sim.now() - start) / static_cast<double>(sim.interval());
    out.bytes_per_node_round = static_cast<double>(bytes_after - bytes_before) / (static_cast<double>(n) * rounds);
    return out;
}

void print_row(std::size_t n, const Spread& s, double loss) {
    std::printf("[ gossip   ] N=%zu loss=%.0f%%: membership %.1f rounds (target %.1f), change median %.1f max %.1f rounds "
                "(target %.1f), %.0f bytes/node/round\n",
                n, loss * 100, s.membership_rounds.value_or(-1), 2 * std::log2(static_cast<double>(n)),
                median(s.change_rounds), s.max_change_rounds(), std::log2(static_cast<double>(n)) + 2,
                s.bytes_per_node_round);
}

class ConvergenceBySize : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ConvergenceBySize, ChangeReachesAllInLogRoundsAndMembershipCompletes) {
    const std::size_t n = GetParam();
    SimConfig config;
    config.nodes = n;
    config.seed = 7 + n;
    config.json_every = n >= 500 ? 50 : 1;  // every message through JSON, but at N=1000 a sample
    Simulation sim(config);
    const Spread s = measure(sim, 9, 40);
    print_row(n, s, 0);
    const double log_n = std::log2(static_cast<double>(n));
    ASSERT_TRUE(s.membership_rounds.has_value());
    EXPECT_LE(*s.membership_rounds, 2 * log_n);
    EXPECT_LE(median(s.change_rounds), log_n + 2);
    EXPECT_EQ(sim.decode_failures(), 0u);
}

// The sizes every run checks stay small enough for a shared machine; the report's table for
// N = 200 and 1000 comes from DNSD_GOSSIP_SIM_SIZES=200,1000 (same test, more sizes).
std::vector<std::size_t> sizes() {
    std::vector<std::size_t> out{10, 50, 128};
    if (const char* extra = std::getenv("DNSD_GOSSIP_SIM_SIZES")) {
        std::string list = extra;
        for (std::size_t pos = 0; pos < list.size();) {
            const std::size_t comma = std::min(list.find(',', pos), list.size());
            out.push_back(std::stoul(list.substr(pos, comma - pos)));
            pos = comma + 1;
        }
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Sizes, ConvergenceBySize, ::testing::ValuesIn(sizes()));

SimConfig config_of(std::size_t n, std::uint64_t seed) {
    SimConfig c;
    c.nodes = n;
    c.seed = seed;
    return c;
}

// Every node's view of the live instances of non-node services, as DNS would show them
// (service, id, port). Not src_ts: renewal damping leaves nodes with different renewals of
// the same copy, which is fine as long as the fields and liveness agree.
std::set<std::tuple<std::string, std::string, std::uint16_t>> view(Simulation& sim, std::size_t i) {
    std::set<std::tuple<std::string, std::string, std::uint16_t>> out;
    for (const auto& [name, service] : sim.registry(i).services()) {
        if (name == kNodeService) continue;
        for (const auto& [id, inst] : service.instances)
            if (!inst.expired(sim.clock(i).mono_ms())) out.emplace(name, id, inst.spec.port);
    }
    return out;
}

bool all_agree(Simulation& sim) {
    const auto first = view(sim, 0);
    return sim.all_up([&](std::size_t i) { return view(sim, i) == first; });
}

bool everyone_has_tombstone(Simulation& sim, const InstanceKey& key) {
    return sim.all_up([&](std::size_t i) { return sim.registry(i).tombstones().contains(key); });
}

TEST(GossipSimulation, TwentyPercentLossStillConvergesWithStableMembership) {
    SimConfig config = config_of(100, 3);
    config.loss = 0.2;
    // dnsd's self lease today is max(10 s, 3 rounds); at 20% loss a node's renewal misses a
    // peer now and then for 7+ rounds. 15 rounds never flapped here (see the report).
    config.self_ttl_ms = 15'000;
    Simulation sim(config);
    const Spread s = measure(sim, 9, 40);
    print_row(100, s, 0.2);
    const double log_n = std::log2(100.0);
    ASSERT_TRUE(s.membership_rounds.has_value());
    EXPECT_LE(*s.membership_rounds, 2 * log_n);
    EXPECT_LE(median(s.change_rounds), log_n + 2);
    EXPECT_LT(s.max_change_rounds(), 40);
    // Lost renewals must not make nodes drop each other: membership stays whole.
    for (int step = 0; step < 30; ++step) {
        sim.run_rounds(1);
        ASSERT_TRUE(sim.all_up([&](std::size_t i) { return sim.live_members(i) == 100; })) << "round " << step;
    }
    for (std::size_t i = 0; i < sim.size(); ++i)
        EXPECT_EQ(sim.gossip(i).self_preservation().activations_total(), 0u) << "node " << i;
}

TEST(GossipSimulation, PartitionThenHealConvergesAndDeregistrationWins) {
    Simulation sim(config_of(64, 11));
    sim.run_rounds(15);
    sim.now_at(3, [](Registry& r) { r.renew(Simulation::instance("db", "d1", 600'000)); });
    sim.run_rounds(5);
    ASSERT_TRUE(sim.all_up([&](std::size_t i) { return sim.has_live(i, "db", "d1"); }));

    sim.partition([](std::size_t i) { return i < 32 ? 0 : 1; });
    sim.run_rounds(2);
    sim.now_at(50, [](Registry& r) { r.deregister("db", "d1"); });
    sim.now_at(40, [](Registry& r) { r.renew(Simulation::instance("web", "w1", 600'000)); });
    sim.run_rounds(10);
    for (std::size_t i = 0; i < 64; ++i) {
        EXPECT_EQ(sim.has_live(i, "db", "d1"), i < 32) << "node " << i;
        EXPECT_EQ(sim.has_live(i, "web", "w1"), i >= 32) << "node " << i;
    }

    sim.heal();
    const auto rounds = sim.rounds_until([&] {
        return sim.all_up([&](std::size_t i) {
            return !sim.has_live(i, "db", "d1") && sim.has_live(i, "web", "w1") && sim.live_members(i) == 64;
        });
    }, 40);
    ASSERT_TRUE(rounds.has_value());
    std::printf("[ gossip   ] partition healed: converged in %.1f rounds\n", *rounds);
    EXPECT_TRUE(everyone_has_tombstone(sim, {"db", "d1"}));
    sim.run_rounds(10);
    EXPECT_TRUE(sim.all_up([&](std::size_t i) { return !sim.has_live(i, "db", "d1"); }));
    EXPECT_TRUE(all_agree(sim));
}

TEST(GossipSimulation, RestartedNodeWithEmptyRegistryCatchesUp) {
    Simulation sim(config_of(50, 5));
    sim.run_rounds(10);
    for (int k = 0; k < 20; ++k)
        sim.now_at(static_cast<std::size_t>(k * 7 % 50), [k](Registry& r) {
            r.renew(Simulation::instance("api", "a" + std::to_string(k), 600'000));
        });
    sim.run_rounds(3);
    sim.now_at(9, [](Registry& r) { ASSERT_TRUE(r.deregister("api", "a3")); });
    sim.run_rounds(5);
    ASSERT_TRUE(all_agree(sim));

    const std::uint64_t old_incarnation = sim.gossip(17).incarnation();
    sim.restart(17);
    EXPECT_NE(sim.gossip(17).incarnation(), old_incarnation);
    EXPECT_EQ(view(sim, 17).size(), 0u);
    const auto rounds = sim.rounds_until([&] { return view(sim, 17) == view(sim, 0) && sim.live_members(17) == 50 &&
                                                      sim.registry(17).tombstones().contains({"api", "a3"}); }, 10);
    ASSERT_TRUE(rounds.has_value());
    EXPECT_LE(*rounds, 3.0);
    // Peers notice the new incarnation and keep exchanging with it: its news spreads.
    sim.now_at(17, [](Registry& r) { r.renew(Simulation::instance("api", "fresh", 600'000)); });
    EXPECT_TRUE(sim.rounds_until([&] { return sim.all_up([&](std::size_t i) { return sim.has_live(i, "api", "fresh"); }); }, 10));
}

TEST(GossipSimulation, WallClocksAnHourApartStillAgreeAndDeregistrationHolds) {
    SimConfig config = config_of(40, 13);
    config.max_wall_skew_ms = 3'600'000;
    Simulation sim(config);
    std::size_t ahead = 0;
    std::size_t behind = 0;
    for (std::size_t i = 0; i < sim.size(); ++i) {
        if (sim.clock(i).wall_ms() > sim.clock(ahead).wall_ms()) ahead = i;
        if (sim.clock(i).wall_ms() < sim.clock(behind).wall_ms()) behind = i;
    }
    ASSERT_GT(sim.clock(ahead).wall_ms() - sim.clock(behind).wall_ms(), 3'000'000);
    sim.run_rounds(10);

    // Heartbeats without a timestamp, alternating between the fastest and the slowest clock,
    // each with another port: every node must end with the last one, whatever the clocks say.
    InstanceSpec x = Simulation::instance("api", "x", 60'000);
    for (int k = 0; k < 6; ++k) {
        x.port = static_cast<std::uint16_t>(9000 + k);
        sim.now_at(k % 2 ? behind : ahead, [&](Registry& r) { r.renew(x); });
        sim.run_rounds(3);
    }
    ASSERT_TRUE(all_agree(sim));
    EXPECT_TRUE(sim.all_up([&](std::size_t i) { return sim.registry(i).find("api", "x")->spec.port == 9005; }));
    ASSERT_TRUE(sim.all_up([&](std::size_t i) { return sim.has_live(i, "api", "x"); }));

    // A heartbeat on the fast node that the slow node has not heard of yet, then a
    // deregistration on the slow node: the copy outranks the tombstone by src_ts (an hour
    // ahead) but was heard before it, so it must not bring the instance back anywhere.
    sim.partition([&](std::size_t i) { return i == behind ? 1 : 0; });
    sim.now_at(ahead, [&](Registry& r) { r.renew(x); });
    sim.run_rounds(0.5);
    sim.now_at(behind, [&](Registry& r) { ASSERT_TRUE(r.deregister("api", "x")); });
    sim.run_rounds(0.2);
    sim.heal();
    for (int step = 0; step < 100; ++step) {
        sim.run_rounds(0.1);
        for (std::size_t i = 0; i < sim.size(); ++i)
            if (sim.registry(i).tombstones().contains({"api", "x"})) {
                ASSERT_FALSE(sim.has_live(i, "api", "x")) << "resurrected on node " << i;
            }
    }
    EXPECT_TRUE(sim.all_up([&](std::size_t i) { return !sim.has_live(i, "api", "x"); }));
    EXPECT_TRUE(everyone_has_tombstone(sim, {"api", "x"}));

    // A heartbeat after the deregistration is a real comeback, on a node of either clock.
    sim.now_at(ahead, [&](Registry& r) { r.renew(x); });
    EXPECT_TRUE(sim.rounds_until([&] { return sim.all_up([&](std::size_t i) { return sim.has_live(i, "api", "x"); }); }, 10));
    sim.run_rounds(3);
    EXPECT_TRUE(all_agree(sim));
}

TEST(GossipSimulation, DeregistrationIsNeverResurrectedByCopiesInFlight) {
    SimConfig config = config_of(60, 17);
    config.max_delay_ms = 300;
    config.loss = 0.1;
    Simulation sim(config);
    sim.run_rounds(10);
    const InstanceSpec y = Simulation::instance("api", "y", 30'000);
    const std::int64_t stop = sim.now() + 20'000;
    sim.heartbeat(1, y, 700, sim.now(), stop);
    sim.run_until(stop + 50);
    sim.now_at(2, [](Registry& r) { r.deregister("api", "y"); });
    std::vector<bool> tombstoned(sim.size(), false);
    for (int step = 0; step < 400; ++step) {
        sim.run_rounds(0.1);
        for (std::size_t i = 0; i < sim.size(); ++i) {
            if (sim.registry(i).tombstones().contains({"api", "y"})) tombstoned[i] = true;
            ASSERT_FALSE(tombstoned[i] && sim.has_live(i, "api", "y")) << "resurrected on node " << i;
        }
    }
    EXPECT_TRUE(sim.all_up([&](std::size_t i) { return !sim.has_live(i, "api", "y"); }));
    EXPECT_TRUE(everyone_has_tombstone(sim, {"api", "y"}));
}

TEST(GossipSimulation, RelayedCopiesNeverExtendTheLease) {
    SimConfig config = config_of(60, 19);
    config.max_delay_ms = 200;
    config.loss = 0.1;
    Simulation sim(config);
    sim.run_rounds(10);
    const InstanceSpec z = Simulation::instance("api", "z", 10'000);
    const std::int64_t begin = sim.now();
    sim.heartbeat(3, z, 3'000, begin, begin + 30'000);
    const std::int64_t last_heartbeat = begin + 27'000;
    // One push hop carries no transit time; pulls count their whole round trip.
    const std::int64_t bound = config.max_delay_ms;
    std::int64_t latest = 0;
    while (sim.now() < last_heartbeat + 10'000 + bound + 2 * sim.interval()) {
        sim.run_rounds(0.1);
        for (std::size_t i = 0; i < sim.size(); ++i)
            if (auto end = sim.lease_end(i, "api", "z")) latest = std::max(latest, *end);
    }
    std::printf("[ gossip   ] latest lease end seen on any node: %lld ms after the source's\n",
                static_cast<long long>(latest - (last_heartbeat + 10'000)));
    EXPECT_LE(latest, last_heartbeat + 10'000 + bound);
    EXPECT_TRUE(sim.all_up([&](std::size_t i) { return !sim.has_live(i, "api", "z"); }));
}

class SelfPreservationSim : public ::testing::Test {
protected:
    static constexpr std::size_t nodes = 30;
    static constexpr int instances = 60;
    Simulation sim{config_of(nodes, 23)};

    void SetUp() override {
        // 60 instances, two per node, heartbeating every 10 s with a 30 s lease, phases spread.
        for (int k = 0; k < instances; ++k) {
            const std::size_t node = static_cast<std::size_t>(k) % nodes;
            sim.heartbeat(node, Simulation::instance("svc", "i" + std::to_string(k), 30'000), 10'000,
                          100 + k * 163, 400'000);
        }
        sim.run_rounds(40);
        ASSERT_TRUE(sim.all_up([&](std::size_t i) { return view(sim, i).size() == instances; }));
    }
};

TEST_F(SelfPreservationSim, ACutOffNodeKeepsItsInstancesAndResumesWhenRenewalsReturn) {
    sim.partition([](std::size_t i) { return i == 7 ? 1 : 0; });
    sim.run_rounds(60);
    const auto& cut_off = sim.gossip(7).self_preservation().state();
    EXPECT_TRUE(cut_off.active);
    EXPECT_FALSE(cut_off.reason.empty());
    // Up to the share may go before the sweep sees a mass expiry; the rest is kept.
    const std::size_t kept = sim.registry(7).find("svc")->instances.size();
    EXPECT_GE(kept, static_cast<std::size_t>(instances * 85 / 100));
    EXPECT_GT(sim.registry(7).held_count(), kept / 2);
    std::size_t answered = 0;
    for (const auto& [id, inst] : sim.registry(7).find("svc")->instances)
        answered += inst.lease->expires_at.load() > sim.clock(7).mono_ms();  // DNS still answers
    EXPECT_EQ(answered, kept);
    // The others lost only node 7's two instances: ordinary expiry.
    for (std::size_t i = 0; i < nodes; ++i)
        if (i != 7) {
            EXPECT_FALSE(sim.gossip(i).self_preservation().state().active) << "node " << i;
        }
    EXPECT_FALSE(sim.has_live(0, "svc", "i7"));

    sim.heal();
    sim.run_rounds(15);
    EXPECT_FALSE(sim.gossip(7).self_preservation().state().active);
    EXPECT_EQ(view(sim, 7).size(), static_cast<std::size_t>(instances));
    for (std::size_t i = 0; i < nodes; ++i)
        if (i != 7) {
            EXPECT_EQ(sim.gossip(i).self_preservation().activations_total(), 0u) << "node " << i;
        }
}

TEST_F(SelfPreservationSim, ADeadNodeDropsOutEverywhereWithoutTriggeringIt) {
    sim.crash(12);  // kill -9: its heartbeats stop too
    sim.run_rounds(45);
    for (std::size_t i = 0; i < nodes; ++i) {
        if (i == 12) continue;
        EXPECT_EQ(sim.live_members(i), nodes - 1) << "node " << i;
        EXPECT_EQ(sim.registry(i).find(kNodeService)->instances.count(Simulation::node_id(12)), 0u);
        EXPECT_FALSE(sim.has_live(i, "svc", "i12"));
        EXPECT_EQ(sim.gossip(i).self_preservation().activations_total(), 0u) << "node " << i;
    }
}

TEST_F(SelfPreservationSim, ALeavingNodeIsDroppedAtOnce) {
    sim.gossip(12).leave();
    sim.crash(12);
    const auto rounds = sim.rounds_until([&] {
        return sim.all_up([&](std::size_t i) { return sim.registry(i).find(kNodeService)->instances.count(Simulation::node_id(12)) == 0; });
    }, 5);
    ASSERT_TRUE(rounds.has_value());
    EXPECT_LT(*rounds, 2.0);
}

}  // namespace
}  // namespace dnsd::registry::sim
