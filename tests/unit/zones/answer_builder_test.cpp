#include "zones/answer_builder.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/record_data.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

class AnswerBuilderTest : public ::testing::Test {
protected:
    AnswerStore store;
    DnsName owner = *DnsName::from_text("api.svc");
    DnsName t1 = *DnsName::from_text("i1.api.svc");
    DnsName t2 = *DnsName::from_text("i2.api.svc");
    registry::IpAddress a1 = *registry::IpAddress::parse("10.0.0.1");
    registry::IpAddress a2 = *registry::IpAddress::parse("10.0.0.2");

    // The message with every TTL patched to its patch index + 100, so that ldns shows which
    // patch landed on which record.
    std::vector<std::uint8_t> patched(const PreparedAnswer& a) {
        const auto m = store.message(a);
        std::vector<std::uint8_t> out(m.begin(), m.end());
        std::uint8_t n = 100;
        for (const TtlPatch& p : store.patches_of(a)) {
            out.at(p.offset + 3) = n++;
            EXPECT_EQ(out[p.offset], 0);
        }
        return out;
    }

    void add_srv(AnswerBuilder& b, const DnsName& target) {
        b.add(owner, RrType::srv, [&](WireWriter& w) { write_srv(w, 0, 100, 80, target); });
    }
    void add_a(AnswerBuilder& b, const DnsName& name, const registry::IpAddress& address) {
        b.add(name, RrType::a, [&](WireWriter& w) { write_address(w, address); });
    }
};

TEST_F(AnswerBuilderTest, BuildsAWholeMessageWithPatchesAndCutsPerRrset) {
    AnswerBuilder b;
    b.begin(store, owner);
    b.begin_rrset(Section::answer, 0);
    add_srv(b, t1);
    add_srv(b, t2);
    b.begin_rrset(Section::additional, 1);
    add_a(b, t1, a1);
    b.begin_rrset(Section::additional, 2);
    add_a(b, t2, a2);
    const PreparedAnswer a = b.finish();

    ASSERT_TRUE(a.present());
    EXPECT_FALSE(a.incomplete);
    EXPECT_EQ(a.question_size, owner.size() + 4);

    Decoded d(patched(a));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d.qr());
    EXPECT_TRUE(d.aa());
    EXPECT_EQ(d.question().at(0).owner, "api.svc.");
    const auto answer = d.answer();
    ASSERT_EQ(answer.size(), 2u);
    EXPECT_EQ(answer[0].owner, "api.svc.");
    EXPECT_EQ(answer[0].rdata.at(3), "i1.api.svc.");
    EXPECT_EQ(answer[0].ttl, 100u);
    EXPECT_EQ(answer[1].ttl, 101u);
    const auto additional = d.additional();
    ASSERT_EQ(additional.size(), 2u);
    EXPECT_EQ(additional[0].owner, "i1.api.svc.");
    EXPECT_EQ(additional[0].ttl, 102u);
    EXPECT_EQ(additional[1].ttl, 103u);

    const auto patches = store.patches_of(a);
    ASSERT_EQ(patches.size(), 4u);
    EXPECT_EQ(patches[0].group, 0u);
    EXPECT_EQ(patches[1].group, 0u);
    EXPECT_EQ(patches[2].group, 1u);
    EXPECT_EQ(patches[3].group, 2u);

    const auto cuts = store.cuts_of(a);
    ASSERT_EQ(cuts.size(), 4u);  // after the question, the SRV set, each A
    EXPECT_EQ(cuts[0].offset, 12 + a.question_size);
    EXPECT_EQ(cuts[0].an, 0);
    EXPECT_EQ(cuts[1].an, 2);
    EXPECT_EQ(cuts[1].ar, 0);
    EXPECT_EQ(cuts[2].ar, 1);
    EXPECT_EQ(cuts[3].offset, a.size);
    EXPECT_EQ(cuts[3].an, 2);
    EXPECT_EQ(cuts[3].ar, 2);
    EXPECT_LT(cuts[1].offset, cuts[2].offset);
    EXPECT_LT(cuts[2].offset, cuts[3].offset);
}

TEST_F(AnswerBuilderTest, AnswersInOneStoreAreIndependent) {
    AnswerBuilder b;
    b.begin(store, owner);
    b.begin_rrset(Section::answer, 0);
    add_a(b, owner, a1);
    const PreparedAnswer first = b.finish();
    b.begin(store, t1);
    b.begin_rrset(Section::answer, 0);
    add_a(b, t1, a2);
    const PreparedAnswer second = b.finish();

    EXPECT_EQ(second.bytes_begin, first.size);
    Decoded d1(store.message(first));
    Decoded d2(store.message(second));
    EXPECT_EQ(d1.answer().at(0).rdata.at(0), "10.0.0.1");
    EXPECT_EQ(d2.answer().at(0).owner, "i1.api.svc.");
    EXPECT_EQ(d2.answer().at(0).rdata.at(0), "10.0.0.2");
    EXPECT_EQ(store.patches_of(second).size(), 1u);
    EXPECT_EQ(store.cuts_of(second).size(), 2u);
}

