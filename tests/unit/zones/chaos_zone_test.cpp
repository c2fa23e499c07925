#include "zones/chaos_zone.hpp"

#include <gtest/gtest.h>

#include "raw_message.hpp"
#include "zones/wire_reader.hpp"

namespace dnsd::zones {
namespace {

using test::query_name;

class ChaosZoneTest : public ::testing::Test {
protected:
    ChaosZone zone;
    void SetUp() override {
        PreparedAnswer version;
        version.size = 1;
        version.bytes_begin = 7;
        zone.names.push_back({*DnsName::from_text("version.bind"), version});
        zone.names.push_back({*DnsName::from_text("id.server"), PreparedAnswer{}});  // absent
    }
};

TEST_F(ChaosZoneTest, TxtAndAnyAtAKnownName) {
    for (std::uint16_t type : {16, 255}) {
        const Lookup found = zone.find(query_name("VERSION.bind"), type);  // reader lower-cases
        EXPECT_EQ(found.kind, LookupKind::answer);
        EXPECT_EQ(found.store, &zone.store);
        ASSERT_NE(found.answer, nullptr);
        EXPECT_EQ(found.answer->bytes_begin, 7u);
    }
}

TEST_F(ChaosZoneTest, EverythingElseIsRefused) {
    EXPECT_EQ(zone.find(query_name("version.bind"), 1).kind, LookupKind::refused);
    EXPECT_EQ(zone.find(query_name("id.server"), 16).kind, LookupKind::refused);
    EXPECT_EQ(zone.find(query_name("authors.bind"), 16).kind, LookupKind::refused);
    EXPECT_EQ(zone.find(query_name("bind"), 16).kind, LookupKind::refused);
    EXPECT_EQ(zone.find(query_name("x.version.bind"), 16).kind, LookupKind::refused);
}

}  // namespace
}  // namespace dnsd::zones
