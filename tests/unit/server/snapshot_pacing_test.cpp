#include "dnsd/snapshot_pacing.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

using namespace std::chrono_literals;
using Clock = SnapshotPacing::Clock;

TEST(SnapshotPacing, BeforeAnyWriteTheWantedDelayStands) {
    const SnapshotPacing pacing;
    EXPECT_EQ(pacing.delay(1000ms, Clock::now()), 1000ms);
    EXPECT_EQ(pacing.delay(0ms, Clock::now()), 0ms);
    EXPECT_EQ(pacing.last_rest(), 0ms);
}

TEST(SnapshotPacing, ACheapWriteKeepsTheSchedulersOwnDelays) {
    SnapshotPacing pacing;
    const Clock::time_point t0{};
    pacing.wrote(t0, t0 + 20ms);  // a small registry: 180 ms of rest
    EXPECT_EQ(pacing.last_cost(), 20ms);
    EXPECT_EQ(pacing.last_rest(), 180ms);
    EXPECT_EQ(pacing.delay(1000ms, t0 + 20ms), 1000ms);
    EXPECT_EQ(pacing.delay(5000ms, t0 + 20ms), 5000ms);
}

TEST(SnapshotPacing, AnExpensiveWriteIsFollowedByNineTimesItsCostOfRest) {
    SnapshotPacing pacing;
    const Clock::time_point t0{};
    pacing.wrote(t0, t0 + 2s);  // capture + encode + write of a large registry
    EXPECT_EQ(pacing.last_rest(), 18s);
    // Right after: the whole rest, whatever the scheduler wanted.
    EXPECT_EQ(pacing.delay(1000ms, t0 + 2s), 18s);
    // Later, what is left of it; once over, the wanted delay again.
    EXPECT_EQ(pacing.delay(1000ms, t0 + 12s), 8s);
    EXPECT_EQ(pacing.delay(1000ms, t0 + 19500ms), 1000ms);
    EXPECT_EQ(pacing.delay(1000ms, t0 + 60s), 1000ms);
    // So snapshot work takes at most a tenth of the time: 2 s of every 20.
    EXPECT_EQ(pacing.last_cost() * (1 + SnapshotPacing::rest_factor), 20s);
}

TEST(SnapshotPacing, TheRestIsCappedSoTheFileNeverLagsLongerThanAMinute) {
    SnapshotPacing pacing;
    const Clock::time_point t0{};
    pacing.wrote(t0, t0 + 30s);
    EXPECT_EQ(pacing.last_rest(), SnapshotPacing::max_rest);
    EXPECT_EQ(pacing.delay(1000ms, t0 + 30s), 60s);
}

TEST(SnapshotPacing, EachWriteReplacesTheRestOfThePreviousOne) {
    SnapshotPacing pacing;
    const Clock::time_point t0{};
    pacing.wrote(t0, t0 + 3s);
    pacing.wrote(t0 + 30s, t0 + 30s + 10ms);  // the registry shrank
    EXPECT_EQ(pacing.delay(1000ms, t0 + 30s + 10ms), 1000ms);
    EXPECT_EQ(pacing.last_rest(), 90ms);
}

TEST(SnapshotPacing, AClockThatGoesNowhereCostsNothing) {
    SnapshotPacing pacing;
    const Clock::time_point t0{};
    pacing.wrote(t0 + 1s, t0);  // finished "before" it started: treated as free
    EXPECT_EQ(pacing.last_cost(), 0ms);
    EXPECT_EQ(pacing.delay(1000ms, t0), 1000ms);
}

}  // namespace
}  // namespace dnsd
