#include "zones/service_zone_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "zone_test_support.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;
using test::make_spec;

class ServiceZoneBuilderTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    AnswerBuilder builder;
    DnsName apex = *DnsName::from_text("svc");

    std::shared_ptr<const ServiceZone> build(const std::string& name) {
        return build_service_zone(builder, apex, name, *reg.find(name));
    }
};

TEST_F(ServiceZoneBuilderTest, PreparesServiceAndInstanceAnswers) {
    reg.renew(make_spec("api", "b", "10.0.0.2", 81));
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("api", "c", "fd00::3", 82));
    const auto zone = build("api");
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->name, "api");

    Decoded a(zone->store.message(zone->a));
    EXPECT_EQ(a.question().at(0).owner, "api.svc.");
    ASSERT_EQ(a.answer().size(), 2u);
    EXPECT_EQ(a.answer()[0].rdata.at(0), "10.0.0.1");  // instances in id order
    EXPECT_EQ(a.answer()[1].rdata.at(0), "10.0.0.2");

    Decoded aaaa(zone->store.message(zone->aaaa));
    ASSERT_EQ(aaaa.answer().size(), 1u);
    EXPECT_EQ(aaaa.answer()[0].rdata.at(0), "fd00::3");

    Decoded srv(zone->store.message(zone->srv));
    ASSERT_EQ(srv.answer().size(), 3u);
    EXPECT_EQ(srv.answer()[2].rdata, (std::vector<std::string>{"0", "100", "82", "c.api.svc."}));
    ASSERT_EQ(srv.additional().size(), 3u);
    EXPECT_EQ(srv.additional()[2].owner, "c.api.svc.");
    EXPECT_EQ(srv.additional()[2].type, LDNS_RR_TYPE_AAAA);

    // _api._tcp.svc SRV is written at send time (query_test.cpp); the builder keeps the size
    // of its answer records: 12 bytes of head, 6 of priority, weight and port, and the target
    // <id>.api.svc written whole (1 + 1 + 4 + 4 + 1 bytes for a one-letter id).
    EXPECT_EQ(zone->tcp_srv_size, 3u * (12 + 6 + 11));

    // The instances' own answers are written at query time from their records.
    ASSERT_EQ(zone->instances.size(), 3u);
    const InstanceRecord* c = zone->instances.find("c");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->id(), "c");
    EXPECT_EQ(c->address_type(), RrType::aaaa);
    EXPECT_EQ(c->address().size(), 16u);
    EXPECT_EQ(c->port(), 82);
    EXPECT_EQ(c->priority(), 0);
    EXPECT_EQ(c->weight(), 100);
    EXPECT_EQ(c->lease(), reg.find("api", "c")->lease.get());
    EXPECT_EQ(zone->instances.find("a")->address_type(), RrType::a);
    EXPECT_EQ(zone->instances.find("d"), nullptr);
}

TEST_F(ServiceZoneBuilderTest, PreparesTheDnsSdBrowseAnswers) {
    reg.renew([] {
        auto s = make_spec("api", "a", "10.0.0.1", 80);
        s.version = "1.0";
        return s;
    }());
    reg.renew(make_spec("api", "b", "fd00::2", 81));
    const auto zone = build("api");

    // _api._tcp.svc PTR is written at send time (query_test.cpp); the builder keeps the size
    // of its PTR set: per instance 12 bytes of record head, the id label and a pointer.
    EXPECT_EQ(zone->enumeration_size, 2u * (12 + 2 + 2));

    // The records carry the TXT rdata the browse answer holds, ready to copy.
    const auto txt = zone->instances.find("a")->txt_rdata();
    EXPECT_EQ(std::string(txt.begin(), txt.end()), "\x0bversion=1.0");
    const auto empty = zone->instances.find("b")->txt_rdata();
    EXPECT_EQ(std::vector<std::uint8_t>(empty.begin(), empty.end()), std::vector<std::uint8_t>{0});
}

TEST_F(ServiceZoneBuilderTest, TxtRdataCutsLongStringsAt255Bytes) {
    reg.renew([] {
        auto s = make_spec("api", "a", "10.0.0.1", 80);
        s.version = "2";
        s.meta = {{"k", std::string(300, 'v')}, {"z", ""}};
        return s;
    }());
    const auto zone = build("api");
    const auto txt = zone->instances.find("a")->txt_rdata();
    const std::string bytes(txt.begin(), txt.end());
    ASSERT_EQ(bytes.size(), 10u + 256u + 3u);
    EXPECT_EQ(bytes.substr(0, 10), "\x09version=2");
    EXPECT_EQ(static_cast<unsigned char>(bytes[10]), 255u);
    EXPECT_EQ(bytes.substr(11, 2), "k=");
    EXPECT_EQ(bytes.substr(266), "\x02z=");
}

