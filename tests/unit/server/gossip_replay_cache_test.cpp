#include "dnsd/gossip_replay_cache.hpp"

#include <gtest/gtest.h>

// A named namespace of its own: the test target is a unity build.
namespace dnsd::gossip_replay_cache_test {
namespace {

TEST(GossipReplayCache, RefusesANonceWithinTheWindowAndForgetsItAfter) {
    GossipReplayCache cache(600'000, 100);
    EXPECT_TRUE(cache.first_sight(42, 1'000));
    EXPECT_FALSE(cache.first_sight(42, 1'000));
    EXPECT_FALSE(cache.first_sight(42, 601'000));
    EXPECT_TRUE(cache.first_sight(43, 601'000));
    EXPECT_TRUE(cache.first_sight(42, 601'001));  // 42 was seen 600'001 ms ago
    EXPECT_EQ(cache.size(), 2u);
}

TEST(GossipReplayCache, StaysWithinItsCapacityForgettingTheOldestFirst) {
    GossipReplayCache cache(600'000, 3);
    for (std::uint64_t nonce = 1; nonce <= 5; ++nonce) EXPECT_TRUE(cache.first_sight(nonce, 10));
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(cache.forgotten_early(), 2u);
    EXPECT_FALSE(cache.first_sight(5, 10));
    EXPECT_FALSE(cache.first_sight(3, 10));
    EXPECT_TRUE(cache.first_sight(1, 10));  // forgotten early: the price of bounded memory
}

}  // namespace
}  // namespace dnsd::gossip_replay_cache_test
