// The TTL patch of write_prepared with groups of several leases: the member that ends first
// decides, every member is read at send time (renewals and removals show without a rebuild),
// and a group's own cap still bounds it.
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/answer_builder.hpp"
#include "zones/prepared_response.hpp"
#include "zones/query_parser.hpp"
#include "zones/record_data.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;

class GroupTtlTest : public ::testing::Test {
protected:
    AnswerStore store;
    std::vector<std::shared_ptr<registry::LeaseCell>> leases{
        std::make_shared<registry::LeaseCell>(20'000), std::make_shared<registry::LeaseCell>(9'500),
        std::make_shared<registry::LeaseCell>(30'000)};
    std::vector<std::uint8_t> reply = std::vector<std::uint8_t>(65535);
    std::vector<std::uint8_t> query = test::make_query("api.svc", 1, {});
    ParsedQuery parsed;
    PreparedAnswer answer;

    void SetUp() override {
        ASSERT_EQ(parse_query(query, parsed), QueryVerdict::answer);
        // Answer: three A records over all three leases. Additional: one TXT per lease.
        const std::uint32_t all = store.add_group(leases);
        std::vector<std::uint32_t> each;
        for (const auto& lease : leases) each.push_back(store.add_group({&lease, 1}));
        AnswerBuilder b;
        const DnsName owner = *DnsName::from_text("api.svc");
        const auto address = *registry::IpAddress::parse("10.0.0.1");
        b.begin(store, owner);
        b.begin_rrset(Section::answer, all);
        for (int i = 0; i < 3; ++i) b.add(owner, RrType::a, [&](WireWriter& w) { write_address(w, address); });
        for (std::size_t i = 0; i < each.size(); ++i) {
            b.begin_rrset(Section::additional, each[i]);
            const DnsName name = *owner.prepend("i" + std::to_string(i));
            b.add(name, RrType::txt, [&](WireWriter& w) { w.u8(0); });
        }
        answer = b.finish();
    }

    // The answer RRset's TTL and each additional record's, at `now`.
    std::vector<std::uint32_t> ttls(registry::MonoMs now, std::uint32_t max_ttl = 60) {
        const WrittenReply w = write_prepared(store, answer, parsed, query, reply, 512, now, max_ttl);
        Decoded d(std::span<const std::uint8_t>(reply).first(w.size));
        std::vector<std::uint32_t> out;
        if (!d.ok() || d.answer().size() != 3 || d.additional().size() != 3) return out;
        for (const auto& rr : d.answer()) EXPECT_EQ(rr.ttl, d.answer()[0].ttl) << "one TTL per RRset";
        out.push_back(d.answer()[0].ttl);
        for (const auto& rr : d.additional()) out.push_back(rr.ttl);
        return out;
    }
};

TEST_F(GroupTtlTest, TheLeaseThatEndsFirstDecidesEachRrset) {
    EXPECT_EQ(ttls(1'000), (std::vector<std::uint32_t>{8, 19, 8, 29}));
    // Capped by max_ttl.
    EXPECT_EQ(ttls(1'000, 10), (std::vector<std::uint32_t>{8, 10, 8, 10}));
    // Rounded down: 0.5 s left is 0, as is a lease that ends right now.
    EXPECT_EQ(ttls(9'000), (std::vector<std::uint32_t>{0, 11, 0, 21}));
    EXPECT_EQ(ttls(9'500), (std::vector<std::uint32_t>{0, 10, 0, 20}));
}

TEST_F(GroupTtlTest, RenewalsAndRemovalsAreReadAtSendTime) {
    leases[1]->expires_at = 50'000;  // the short lease renewed: now the first one decides
    EXPECT_EQ(ttls(1'000), (std::vector<std::uint32_t>{19, 19, 49, 29}));
    // A removed instance's cell reads as over long ago (registry.cpp): its RRsets say 0.
    leases[2]->expires_at = std::numeric_limits<registry::MonoMs>::min() / 2;
    EXPECT_EQ(ttls(1'000), (std::vector<std::uint32_t>{0, 19, 49, 0}));
}

}  // namespace
}  // namespace dnsd::zones