TEST_F(ServiceZoneBuilderTest, SetsOfSeveralRecordsRotate) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    reg.renew(make_spec("api", "c", "fd00::3", 80));
    const auto zone = build("api");
    EXPECT_EQ(zone->a.rotation_count, 2);
    EXPECT_EQ(zone->aaaa.rotation_count, 0);  // one record: nothing to rotate
    EXPECT_EQ(zone->srv.rotation_count, 3);
}

TEST_F(ServiceZoneBuilderTest, TtlsReadTheRegistrysOwnLeaseCells) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    reg.renew(make_spec("api", "c", "fd00::3", 80));
    const auto zone = build("api");
    const AnswerStore& store = zone->store;
    const auto cell = [&](const char* id) { return reg.find("api", id)->lease.get(); };

    // The A set's group: the IPv4 instances, no others.
    const auto a_group = store.members_of(store.patches_of(zone->a)[0].group);
    EXPECT_EQ(std::vector<const registry::LeaseCell*>(a_group.begin(), a_group.end()),
              (std::vector<const registry::LeaseCell*>{cell("a"), cell("b")}));
    // The SRV set: all; each glue record: its own instance.
    const auto srv_patches = store.patches_of(zone->srv);
    ASSERT_EQ(srv_patches.size(), 6u);
    EXPECT_EQ(store.members_of(srv_patches[0].group).size(), 3u);
    EXPECT_EQ(srv_patches[0].group, srv_patches[2].group);
    EXPECT_EQ(store.members_of(srv_patches[5].group)[0], cell("c"));
    // Instance answers: that instance alone.
    EXPECT_EQ(zone->instances.find("b")->lease(), cell("b"));
}

TEST_F(ServiceZoneBuilderTest, KnownServiceWithoutInstancesHasNoAnswers) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    ASSERT_TRUE(reg.deregister("api", "a"));
    const auto zone = build("api");
    ASSERT_TRUE(zone);
    EXPECT_FALSE(zone->a.present());
    EXPECT_FALSE(zone->aaaa.present());
    EXPECT_FALSE(zone->srv.present());
    EXPECT_EQ(zone->tcp_srv_size, 0u);
    EXPECT_EQ(zone->enumeration_size, 0u);
    EXPECT_TRUE(zone->instances.empty());
    EXPECT_TRUE(zone->store.bytes.empty());
}

TEST_F(ServiceZoneBuilderTest, OnlyOneFamilyMeansNoAnswerForTheOther) {
    reg.renew(make_spec("v6", "a", "fd00::1", 80));
    const auto zone = build("v6");
    EXPECT_FALSE(zone->a.present());
    EXPECT_TRUE(zone->aaaa.present());
}

TEST_F(ServiceZoneBuilderTest, SixtyThreeByteServiceHasNoTcpName) {
    const std::string name(63, 's');
    reg.renew(make_spec(name, "a", "10.0.0.1", 80));
    const auto zone = build(name);
    ASSERT_TRUE(zone);
    EXPECT_TRUE(zone->srv.present());
    EXPECT_EQ(zone->tcp_srv_size, 0u);  // "_" + 63 bytes is no label
    EXPECT_EQ(zone->enumeration_size, 0u);
    EXPECT_FALSE(zone->has_tcp_name);
    EXPECT_EQ(zone->at_dnssd_instance("a", 33).kind, LookupKind::nxdomain);
    EXPECT_EQ(zone->at_instance("a", 33).kind, LookupKind::answer);
}

TEST_F(ServiceZoneBuilderTest, InstancesWhoseNameWouldBeTooLongAreLeftOut) {
    const std::string l62(62, 'x');
    apex = *DnsName::from_text(l62 + "." + l62 + "." + l62);  // 190 bytes
    reg.renew(make_spec("api", "short", "10.0.0.1", 80));
    reg.renew(make_spec("api", std::string(61, 'i'), "10.0.0.2", 80));  // 256 bytes
    const auto zone = build("api");
    ASSERT_TRUE(zone);
    EXPECT_EQ(zone->instances.size(), 1u);
    EXPECT_EQ(zone->instances.count("short"), 1u);
    EXPECT_EQ(Decoded(zone->store.message(zone->a)).answer().size(), 1u);
}

// --- Generations share what did not change ---

