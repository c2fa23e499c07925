#include "zones/apex_zone.hpp"

#include <gtest/gtest.h>

namespace dnsd::zones {
namespace {

TEST(ApexZone, SoaNsAnyAndNodata) {
    ApexZone zone;
    zone.soa.bytes_begin = 1;
    zone.soa.size = 1;
    zone.ns.bytes_begin = 2;
    zone.ns.size = 1;
    EXPECT_EQ(zone.at_apex(6).answer, &zone.soa);
    EXPECT_EQ(zone.at_apex(6).store, &zone.store);
    EXPECT_EQ(zone.at_apex(2).answer, &zone.ns);
    EXPECT_EQ(zone.at_apex(255).answer, &zone.soa);  // ANY: the SOA alone (RFC 8482)
    for (std::uint16_t t : {1, 16, 28, 33, 12})
        EXPECT_EQ(zone.at_apex(t).kind, LookupKind::nodata) << t;
}

}  // namespace
}  // namespace dnsd::zones
