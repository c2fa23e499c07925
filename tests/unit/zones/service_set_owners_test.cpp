// The service-level answers (A, AAAA and SRV at S.<apex>) write their owners compressed by hand
// (AnswerBuilder::add_compressed). They must be the very bytes the compression table gives,
// written here the general way (AnswerBuilder::add, every name looked up), for services small
// and large: past 64 KiB the SRV answer drops glue, and an A set past 4,096 records is cut.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "zone_test_support.hpp"
#include "zones/service_zone_builder.hpp"

namespace dnsd::zones {
namespace {

// As many records as the builder's sets take (service_zone_builder.cpp).
constexpr std::size_t set_limit = (limits::max_message - limits::opt_record) / 16 + 1;

class ServiceSetOwnersTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    AnswerBuilder builder;
    AnswerBuilder reference_builder;
    AnswerStore reference_store;
    DnsName apex = *DnsName::from_text("svc");
    DnsName owner = *DnsName::from_text("api.svc");

    void add_instances(int count, bool mixed) {
        for (int n = 0; n < count; ++n) {
            const std::string address = mixed && n % 3 == 0
                                            ? "fd00::" + std::to_string(n + 1)
                                            : "10." + std::to_string(n / 60000) + "." +
                                                  std::to_string(n / 250 % 240) + "." + std::to_string(n % 250 + 1);
            reg.renew(test::make_spec("api", "instance-" + std::to_string(n), address,
                                      static_cast<std::uint16_t>(1000 + n % 50000)));
        }
    }

    // <id>.api.svc, uncompressed.
    std::string instance_name(const InstanceRecord& r) const {
        std::string wire(1, static_cast<char>(r.id().size()));
        wire.append(r.id());
        wire.append(owner.wire());
        return wire;
    }

    std::span<const std::uint8_t> reference_addresses(const std::vector<const InstanceRecord*>& family) {
        reference_builder.begin(reference_store, owner);
        reference_builder.begin_rrset(Section::answer, 0, RrsetOrder::cyclic);
        for (const InstanceRecord* r : family) {
            if (reference_builder.incomplete()) break;
            reference_builder.add(owner.wire(), r->address_type(), [&](WireWriter& w) { w.bytes(r->address()); });
        }
        return reference_store.message(reference_builder.finish());
    }

    std::span<const std::uint8_t> reference_srv(const std::vector<const InstanceRecord*>& members) {
        reference_builder.begin(reference_store, owner);
        reference_builder.begin_rrset(Section::answer, 0, RrsetOrder::cyclic);
        for (const InstanceRecord* r : members) {
            if (reference_builder.incomplete()) break;
            reference_builder.add(owner.wire(), RrType::srv, [&](WireWriter& w) {
                w.u16(r->priority());
                w.u16(r->weight());
                w.u16(r->port());
                w.name(instance_name(*r), Compression::forbidden);
            });
        }
        reference_builder.end_rrset();
        for (const InstanceRecord* r : members) {
            if (reference_builder.incomplete()) break;
            reference_builder.begin_rrset(Section::additional, 0);
            reference_builder.add(instance_name(*r), r->address_type(), [&](WireWriter& w) { w.bytes(r->address()); });
            reference_builder.end_rrset();
        }
        return reference_store.message(reference_builder.finish());
    }

    void expect_reference_bytes() {
        const auto zone = build_service_zone(builder, apex, "api", *reg.find("api"));
        ASSERT_TRUE(zone);
        std::vector<const InstanceRecord*> all;
        std::vector<const InstanceRecord*> v4;
        std::vector<const InstanceRecord*> v6;
        for (const auto& [id, instance] : reg.find("api")->instances) {  // id order
            const InstanceRecord* r = zone->instances.find(id);
            ASSERT_NE(r, nullptr) << id;
            if (all.size() < set_limit) all.push_back(r);
            auto& family = r->address_type() == RrType::a ? v4 : v6;
            if (family.size() < set_limit) family.push_back(r);
        }
        const auto same = [](std::span<const std::uint8_t> got, std::span<const std::uint8_t> want) {
            return std::equal(got.begin(), got.end(), want.begin(), want.end());
        };
        EXPECT_TRUE(same(zone->store.message(zone->srv), reference_srv(all)));
        ASSERT_TRUE(zone->a.present());
        EXPECT_TRUE(same(zone->store.message(zone->a), reference_addresses(v4)));
        if (!v6.empty()) {
            ASSERT_TRUE(zone->aaaa.present());
            EXPECT_TRUE(same(zone->store.message(zone->aaaa), reference_addresses(v6)));
        }
    }
};

TEST_F(ServiceSetOwnersTest, ASmallServiceGetsTheCompressionTablesBytes) {
    add_instances(7, true);
    expect_reference_bytes();
}

TEST_F(ServiceSetOwnersTest, ALargeServiceDropsTheSameGlueAsTheCompressionTable) {
    add_instances(1'500, true);  // SRV and glue past 64 KiB: some glue is left out
    expect_reference_bytes();
}

TEST_F(ServiceSetOwnersTest, AnAddressSetPastItsLimitIsCutTheSameWay) {
    add_instances(4'200, false);  // more A records than a set takes; the SRV answer incomplete
    const auto zone = build_service_zone(builder, apex, "api", *reg.find("api"));
    ASSERT_TRUE(zone);
    EXPECT_TRUE(zone->store.message(zone->srv).size() > 60'000u);
    expect_reference_bytes();
}

}  // namespace
}  // namespace dnsd::zones
