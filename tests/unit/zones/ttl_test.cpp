#include "zones/ttl.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace dnsd::zones {
namespace {

TEST(Ttl, NoLeasesMeansMaxTtl) { EXPECT_EQ(lease_ttl({}, 1'000, 5), 5u); }

TEST(Ttl, RemainingLeaseInWholeSecondsRoundedDown) {
    registry::LeaseCell cell(10'999);
    const std::vector<const registry::LeaseCell*> one{&cell};
    EXPECT_EQ(lease_ttl(one, 8'000, 60), 2u);   // 2.999 s
    EXPECT_EQ(lease_ttl(one, 10'000, 60), 0u);  // 0.999 s
    EXPECT_EQ(lease_ttl(one, 0, 5), 5u);        // capped
    EXPECT_EQ(lease_ttl(one, 10'999, 5), 0u);   // the end itself
    EXPECT_EQ(lease_ttl(one, 20'000, 5), 0u);   // past it: never negative
}

TEST(Ttl, TheShortestLeaseOfTheGroupWins) {
    registry::LeaseCell a(100'000);
    registry::LeaseCell b(4'500);
    registry::LeaseCell c(50'000);
    const std::vector<const registry::LeaseCell*> group{&a, &b, &c};
    EXPECT_EQ(lease_ttl(group, 1'000, 30), 3u);
    b.expires_at = 90'000;  // renewed in place
    EXPECT_EQ(lease_ttl(group, 1'000, 30), 30u);
}

TEST(Ttl, ARemovedInstanceReadsAsExpired) {
    // The registry moves a removed instance's lease far into the past.
    registry::LeaseCell gone(std::numeric_limits<registry::MonoMs>::min() / 2);
    const std::vector<const registry::LeaseCell*> one{&gone};
    EXPECT_EQ(lease_ttl(one, 1'000'000, 5), 0u);
}

}  // namespace
}  // namespace dnsd::zones
