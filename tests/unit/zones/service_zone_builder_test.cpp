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

    Decoded tcp(zone->store.message(zone->tcp_srv));
    EXPECT_EQ(tcp.question().at(0).owner, "_api._tcp.svc.");
    EXPECT_EQ(tcp.answer().size(), 3u);
    EXPECT_EQ(tcp.additional().size(), 3u);

    ASSERT_EQ(zone->instances.size(), 3u);
    const InstanceAnswers& c = zone->instances.at("c");
    EXPECT_EQ(c.address_type, RrType::aaaa);
    EXPECT_EQ(Decoded(zone->store.message(c.address)).answer().at(0).owner, "c.api.svc.");
    EXPECT_EQ(Decoded(zone->store.message(c.txt)).answer().at(0).type, LDNS_RR_TYPE_TXT);
    Decoded c_srv(zone->store.message(c.srv));
    EXPECT_EQ(c_srv.answer().at(0).rdata.at(3), "c.api.svc.");
    EXPECT_EQ(c_srv.additional().size(), 1u);
}

TEST_F(ServiceZoneBuilderTest, PreparesTheDnsSdBrowseAnswers) {
    reg.renew([] {
        auto s = make_spec("api", "a", "10.0.0.1", 80);
        s.version = "1.0";
        return s;
    }());
    reg.renew(make_spec("api", "b", "fd00::2", 81));
    const auto zone = build("api");

    // _api._tcp.svc PTR: each instance's DNS-SD name; in additional, per instance, what a
    // browser asks next: SRV, TXT, address (RFC 6763 §12.1).
    Decoded ptr(zone->store.message(zone->tcp_ptr));
    EXPECT_EQ(ptr.question().at(0).owner, "_api._tcp.svc.");
    const auto answer = ptr.answer();
    ASSERT_EQ(answer.size(), 2u);
    EXPECT_EQ(answer[0].type, LDNS_RR_TYPE_PTR);
    EXPECT_EQ(answer[0].owner, "_api._tcp.svc.");
    EXPECT_EQ(answer[0].rdata.at(0), "a._api._tcp.svc.");
    EXPECT_EQ(answer[1].rdata.at(0), "b._api._tcp.svc.");
    EXPECT_EQ(zone->tcp_ptr.rotation_count, 2);
    const auto additional = ptr.additional();
    ASSERT_EQ(additional.size(), 6u);
    const std::vector<std::pair<std::string, std::uint16_t>> expected{
        {"a._api._tcp.svc.", LDNS_RR_TYPE_SRV}, {"a._api._tcp.svc.", LDNS_RR_TYPE_TXT},
        {"a.api.svc.", LDNS_RR_TYPE_A},         {"b._api._tcp.svc.", LDNS_RR_TYPE_SRV},
        {"b._api._tcp.svc.", LDNS_RR_TYPE_TXT}, {"b.api.svc.", LDNS_RR_TYPE_AAAA}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(additional[i].owner, expected[i].first) << i;
        EXPECT_EQ(additional[i].type, expected[i].second) << i;
    }
    EXPECT_EQ(additional[0].rdata, (std::vector<std::string>{"0", "100", "80", "a.api.svc."}));
    EXPECT_EQ(additional[1].rdata, (std::vector<std::string>{"\"version=1.0\""}));
    EXPECT_EQ(additional[4].rdata, (std::vector<std::string>{"\"\""}));  // RFC 6763 §6.1

    // a._api._tcp.svc: SRV to a.api.svc with its address, and the same TXT as a.api.svc.
    const InstanceAnswers& a = zone->instances.at("a");
    Decoded srv(zone->store.message(a.dnssd_srv));
    EXPECT_EQ(srv.question().at(0).owner, "a._api._tcp.svc.");
    EXPECT_EQ(srv.answer().at(0).owner, "a._api._tcp.svc.");
    EXPECT_EQ(srv.answer().at(0).rdata.at(3), "a.api.svc.");
    ASSERT_EQ(srv.additional().size(), 1u);
    EXPECT_EQ(srv.additional()[0].rdata.at(0), "10.0.0.1");
    Decoded txt(zone->store.message(a.dnssd_txt));
    EXPECT_EQ(txt.answer().at(0).owner, "a._api._tcp.svc.");
    EXPECT_EQ(txt.answer().at(0).rdata, Decoded(zone->store.message(a.txt)).answer().at(0).rdata);
}

TEST_F(ServiceZoneBuilderTest, SetsOfSeveralRecordsRotate) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    reg.renew(make_spec("api", "b", "10.0.0.2", 80));
    reg.renew(make_spec("api", "c", "fd00::3", 80));
    const auto zone = build("api");
    EXPECT_EQ(zone->a.rotation_count, 2);
    EXPECT_EQ(zone->aaaa.rotation_count, 0);  // one record: nothing to rotate
    EXPECT_EQ(zone->srv.rotation_count, 3);
    EXPECT_EQ(zone->tcp_srv.rotation_count, 3);
    EXPECT_EQ(zone->tcp_ptr.rotation_count, 3);
    EXPECT_EQ(zone->instances.at("a").srv.rotation_count, 0);
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
    const auto& b = zone->instances.at("b");
    EXPECT_EQ(store.members_of(store.patches_of(b.txt)[0].group)[0], cell("b"));
}

TEST_F(ServiceZoneBuilderTest, KnownServiceWithoutInstancesHasNoAnswers) {
    reg.renew(make_spec("api", "a", "10.0.0.1", 80));
    ASSERT_TRUE(reg.deregister("api", "a"));
    const auto zone = build("api");
    ASSERT_TRUE(zone);
    EXPECT_FALSE(zone->a.present());
    EXPECT_FALSE(zone->aaaa.present());
    EXPECT_FALSE(zone->srv.present());
    EXPECT_FALSE(zone->tcp_srv.present());
    EXPECT_FALSE(zone->tcp_ptr.present());
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
    EXPECT_FALSE(zone->tcp_srv.present());  // "_" + 63 bytes is no label
    EXPECT_FALSE(zone->tcp_ptr.present());
    EXPECT_FALSE(zone->instances.at("a").dnssd_srv.present());
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

}  // namespace
}  // namespace dnsd::zones
