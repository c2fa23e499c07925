#include "registry/clock.hpp"

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

TEST(SystemClock, MonotonicNeverGoesBackAndWallIsUnixMs) {
    SystemClock c;
    const MonoMs a = c.mono_ms();
    const MonoMs b = c.mono_ms();
    EXPECT_LE(a, b);
    EXPECT_GT(c.wall_ms(), 1'700'000'000'000);  // after 2023: milliseconds, not seconds
}

TEST(ManualClock, AdvancesBothClocks) {
    ManualClock c(100, 5'000);
    c.advance_ms(50);
    EXPECT_EQ(c.mono_ms(), 150);
    EXPECT_EQ(c.wall_ms(), 5'050);
    c.set_wall_ms(1);
    EXPECT_EQ(c.mono_ms(), 150);
}

}  // namespace
}  // namespace dnsd::registry
