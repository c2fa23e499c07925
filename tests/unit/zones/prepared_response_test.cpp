#include "zones/prepared_response.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/answer_builder.hpp"
#include "zones/query_parser.hpp"
#include "zones/record_data.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;
using test::QuerySpec;

// An answer for "api.svc": `answers` A records in one RRset (lease `answer_lease`), then
// `glue` additional A records, one RRset each (lease `glue_lease`).
class PreparedResponseTest : public ::testing::Test {
protected:
    AnswerStore store;
    std::shared_ptr<registry::LeaseCell> answer_lease = std::make_shared<registry::LeaseCell>(10'000);
    std::shared_ptr<registry::LeaseCell> glue_lease = std::make_shared<registry::LeaseCell>(3'000);
    std::vector<std::uint8_t> reply = std::vector<std::uint8_t>(65535);
    ParsedQuery parsed;
    std::vector<std::uint8_t> query;

    PreparedAnswer build(int answers, int glue, std::size_t capacity = 65524) {
        AnswerBuilder b(capacity);
        const DnsName owner = *DnsName::from_text("api.svc");
        const std::uint32_t g_answer = store.add_group({&answer_lease, 1});
        const std::uint32_t g_glue = store.add_group({&glue_lease, 1});
        const auto address = *registry::IpAddress::parse("10.0.0.1");
        b.begin(store, owner);
        b.begin_rrset(Section::answer, g_answer);
        for (int i = 0; i < answers; ++i)
            b.add(owner, RrType::a, [&](WireWriter& w) { write_address(w, address); });
        for (int i = 0; i < glue; ++i) {
            const DnsName name = *owner.prepend("g" + std::to_string(i));
            b.begin_rrset(Section::additional, g_glue);
            b.add(name, RrType::a, [&](WireWriter& w) { write_address(w, address); });
        }
        return b.finish();
    }

    void parse(const std::string& name, const QuerySpec& spec = {}) {
        query = test::make_query(name, 1, spec);
        parsed = ParsedQuery{};
        ASSERT_EQ(parse_query(query, parsed), QueryVerdict::answer);
    }

    WrittenReply write(const PreparedAnswer& a, std::size_t limit, registry::MonoMs now = 0) {
        return write_prepared(store, a, parsed, query, reply, limit, now, 5);
    }
    // How many glue records fit in `room` bytes: "g0".."g9" take 19 bytes (label 3, pointer 2,
    // fixed 10, address 4), "g10" and on 20.
    static std::size_t glue_fitting(std::size_t room) {
        std::size_t n = 0;
        for (std::size_t used = 0;; ++n) {
            used += n < 10 ? 19 : 20;
            if (used > room) return n;
        }
    }
    std::span<const std::uint8_t> bytes(const WrittenReply& w) const {
        return std::span<const std::uint8_t>(reply).first(w.size);
    }
};

TEST_F(PreparedResponseTest, CopiesIdFlagsQuestionAndPatchesTtls) {
    const PreparedAnswer a = build(2, 1);
    QuerySpec spec;
    spec.id = 0x4242;
    spec.cd = true;
    parse("API.Svc", spec);
    const WrittenReply w = write(a, 512, 1'500);
    ASSERT_EQ(w.size, a.size);
    EXPECT_FALSE(w.truncated);
    Decoded d(bytes(w));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.id(), 0x4242);
    EXPECT_TRUE(d.rd());
    EXPECT_TRUE(d.cd());
    EXPECT_TRUE(d.aa());
    EXPECT_FALSE(d.tc());
    EXPECT_EQ(d.question().at(0).owner, "API.Svc.");
    EXPECT_EQ(d.question().at(0).type, LDNS_RR_TYPE_A);  // the client's type, not the placeholder
    const auto answer = d.answer();
    ASSERT_EQ(answer.size(), 2u);
    EXPECT_EQ(answer[0].owner, "API.Svc.");
    EXPECT_EQ(answer[0].ttl, 5u);  // 8.5 s left, capped
    EXPECT_EQ(answer[1].ttl, 5u);
    ASSERT_EQ(d.additional().size(), 1u);
    EXPECT_EQ(d.additional()[0].ttl, 1u);  // 1.5 s left
}

TEST_F(PreparedResponseTest, TtlsFollowTheLeaseCellsAtSendTime) {
    const PreparedAnswer a = build(1, 0);
    parse("api.svc");
    EXPECT_EQ(Decoded(bytes(write(a, 512, 7'000))).answer().at(0).ttl, 3u);
    answer_lease->expires_at = 60'000;  // a renewal
    EXPECT_EQ(Decoded(bytes(write(a, 512, 7'000))).answer().at(0).ttl, 5u);
    EXPECT_EQ(Decoded(bytes(write(a, 512, 70'000))).answer().at(0).ttl, 0u);
}

TEST_F(PreparedResponseTest, AppendsOptAndCountsIt) {
    const PreparedAnswer a = build(1, 1);
    QuerySpec spec;
    spec.edns_udp = 4096;
    spec.edns_do = true;
    parse("api.svc", spec);
    const WrittenReply w = write(a, 1232);
    EXPECT_EQ(w.size, a.size + 11u);
    Decoded d(bytes(w));
    ASSERT_TRUE(d.edns());
    EXPECT_EQ(ldns_pkt_edns_udp_size(d.pkt()), 1232);
    EXPECT_FALSE(ldns_pkt_edns_do(d.pkt()));
    EXPECT_EQ(d.additional().size(), 1u);
    EXPECT_EQ(ldns_pkt_arcount(d.pkt()), 1u);  // ldns moves the OPT out of the list and count
}

TEST_F(PreparedResponseTest, AnswerThatDoesNotFitIsCutWithTc) {
    const PreparedAnswer a = build(40, 0);  // 12 + 13 + 640
    parse("api.svc");
    const WrittenReply w = write(a, 512);
    EXPECT_TRUE(w.truncated);
    EXPECT_EQ(w.size, 12u + 13u);
    Decoded d(bytes(w));
    EXPECT_TRUE(d.tc());
    EXPECT_TRUE(d.answer().empty());
    EXPECT_EQ(d.question().size(), 1u);
}

TEST_F(PreparedResponseTest, AdditionalCutAtWholeRrsetsWithoutTc) {
    const PreparedAnswer a = build(1, 40);  // 12 + 13 + 16 + 40 * 19
    parse("api.svc");
    const WrittenReply w = write(a, 512);
    EXPECT_FALSE(w.truncated);
    EXPECT_LE(w.size, 512u);
    Decoded d(bytes(w));
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(d.tc());
    EXPECT_EQ(d.answer().size(), 1u);
    EXPECT_EQ(d.additional().size(), glue_fitting(512 - 41));
    for (const auto& rr : d.additional()) EXPECT_EQ(rr.ttl, 3u);

    QuerySpec spec;
    spec.edns_udp = 512;
    parse("api.svc", spec);
    const WrittenReply with_opt = write(a, 512);
    EXPECT_LE(with_opt.size, 512u);  // the OPT is counted within the limit
    Decoded e(bytes(with_opt));
    EXPECT_TRUE(e.edns());
    EXPECT_EQ(e.additional().size(), glue_fitting(512 - 41 - 11));
}

TEST_F(PreparedResponseTest, IncompleteAnswerAlwaysSaysTc) {
    const PreparedAnswer a = build(5, 0, 12 + 13 + 16 * 3);
    ASSERT_TRUE(a.incomplete);
    parse("api.svc");
    const WrittenReply w = write(a, 65535);
    EXPECT_TRUE(w.truncated);
    Decoded d(bytes(w));
    EXPECT_TRUE(d.tc());
    EXPECT_EQ(d.answer().size(), 3u);
}

TEST_F(PreparedResponseTest, RefusesAQuestionOfAnotherLength) {
    const PreparedAnswer a = build(1, 0);
    parse("apis.svc");
    EXPECT_EQ(write(a, 512).size, 0u);
}

TEST_F(PreparedResponseTest, ASmallerReplyBufferBoundsTheReply) {
    const PreparedAnswer a = build(1, 10);
    parse("api.svc");
    const WrittenReply w = write_prepared(store, a, parsed, query,
                                          std::span<std::uint8_t>(reply).first(100), 65535, 0, 5);
    EXPECT_LE(w.size, 100u);
    EXPECT_FALSE(w.truncated);
    Decoded d(bytes(w));
    EXPECT_EQ(d.additional().size(), glue_fitting(100 - 41));
    EXPECT_EQ(write_prepared(store, a, parsed, query, std::span<std::uint8_t>(reply).first(20), 512, 0, 5).size,
              0u);
}

// Three SRV records with targets of different lengths (so rotating moves unequal blocks), a
// cyclic RRset with lease `answer_lease`, then each target's glue (lease `glue_lease`).
class RotationTest : public PreparedResponseTest {
protected:
    const std::vector<std::string> targets{"a.api.svc", "bbbb.api.svc", "cc.api.svc"};

    PreparedAnswer build_srv(RrsetOrder order = RrsetOrder::cyclic) {
        AnswerBuilder b;
        const DnsName owner = *DnsName::from_text("api.svc");
        const std::uint32_t g_answer = store.add_group({&answer_lease, 1});
        const std::uint32_t g_glue = store.add_group({&glue_lease, 1});
        const auto address = *registry::IpAddress::parse("10.0.0.1");
        b.begin(store, owner);
        b.begin_rrset(Section::answer, g_answer, order);
        std::uint16_t port = 1;
        for (const std::string& t : targets) {
            const DnsName target = *DnsName::from_text(t);
            b.add(owner, RrType::srv, [&](WireWriter& w) { write_srv(w, 0, 1, port++, target); });
        }
        for (const std::string& t : targets) {
            b.begin_rrset(Section::additional, g_glue);
            b.add(*DnsName::from_text(t), RrType::a, [&](WireWriter& w) { write_address(w, address); });
        }
        return b.finish();
    }
    WrittenReply write_rotated(const PreparedAnswer& a, std::uint32_t rotation, std::size_t limit = 65535) {
        return write_prepared(store, a, parsed, query, reply, limit, 1'000, 5, rotation);
    }
};

TEST_F(RotationTest, EveryRotationIsAWholeCyclicPermutationOfTheRrset) {
    const PreparedAnswer a = build_srv();
    parse("ApI.svc");  // the echoed case must survive: owners point at the question
    for (std::uint32_t rotation = 0; rotation < 7; ++rotation) {
        const WrittenReply w = write_rotated(a, rotation);
        ASSERT_EQ(w.size, a.size);
        Decoded d(bytes(w));
        ASSERT_TRUE(d.ok()) << rotation;
        const auto answer = d.answer();
        ASSERT_EQ(answer.size(), 3u);
        for (std::size_t i = 0; i < 3; ++i) {
            const std::size_t expected = (rotation + i) % 3;
            EXPECT_EQ(answer[i].owner, "ApI.svc.");
            EXPECT_EQ(answer[i].rdata.at(2), std::to_string(expected + 1)) << rotation;
            EXPECT_EQ(answer[i].rdata.at(3), targets[expected] + ".") << rotation;
            EXPECT_EQ(answer[i].ttl, 5u);  // patched where the record now is
        }
        // The glue does not move and still decodes. Its owners may not point into the SRV
        // targets (they move), so they share the question's suffix, and its spelling.
        const auto glue = d.additional();
        ASSERT_EQ(glue.size(), 3u);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(glue[i].owner, targets[i].substr(0, targets[i].find('.')) + ".ApI.svc.");
            EXPECT_EQ(glue[i].ttl, 2u);  // 3 s lease, 1 s gone
        }
    }
}

TEST_F(RotationTest, FixedRrsetKeepsItsOrder) {
    const PreparedAnswer a = build_srv(RrsetOrder::fixed);
    parse("api.svc");
    for (std::uint32_t rotation = 0; rotation < 3; ++rotation)
        EXPECT_EQ(Decoded(bytes(write_rotated(a, rotation))).answer().at(0).rdata.at(2), "1");
}

TEST_F(RotationTest, AnRrsetCutByTruncationIsNotRotatedInto) {
    const PreparedAnswer a = build_srv();
    parse("api.svc");
    // Room for the header and question only: the SRV set is left out whole, TC set.
    const WrittenReply cut = write_rotated(a, 1, 12 + 13 + 20);
    EXPECT_TRUE(cut.truncated);
    Decoded d(bytes(cut));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d.answer().empty());
    // Room for the SRV set but not all glue: rotated answer, glue cut without TC.
    const WrittenReply partial = write_rotated(a, 2, a.size - 5);
    EXPECT_FALSE(partial.truncated);
    Decoded p(bytes(partial));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.answer().at(0).rdata.at(3), "cc.api.svc.");
    EXPECT_EQ(p.additional().size(), 2u);
}

TEST_F(PreparedResponseTest, TtlCapOfTheGroupBoundsTheTtl) {
    AnswerBuilder b;
    const DnsName owner = *DnsName::from_text("api.svc");
    const std::uint32_t capped = store.add_group({}, 3);
    const std::uint32_t uncached = store.add_group({}, 0);
    b.begin(store, owner);
    b.begin_rrset(Section::answer, capped);
    b.add(owner, RrType::txt, [&](WireWriter& w) { w.u8(0); });
    b.begin_rrset(Section::additional, uncached);
    b.add(owner, RrType::txt, [&](WireWriter& w) { w.u8(0); });
    const PreparedAnswer a = b.finish();
    parse("api.svc");
    Decoded d(bytes(write(a, 512)));
    EXPECT_EQ(d.answer().at(0).ttl, 3u);
    EXPECT_EQ(d.additional().at(0).ttl, 0u);
}

}  // namespace
}  // namespace dnsd::zones
