// A critical instance (its health check fails) is in no answer; passing ones are.
#include <gtest/gtest.h>

#include "registry/registry.hpp"
#include "zone_test_support.hpp"
#include "zones/service_zone_builder.hpp"

namespace dnsd::zones {
namespace {

class ServiceZoneHealthTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    AnswerBuilder builder;
    DnsName apex = *DnsName::from_text("svc");

    void add(const std::string& id, const std::string& address, bool critical) {
        registry::InstanceSpec s = test::make_spec("api", id, address, 80);
        s.check = registry::HealthCheck{registry::CheckKind::tcp, address + ":80", 1'000, 500, 0};
        if (critical) s.health = registry::HealthState{registry::Health::critical, "refused", 1};
        reg.renew(s);
    }
    std::shared_ptr<const ServiceZone> build() {
        return build_service_zone(builder, apex, "api", *reg.find("api"));
    }
};

TEST_F(ServiceZoneHealthTest, CriticalInstanceIsInNoAnswer) {
    add("a", "10.0.0.1", false);
    add("b", "10.0.0.2", true);
    const auto zone = build();
    ASSERT_TRUE(zone);
    test::Decoded a(zone->store.message(zone->a));
    ASSERT_EQ(a.answer().size(), 1u);
    EXPECT_EQ(a.answer()[0].rdata.at(0), "10.0.0.1");
    test::Decoded srv(zone->store.message(zone->srv));
    EXPECT_EQ(srv.answer().size(), 1u);
    EXPECT_EQ(zone->instances.count("b"), 0u);
    EXPECT_EQ(zone->instances.count("a"), 1u);
}

TEST_F(ServiceZoneHealthTest, AllCriticalLeavesTheServiceWithoutRecords) {
    add("b", "10.0.0.2", true);
    const auto zone = build();
    ASSERT_TRUE(zone);  // the service is still known: NODATA, not NXDOMAIN
    EXPECT_FALSE(zone->a.present());
    EXPECT_FALSE(zone->srv.present());
    EXPECT_TRUE(zone->instances.empty());
}

TEST_F(ServiceZoneHealthTest, PassingAgainIsBackInTheAnswers) {
    add("b", "10.0.0.2", true);
    add("b", "10.0.0.2", false);
    const auto zone = build();
    test::Decoded a(zone->store.message(zone->a));
    EXPECT_EQ(a.answer().size(), 1u);
}

}  // namespace
}  // namespace dnsd::zones
