#include "dnsd/publish_gate.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

using namespace std::chrono_literals;
using GateClock = PublishGate::Clock;

TEST(PublishGate, FirstChangeOfATurnMakesOnePublicationDue) {
    PublishGate gate(10);
    const GateClock::time_point t0{};
    EXPECT_FALSE(gate.due());
    EXPECT_TRUE(gate.changed(11, t0));         // schedule one
    EXPECT_TRUE(gate.due());
    EXPECT_FALSE(gate.changed(12, t0 + 1ms));  // rides along
    EXPECT_FALSE(gate.changed(13, t0 + 2ms));
    EXPECT_FALSE(gate.visible(11));
    EXPECT_TRUE(gate.visible(10));

    const auto waited = gate.published(13, t0 + 3ms);
    ASSERT_TRUE(waited.has_value());
    EXPECT_EQ(*waited, 3ms);  // the oldest change's wait, not the newest's
    EXPECT_FALSE(gate.due());
    EXPECT_TRUE(gate.visible(11));
    EXPECT_TRUE(gate.visible(13));
    EXPECT_FALSE(gate.visible(14));
    EXPECT_EQ(gate.published_index(), 13u);

    EXPECT_TRUE(gate.changed(14, t0 + 5ms));  // the next turn schedules again
    EXPECT_EQ(*gate.published(14, t0 + 5ms + 250us), 250us);
}

TEST(PublishGate, AnIndexAlreadyPublishedNeedsNoPublication) {
    PublishGate gate(7);
    EXPECT_FALSE(gate.changed(7, GateClock::time_point{}));
    EXPECT_FALSE(gate.changed(3, GateClock::time_point{}));
    EXPECT_FALSE(gate.due());
}

TEST(PublishGate, APublicationNobodyAskedForIsNotTimed) {
    // The start's full build, a zone-file reload: they publish, but no change waited.
    PublishGate gate;
    EXPECT_FALSE(gate.published(5, GateClock::time_point{}).has_value());
    EXPECT_EQ(gate.published_index(), 5u);
    EXPECT_TRUE(gate.visible(5));
    // The published index never goes back.
    gate.published(4, GateClock::time_point{});
    EXPECT_EQ(gate.published_index(), 5u);
}

}  // namespace
}  // namespace dnsd
