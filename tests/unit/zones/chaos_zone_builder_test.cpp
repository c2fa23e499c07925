#include "zones/chaos_zone_builder.hpp"

#include <gtest/gtest.h>

#include <string>

#include "zone_test_support.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

const PreparedAnswer* answer_at(const ChaosZone& zone, const std::string& name) {
    for (const ChaosName& entry : zone.names)
        if (entry.name.to_text() == name) return &entry.txt;
    return nullptr;
}

TEST(ChaosZoneBuilder, VersionAndNodeNameAsChTxtWithTtlZero) {
    AnswerBuilder builder;
    ZoneOptions options = test::zone_options("svc", "n1");
    options.version = "0.1.0";
    options.node_name = "Node-A";
    const auto zone = build_chaos_zone(builder, options);
    for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
             {"version.bind.", "\"dnsd 0.1.0\""},
             {"version.server.", "\"dnsd 0.1.0\""},
             {"id.server.", "\"Node-A\""},
             {"hostname.bind.", "\"Node-A\""}}) {
        const PreparedAnswer* answer = answer_at(*zone, name);
        ASSERT_NE(answer, nullptr) << name;
        Decoded d(zone->store.message(*answer));
        ASSERT_TRUE(d.ok());
        ASSERT_EQ(d.answer().size(), 1u);
        EXPECT_EQ(d.answer()[0].owner, name);
        EXPECT_EQ(d.answer()[0].type, LDNS_RR_TYPE_TXT);
        EXPECT_EQ(d.answer()[0].rdata, (std::vector<std::string>{text}));
        EXPECT_EQ(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_answer(d.pkt()), 0)), LDNS_RR_CLASS_CH);
        const auto patches = zone->store.patches_of(*answer);
        ASSERT_EQ(patches.size(), 1u);
        EXPECT_EQ(zone->store.groups.at(patches[0].group).ttl_cap, 0u);
    }
}

TEST(ChaosZoneBuilder, FallsBackToTheNodeLabelThenLeavesIdsOut) {
    AnswerBuilder builder;
    const auto labelled = build_chaos_zone(builder, test::zone_options("svc", "n1"));
    const PreparedAnswer* id = answer_at(*labelled, "id.server.");
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(Decoded(labelled->store.message(*id)).answer().at(0).rdata.at(0), "\"n1\"");
    const PreparedAnswer* version = answer_at(*labelled, "version.bind.");
    ASSERT_NE(version, nullptr);
    EXPECT_EQ(Decoded(labelled->store.message(*version)).answer().at(0).rdata.at(0), "\"dnsd\"");

    const auto anonymous = build_chaos_zone(builder, test::zone_options("svc", ""));
    EXPECT_EQ(answer_at(*anonymous, "id.server."), nullptr);
    EXPECT_EQ(answer_at(*anonymous, "hostname.bind."), nullptr);
    EXPECT_NE(answer_at(*anonymous, "version.server."), nullptr);
}

}  // namespace
}  // namespace dnsd::zones
