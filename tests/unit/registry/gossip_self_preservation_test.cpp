#include "registry/gossip_self_preservation.hpp"

#include <gtest/gtest.h>

#include "instance_spec.hpp"

#include "registry/names.hpp"

namespace dnsd::registry {
namespace {

using test::instance_spec;

class SelfPreservationTest : public ::testing::Test {
protected:
    ManualClock clock;
    Registry reg{clock};
    SelfPreservation guard;

    // `dying` instances with a short lease among `total`.
    void populate(int total, int dying) {
        for (int i = 0; i < total; ++i)
            reg.renew(instance_spec("api", "i" + std::to_string(i), i < dying ? 1'000 : 600'000));
    }
};

TEST_F(SelfPreservationTest, AFewExpiriesAreOrdinary) {
    populate(20, 3);  // 15%: not more than the share
    clock.advance_ms(1'001);
    EXPECT_EQ(guard.sweep(reg), 3u);
    EXPECT_FALSE(guard.state().active);
}

TEST_F(SelfPreservationTest, ASingleExpiryNeverTriggersEvenInATinyRegistry) {
    populate(2, 1);
    clock.advance_ms(1'001);
    EXPECT_EQ(guard.sweep(reg), 1u);
    EXPECT_FALSE(guard.state().active);
}

TEST_F(SelfPreservationTest, AMassExpiryIsHeldAndSaysWhy) {
    populate(20, 4);
    clock.set_wall_ms(1'770'000'123'000);
    clock.advance_ms(1'001);
    EXPECT_EQ(guard.sweep(reg), 0u);
    EXPECT_TRUE(guard.state().active);
    EXPECT_EQ(guard.state().since_wall_ms, clock.wall_ms());
    EXPECT_NE(guard.state().reason.find("4 of 20 instances"), std::string::npos);
    EXPECT_EQ(reg.instance_count(), 20u);
    EXPECT_EQ(guard.activations_total(), 1u);
}

TEST_F(SelfPreservationTest, ExpiriesSpreadOverTheWindowCountTogether) {
    for (int i = 0; i < 20; ++i)
        reg.renew(instance_spec("api", "i" + std::to_string(i), i < 6 ? 1'000 + i * 1'000 : 600'000));
    std::size_t evicted = 0;
    for (int s = 0; s < 8; ++s) {
        clock.advance_ms(1'000);
        evicted += guard.sweep(reg);
    }
    EXPECT_EQ(evicted, 3u);  // 3 of 20 is the share; the fourth within the window is held
    EXPECT_TRUE(guard.state().active);
}

TEST_F(SelfPreservationTest, ResumesWhenRenewalsReviveTheHeldInstances) {
    populate(20, 4);
    clock.advance_ms(1'001);
    guard.sweep(reg);
    ASSERT_TRUE(guard.state().active);
    for (int i = 0; i < 4; ++i) reg.renew(instance_spec("api", "i" + std::to_string(i), 1'000));
    guard.sweep(reg);
    EXPECT_FALSE(guard.state().active);
    EXPECT_EQ(reg.instance_count(), 20u);
}

TEST_F(SelfPreservationTest, ResumesAfterAWindowOfPeerNewsAndEvictsTheReallyDead) {
    populate(20, 4);
    clock.advance_ms(1'001);
    guard.sweep(reg);
    ASSERT_TRUE(guard.state().active);
    for (int s = 0; s < 10; ++s) {
        clock.advance_ms(1'000);
        guard.note_peer_news(clock.mono_ms());
        guard.sweep(reg);
    }
    EXPECT_TRUE(guard.state().active);  // 10 s of news: exactly the window, not more yet
    clock.advance_ms(1'000);
    guard.note_peer_news(clock.mono_ms());
    EXPECT_EQ(guard.sweep(reg), 4u);
    EXPECT_FALSE(guard.state().active);
}

TEST_F(SelfPreservationTest, ASmallRegistryAlwaysHonoursExpiry) {
    populate(19, 10);  // more than half expire, but 19 is below the minimum population
    clock.advance_ms(1'001);
    EXPECT_EQ(guard.sweep(reg), 10u);
    EXPECT_FALSE(guard.state().active);
    EXPECT_EQ(reg.instance_count(), 9u);
}

TEST_F(SelfPreservationTest, NodesAreNeverHeld) {
    for (int i = 0; i < 5; ++i) reg.renew(instance_spec(std::string(kNodeService), "n" + std::to_string(i), i < 3 ? 1'000 : 600'000));
    clock.advance_ms(1'001);
    EXPECT_EQ(guard.sweep(reg), 3u);
    EXPECT_FALSE(guard.state().active);
}

TEST_F(SelfPreservationTest, DisabledAlwaysEvicts) {
    SelfPreservation off(SelfPreservationOptions{.enabled = false});
    populate(10, 9);
    clock.advance_ms(1'001);
    EXPECT_EQ(off.sweep(reg), 9u);
    EXPECT_FALSE(off.state().active);
}

}  // namespace
}  // namespace dnsd::registry