TEST_F(AnswerBuilderTest, OverflowInAnswerMakesItIncompleteAndStopsIt) {
    // Header 12 + question 13 + 2 A records of 16 bytes fit in 60, the third does not.
    AnswerBuilder b(60);
    b.begin(store, owner);
    b.begin_rrset(Section::answer, 0);
    add_a(b, owner, a1);
    add_a(b, owner, a2);
    EXPECT_FALSE(b.add(owner, RrType::a, [&](WireWriter& w) { write_address(w, a1); }));
    b.begin_rrset(Section::additional, 1);
    EXPECT_FALSE(b.add(owner, RrType::a, [&](WireWriter&) {}));  // nothing after a cut answer
    const PreparedAnswer a = b.finish();
    EXPECT_TRUE(a.incomplete);
    Decoded d(store.message(a));
    EXPECT_EQ(d.answer().size(), 2u);
    EXPECT_TRUE(d.additional().empty());
    EXPECT_EQ(store.cuts_of(a).back().an, 2);
}

TEST_F(AnswerBuilderTest, OverflowInAdditionalIsLeftOutQuietly) {
    AnswerBuilder b(12 + 13 + 16 + 10);  // the glue record needs 19
    b.begin(store, owner);
    b.begin_rrset(Section::answer, 0);
    add_a(b, owner, a1);
    b.begin_rrset(Section::additional, 1);
    EXPECT_FALSE(b.add(t1, RrType::a, [&](WireWriter& w) { write_address(w, a1); }));
    const PreparedAnswer a = b.finish();
    EXPECT_FALSE(a.incomplete);
    Decoded d(store.message(a));
    EXPECT_EQ(d.answer().size(), 1u);
    EXPECT_TRUE(d.additional().empty());
    EXPECT_EQ(store.cuts_of(a).size(), 2u);  // no cut for an RRset with nothing in it
}

TEST_F(AnswerBuilderTest, CyclicRrsetRecordsItsRecordStarts) {
    AnswerBuilder b;
    b.begin(store, owner);
    b.begin_rrset(Section::answer, 0, RrsetOrder::cyclic);
    add_a(b, owner, a1);
    add_a(b, owner, a2);
    b.begin_rrset(Section::additional, 1, RrsetOrder::cyclic);  // only the first cyclic RRset
    add_a(b, t1, a1);
    add_a(b, t1, a2);
    const PreparedAnswer a = b.finish();
    ASSERT_EQ(a.rotation_count, 2);
    const auto starts = store.rotation_of(a);
    EXPECT_EQ(starts[0], 12 + 13);  // right after the question
    EXPECT_EQ(starts[1], 12 + 13 + 16);
    EXPECT_EQ(a.rotation_end, 12 + 13 + 32);
    EXPECT_EQ(Decoded(store.message(a)).additional().size(), 2u);
}

TEST_F(AnswerBuilderTest, SingleRecordDoesNotRotate) {
    AnswerBuilder b;
    b.begin(store, owner);
    b.begin_rrset(Section::answer, 0, RrsetOrder::cyclic);
    add_a(b, owner, a1);
    EXPECT_EQ(b.finish().rotation_count, 0);
}

TEST_F(AnswerBuilderTest, NothingPointsIntoACyclicRrset) {
    // The glue owners i1/i2.api.svc equal the SRV targets: a fixed SRV set lets them point
    // there, a cyclic one must not (its records move), so the glue is written longer.
    const auto build = [&](RrsetOrder order) {
        AnswerBuilder b;
        b.begin(store, owner);
        b.begin_rrset(Section::answer, 0, order);
        add_srv(b, t1);
        add_srv(b, t2);
        b.begin_rrset(Section::additional, 1);
        add_a(b, t1, a1);
        b.begin_rrset(Section::additional, 1);
        add_a(b, t2, a2);
        return b.finish();
    };
    const PreparedAnswer fixed = build(RrsetOrder::fixed);
    const PreparedAnswer cyclic = build(RrsetOrder::cyclic);
    // Fixed: each glue owner is one pointer into an SRV target. Cyclic: a label and a pointer
    // to api.svc in the question, 3 more bytes per owner.
    EXPECT_EQ(cyclic.size, fixed.size + 6);
    Decoded d(store.message(cyclic));
    EXPECT_EQ(d.additional().at(0).owner, "i1.api.svc.");
    EXPECT_EQ(d.additional().at(1).owner, "i2.api.svc.");
    EXPECT_EQ(fixed.rotation_count, 0);
    EXPECT_EQ(cyclic.rotation_count, 2);
}

TEST_F(AnswerBuilderTest, RecordsTakeTheAnswersClass) {
    AnswerBuilder b;
    const DnsName version = *DnsName::from_text("version.bind");
    b.begin(store, version, RrClass::ch);
    b.begin_rrset(Section::answer, 0);
    b.add(version, RrType::txt, [&](WireWriter& w) { w.u8(0); });
    const PreparedAnswer a = b.finish();
    Decoded d(store.message(a));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_answer(d.pkt()), 0)), LDNS_RR_CLASS_CH);
    EXPECT_EQ(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_question(d.pkt()), 0)), LDNS_RR_CLASS_CH);
}

}  // namespace
}  // namespace dnsd::zones
