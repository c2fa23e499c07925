#include "dnsd/dnsctl_srv_pick.hpp"

#include <gtest/gtest.h>

#include <map>

namespace dnsd::ctl {
namespace {

SrvTarget srv_entry(const std::string& name, std::uint16_t priority, std::uint16_t weight) {
    return SrvTarget{name, priority, weight, 8861, {"10.0.0.1"}};
}

// A source that returns the given draws in turn and records the bounds it was asked for.
struct ScriptedRandom {
    explicit ScriptedRandom(std::vector<std::uint64_t> scripted) : draws(std::move(scripted)) {}
    std::vector<std::uint64_t> draws;
    std::vector<std::uint64_t> bounds;
    std::size_t next = 0;
    UniformRandom source() {
        return [this](std::uint64_t upper) {
            bounds.push_back(upper);
            return draws.at(next++);
        };
    }
};

TEST(DnsctlSrvPick, EmptyListPicksNothing) {
    ScriptedRandom random({});
    EXPECT_FALSE(pick_srv({}, random.source()));
}

TEST(DnsctlSrvPick, OnlyTheLowestPriorityGroupIsConsidered) {
    const std::vector<SrvTarget> targets = {srv_entry("backup", 10, 1000), srv_entry("a", 1, 10),
                                            srv_entry("b", 1, 30)};
    ScriptedRandom random({40});
    EXPECT_EQ(pick_srv(targets, random.source()), 2u);
    ASSERT_EQ(random.bounds.size(), 1u);
    EXPECT_EQ(random.bounds[0], 40u) << "the draw spans the weights of priority 1 only";
}

TEST(DnsctlSrvPick, RunningSumSelectsTheFirstAtLeastTheDraw) {
    const std::vector<SrvTarget> targets = {srv_entry("a", 0, 10), srv_entry("b", 0, 30)};
    for (std::uint64_t draw : {0u, 1u, 10u}) {
        ScriptedRandom random({draw});
        EXPECT_EQ(pick_srv(targets, random.source()), 0u) << draw;
    }
    for (std::uint64_t draw : {11u, 40u}) {
        ScriptedRandom random({draw});
        EXPECT_EQ(pick_srv(targets, random.source()), 1u) << draw;
    }
}

TEST(DnsctlSrvPick, WeightZeroIsChosenOnlyOnADrawOfZero) {
    const std::vector<SrvTarget> targets = {srv_entry("heavy", 0, 5), srv_entry("zero", 0, 0)};
    ScriptedRandom zero_draw({0, 0});
    EXPECT_EQ(pick_srv(targets, zero_draw.source()), 1u) << "weight 0 entries come first in the arrangement";
    ScriptedRandom one_draw({1});
    EXPECT_EQ(pick_srv(targets, one_draw.source()), 0u);
}

TEST(DnsctlSrvPick, AllZeroWeightsAreChosenUniformly) {
    const std::vector<SrvTarget> targets = {srv_entry("a", 0, 0), srv_entry("b", 0, 0), srv_entry("c", 0, 0)};
    ScriptedRandom random({0, 2});
    EXPECT_EQ(pick_srv(targets, random.source()), 2u);
    ASSERT_EQ(random.bounds.size(), 2u);
    EXPECT_EQ(random.bounds[0], 0u) << "the sum of the weights";
    EXPECT_EQ(random.bounds[1], 2u) << "a random arrangement of the three weight-0 entries";
}

TEST(DnsctlSrvPick, SystemRandomFollowsTheWeights) {
    const std::vector<SrvTarget> targets = {srv_entry("a", 0, 1), srv_entry("b", 0, 3), srv_entry("c", 1, 100)};
    std::map<std::size_t, int> counts;
    const auto random = system_random();
    for (int i = 0; i < 4000; ++i) ++counts[*pick_srv(targets, random)];
    EXPECT_EQ(counts[2], 0) << "never the higher priority";
    // Expected shares: a (1+1)/5 (it also takes the draw of 0), b 3/5.
    EXPECT_GT(counts[1], counts[0]);
    EXPECT_GT(counts[0], 400);
}

}  // namespace
}  // namespace dnsd::ctl