TEST_F(ServiceZoneBuilderTest, UnchangedInstancesKeepTheirRecordsAcrossGenerations) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    reg.renew(make_spec("api", "c", "10.0.0.3", 80));
    const auto first = build("api");

    reg.renew(make_spec("api", "b", "10.0.0.22", 80));  // changed
    ASSERT_TRUE(reg.deregister("api", "c"));             // gone
    reg.renew(make_spec("api", "d", "10.0.0.4", 80));   // new
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));   // renewed only: same record
    const auto second = build_service_zone(builder, apex, "api", *reg.find("api"), first.get());

    EXPECT_EQ(second->instances.size(), 3u);
    EXPECT_EQ(second->instances.find("a"), first->instances.find("a"));
    ASSERT_NE(second->instances.find("b"), nullptr);
    EXPECT_NE(second->instances.find("b"), first->instances.find("b"));
    EXPECT_EQ(second->instances.find("b")->address()[3], 22);
    EXPECT_EQ(second->instances.find("c"), nullptr);
    EXPECT_NE(second->instances.find("d"), nullptr);
    // The previous generation is untouched: it may still be answering queries.
    EXPECT_EQ(first->instances.size(), 3u);
    EXPECT_EQ(first->instances.find("b")->address()[3], 2);
    EXPECT_NE(first->instances.find("c"), nullptr);
    // The service-level answers are rebuilt from the new set.
    EXPECT_EQ(Decoded(second->store.message(second->a)).answer().size(), 3u);
}

TEST_F(ServiceZoneBuilderTest, InstanceTurningCriticalLeavesTheTableAndComesBack) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    const auto first = build("api");
    auto critical = make_spec("api", "b", "10.0.0.2", 80);
    critical.health.edit().status = registry::Health::critical;
    reg.renew(critical);
    const auto second = build_service_zone(builder, apex, "api", *reg.find("api"), first.get());
    EXPECT_EQ(second->instances.count("b"), 0u);
    EXPECT_EQ(second->instances.find("a"), first->instances.find("a"));
    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    const auto third = build_service_zone(builder, apex, "api", *reg.find("api"), second.get());
    EXPECT_EQ(third->instances.count("b"), 1u);
}

TEST_F(ServiceZoneBuilderTest, LargeServiceIsShardedAndOneChangeSharesTheOtherShards) {
    for (int i = 0; i < 3000; ++i) reg.renew(make_spec("big", "i" + std::to_string(i), "10.0.0.1", 80));
    const auto first = build("big");
    ASSERT_EQ(first->instances.size(), 3000u);
    EXPECT_GE(first->instances.shard_count(), 16u);
    for (int i = 0; i < 3000; i += 7) ASSERT_NE(first->instances.find("i" + std::to_string(i)), nullptr) << i;

    reg.renew(make_spec("big", "i3000", "10.0.0.2", 80));
    ASSERT_TRUE(reg.deregister("big", "i17"));
    const auto second = build_service_zone(builder, apex, "big", *reg.find("big"), first.get());
    EXPECT_EQ(second->instances.size(), 3000u);
    EXPECT_EQ(second->instances.shard_count(), first->instances.shard_count());
    EXPECT_EQ(second->instances.find("i17"), nullptr);
    EXPECT_NE(second->instances.find("i3000"), nullptr);
    std::size_t shared = 0;
    for (int i = 0; i < 3000; ++i) {
        const std::string id = "i" + std::to_string(i);
        if (i == 17) continue;
        ASSERT_EQ(second->instances.find(id), first->instances.find(id)) << id;
        ++shared;
    }
    EXPECT_EQ(shared, 2999u);
}

TEST_F(ServiceZoneBuilderTest, GrowingServiceReshardsAndKeepsEveryRecord) {
    std::shared_ptr<const ServiceZone> zone;
    for (int step = 0; step < 6; ++step) {
        for (int i = 0; i < 200; ++i) {
            const int n = step * 200 + i;
            reg.renew(make_spec("grow", "g" + std::to_string(n), "10.0.0.1", 80));
        }
        zone = build_service_zone(builder, apex, "grow", *reg.find("grow"), zone.get());
        ASSERT_EQ(zone->instances.size(), static_cast<std::size_t>((step + 1) * 200));
    }
    for (int n = 0; n < 1200; ++n) ASSERT_NE(zone->instances.find("g" + std::to_string(n)), nullptr) << n;
    EXPECT_GE(zone->instances.shard_count(), 8u);
}

TEST_F(ServiceZoneBuilderTest, SetsBeyondWhatAMessageHoldsStopAtTheFirstFourThousand) {
    for (int i = 0; i < 5000; ++i) reg.renew(make_spec("huge", "i" + std::to_string(i), "10.0.0.1", 80));
    const auto zone = build("huge");
    EXPECT_EQ(zone->instances.size(), 5000u);
    EXPECT_TRUE(zone->a.incomplete);  // 5,000 A records do not fit in 64 KiB
    EXPECT_TRUE(zone->srv.incomplete);
    // Only the first 4,096 instances are in the service-level lease groups.
    const AnswerStore& store = zone->store;
    EXPECT_EQ(store.members_of(store.patches_of(zone->a)[0].group).size(), 4096u);
}

}  // namespace
}  // namespace dnsd::zones
