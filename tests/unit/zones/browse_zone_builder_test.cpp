#include "zones/browse_zone_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "zone_test_support.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

class BrowseZoneBuilderTest : public ::testing::Test {
protected:
    AnswerBuilder builder;
    DnsName apex = *DnsName::from_text("svc");
};

TEST_F(BrowseZoneBuilderTest, OwnerIsTheServiceTypeEnumerationName) {
    EXPECT_EQ(browse_name(apex).to_text(), "_services._dns-sd._udp.svc.");
}

TEST_F(BrowseZoneBuilderTest, ListsEveryServicesTcpNameInOneRotatingPtrSet) {
    const auto zone = build_browse_zone(builder, apex, {"api", "db", "web"});
    ASSERT_TRUE(zone->services.present());
    Decoded d(zone->store.message(zone->services));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.question().at(0).owner, "_services._dns-sd._udp.svc.");
    const auto answer = d.answer();
    ASSERT_EQ(answer.size(), 3u);
    const std::vector<std::string> expected{"_api._tcp.svc.", "_db._tcp.svc.", "_web._tcp.svc."};
    for (std::size_t i = 0; i < answer.size(); ++i) {
        EXPECT_EQ(answer[i].owner, "_services._dns-sd._udp.svc.");
        EXPECT_EQ(answer[i].type, LDNS_RR_TYPE_PTR);
        EXPECT_EQ(answer[i].rdata.at(0), expected[i]);
    }
    EXPECT_TRUE(d.additional().empty());  // RFC 6763 §12.1 asks for none here
    EXPECT_EQ(zone->services.rotation_count, 3);
    // Not tied to any lease: bounded by max_ttl alone.
    EXPECT_TRUE(zone->store.members_of(zone->store.patches_of(zone->services)[0].group).empty());
}

TEST_F(BrowseZoneBuilderTest, NoServiceNoAnswer) {
    EXPECT_FALSE(build_browse_zone(builder, apex, {})->services.present());
}

TEST_F(BrowseZoneBuilderTest, TooManyServicesForOneMessageMakeItIncomplete) {
    std::set<std::string> many;
    for (int i = 0; i < 5000; ++i) many.insert("service-" + std::to_string(i));
    const auto zone = build_browse_zone(builder, apex, many);
    EXPECT_TRUE(zone->services.incomplete);
    EXPECT_GT(zone->services.rotation_count, 1000);
    EXPECT_LT(zone->services.rotation_count, 5000);
}

}  // namespace
}  // namespace dnsd::zones
