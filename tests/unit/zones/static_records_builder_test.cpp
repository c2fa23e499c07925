#include "zones/static_records_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "static_test_support.hpp"
#include "zone_test_support.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

class StaticRecordsBuilderTest : public ::testing::Test {
protected:
    AnswerBuilder builder;
    DnsName apex = *DnsName::from_text("svc");

    std::shared_ptr<const StaticRecords> build(const std::vector<std::string>& lines) {
        const auto zone = test::static_zone("svc", lines);
        return zone ? build_static_records(builder, *zone, apex) : nullptr;
    }
    static const StaticNode& node(const StaticRecords& records, const char* name) {
        return records.nodes.at(std::string(DnsName::from_text(name)->wire()));
    }
    static const PreparedAnswer& answer(const StaticNode& n, std::uint16_t type) {
        for (const StaticAnswer& a : n.answers)
            if (a.type == type) return a.answer;
        ADD_FAILURE() << "no answer for type " << type;
        return n.answers.front().answer;
    }
};

TEST_F(StaticRecordsBuilderTest, EachRrsetAnswersItsOwnerAndTypeWithItsTtl) {
    const auto records = build({"www.svc. 300 IN A 192.0.2.1", "www.svc. 300 IN A 192.0.2.2",
                                "www.svc. 60 IN TXT \"hello\"", "svc. 120 IN MX 10 mail.example.com."});
    ASSERT_TRUE(records);
    const StaticNode& www = node(*records, "www.svc");
    EXPECT_FALSE(www.cname);
    ASSERT_EQ(www.answers.size(), 2u);

    const PreparedAnswer& a = answer(www, LDNS_RR_TYPE_A);
    Decoded d(records->store.message(a));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.question().at(0).owner, "www.svc.");
    const auto rrs = d.answer();
    ASSERT_EQ(rrs.size(), 2u);
    EXPECT_EQ(rrs[0].owner, "www.svc.");
    EXPECT_EQ(rrs[0].rdata.at(0), "192.0.2.1");
    EXPECT_EQ(rrs[1].rdata.at(0), "192.0.2.2");
    EXPECT_EQ(a.rotation_count, 2);  // static sets rotate like all others
    EXPECT_EQ(records->store.groups.at(records->store.patches_of(a)[0].group).ttl_cap, 300u);

    const PreparedAnswer& mx = answer(node(*records, "svc"), LDNS_RR_TYPE_MX);
    Decoded m(records->store.message(mx));
    EXPECT_EQ(m.answer().at(0).rdata, (std::vector<std::string>{"10", "mail.example.com."}));
    EXPECT_EQ(records->store.groups.at(records->store.patches_of(mx)[0].group).ttl_cap, 120u);
}

TEST_F(StaticRecordsBuilderTest, NamesBetweenAnOwnerAndTheApexExistEmpty) {
    const auto records = build({"a.b.c.svc. 60 IN TXT \"deep\""});
    EXPECT_TRUE(node(*records, "b.c.svc").answers.empty());
    EXPECT_TRUE(node(*records, "c.svc").answers.empty());
    EXPECT_EQ(node(*records, "a.b.c.svc").answers.size(), 1u);
    EXPECT_EQ(records->nodes.count(std::string(DnsName::from_text("x.c.svc")->wire())), 0u);
}

TEST_F(StaticRecordsBuilderTest, CnameIsFollowedThroughTheZoneFile) {
    const auto records = build({"alias.svc. 60 IN CNAME Mid.SVC.", "mid.svc. 60 IN CNAME www.svc.",
                                "www.svc. 60 IN A 192.0.2.1", "www.svc. 60 IN TXT \"x\""});
    const StaticNode& alias = node(*records, "alias.svc");
    EXPECT_TRUE(alias.cname);
    ASSERT_EQ(alias.answers.size(), 3u);  // the CNAME chain alone, then per type at its end
    EXPECT_EQ(alias.answers.front().type, LDNS_RR_TYPE_CNAME);

    Decoded bare(records->store.message(answer(alias, LDNS_RR_TYPE_CNAME)));
    ASSERT_EQ(bare.answer().size(), 2u);
    EXPECT_EQ(bare.answer()[0].owner, "alias.svc.");
    EXPECT_EQ(bare.answer()[1].owner, "mid.svc.");

    Decoded chased(records->store.message(answer(alias, LDNS_RR_TYPE_A)));
    const auto rrs = chased.answer();
    ASSERT_EQ(rrs.size(), 3u);
    EXPECT_EQ(rrs[0].type, LDNS_RR_TYPE_CNAME);
    EXPECT_EQ(rrs[1].type, LDNS_RR_TYPE_CNAME);
    EXPECT_EQ(rrs[2].owner, "www.svc.");
    EXPECT_EQ(rrs[2].type, LDNS_RR_TYPE_A);
    EXPECT_EQ(rrs[2].rdata.at(0), "192.0.2.1");
}

TEST_F(StaticRecordsBuilderTest, CnameLoopsAndTargetsOutsideTheFileAreNotChased) {
    const auto records = build({"one.svc. 60 IN CNAME two.svc.", "two.svc. 60 IN CNAME one.svc.",
                                "out.svc. 60 IN CNAME api.svc."});
    const StaticNode& one = node(*records, "one.svc");
    ASSERT_EQ(one.answers.size(), 1u);
    EXPECT_EQ(Decoded(records->store.message(one.answers[0].answer)).answer().size(), 2u);
    const StaticNode& out = node(*records, "out.svc");
    ASSERT_EQ(out.answers.size(), 1u);  // api.svc may be a service: the resolver asks it next
    EXPECT_EQ(Decoded(records->store.message(out.answers[0].answer)).answer().size(), 1u);
}

}  // namespace
}  // namespace dnsd::zones
