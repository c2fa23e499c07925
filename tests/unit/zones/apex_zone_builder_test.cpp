#include "zones/apex_zone_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "raw_message.hpp"
#include "registry/registry.hpp"
#include "zone_test_support.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;
using test::make_spec;
using test::Rr;

class ApexZoneBuilderTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    AnswerBuilder builder;
    ZoneOptions options = [] {
        ZoneOptions o = test::zone_options("svc", "Self");
        o.max_ttl_s = 7;
        return o;
    }();
    DnsName apex = *DnsName::from_text("svc");

    std::shared_ptr<const ApexZone> build(std::uint32_t serial = 42) {
        return build_apex_zone(builder, options, apex, serial, reg.find("dnsd"));
    }
};

TEST_F(ApexZoneBuilderTest, SoaNamesTheFirstNameServerAndCarriesTheSerial) {
    reg.renew(make_spec("dnsd", "n2", "10.0.0.2", 8054));
    reg.renew(make_spec("dnsd", "n1", "10.0.0.1", 8054));
    const auto zone = build(42);
    EXPECT_EQ(zone->serial, 42u);
    Decoded d(zone->store.message(zone->soa));
    const std::vector<Rr> answer = d.answer();
    ASSERT_EQ(answer.size(), 1u);
    EXPECT_EQ(answer[0].owner, "svc.");
    EXPECT_EQ(answer[0].rdata, (std::vector<std::string>{"n1.dnsd.svc.", "hostmaster.svc.", "42",
                                                          "3600", "600", "1209600", "7"}));
    EXPECT_TRUE(zone->store.members_of(zone->store.patches_of(zone->soa)[0].group).empty());
}

TEST_F(ApexZoneBuilderTest, NsSetWithGlueBoundByTheNodesLeases) {
    reg.renew(make_spec("dnsd", "n1", "10.0.0.1", 8054));
    reg.renew(make_spec("dnsd", "n2", "fd00::2", 8054));
    const auto zone = build();
    Decoded d(zone->store.message(zone->ns));
    const std::vector<Rr> answer = d.answer();
    ASSERT_EQ(answer.size(), 2u);
    EXPECT_EQ(answer[0].rdata.at(0), "n1.dnsd.svc.");
    EXPECT_EQ(answer[1].rdata.at(0), "n2.dnsd.svc.");
    EXPECT_EQ(zone->ns.rotation_count, 2);  // name servers rotate like every other set
    const std::vector<Rr> glue = d.additional();
    ASSERT_EQ(glue.size(), 2u);
    EXPECT_EQ(glue[0].owner, "n1.dnsd.svc.");
    EXPECT_EQ(glue[0].rdata.at(0), "10.0.0.1");
    EXPECT_EQ(glue[1].type, LDNS_RR_TYPE_AAAA);

    const auto patches = zone->store.patches_of(zone->ns);
    ASSERT_EQ(patches.size(), 4u);
    EXPECT_EQ(zone->store.members_of(patches[0].group).size(), 2u);
    EXPECT_EQ(zone->store.members_of(patches[2].group)[0], reg.find("dnsd", "n1")->lease.get());
}

TEST_F(ApexZoneBuilderTest, FallsBackToTheNodeLabelWithoutGlue) {
    const auto zone = build();
    Decoded ns(zone->store.message(zone->ns));
    ASSERT_EQ(ns.answer().size(), 1u);
    EXPECT_EQ(ns.answer()[0].rdata.at(0), "self.dnsd.svc.");
    EXPECT_TRUE(ns.additional().empty());
    EXPECT_EQ(Decoded(zone->store.message(zone->soa)).answer().at(0).rdata.at(0), "self.dnsd.svc.");

    options.node_label = "";
    const auto unnamed = build();
    EXPECT_EQ(Decoded(unnamed->store.message(unnamed->ns)).answer().at(0).rdata.at(0), "dnsd.svc.");
}

TEST_F(ApexZoneBuilderTest, NegativeSoaPointsIntoTheQuestion) {
    reg.renew(make_spec("dnsd", "n1", "10.0.0.1", 8054));
    const auto zone = build(9);
    // A reply to "x.Svc" by hand: header, question, then the prepared SOA with the pointers
    // set to the apex inside the question (offset 12 + 2).
    test::RawMessage m;
    m.header(1, 0x8403, 1, 0, 1, 0).question("x.Svc");
    std::vector<std::uint8_t> bytes = m.bytes();
    const std::size_t soa_at = bytes.size();
    bytes.insert(bytes.end(), zone->negative_soa.begin(), zone->negative_soa.end());
    for (std::uint16_t p : zone->negative_soa_pointers) {
        bytes.at(soa_at + p) = 0xc0;
        bytes.at(soa_at + p + 1) = 14;
    }
    Decoded d(bytes);
    ASSERT_TRUE(d.ok());
    const std::vector<Rr> authority = d.authority();
    ASSERT_EQ(authority.size(), 1u);
    EXPECT_EQ(authority[0].owner, "Svc.");
    EXPECT_EQ(authority[0].ttl, 7u);
    EXPECT_EQ(authority[0].rdata, (std::vector<std::string>{"n1.dnsd.Svc.", "hostmaster.Svc.", "9",
                                                             "3600", "600", "1209600", "7"}));
}

}  // namespace
}  // namespace dnsd::zones
