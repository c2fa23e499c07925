#include "zones/edns.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "raw_message.hpp"
#include "zone_test_support.hpp"

namespace dnsd::zones {
namespace {

TEST(Edns, ReplySizeLimit) {
    ParsedQuery q;
    EXPECT_EQ(reply_size_limit(q, false), 512u);
    EXPECT_EQ(reply_size_limit(q, true), 65535u);
    q.has_opt = true;
    q.udp_size = 4096;
    EXPECT_EQ(reply_size_limit(q, false), 1232u);
    q.udp_size = 1000;
    EXPECT_EQ(reply_size_limit(q, false), 1000u);
    q.udp_size = 100;  // below 512 is treated as 512 (RFC 6891 §6.2.3)
    EXPECT_EQ(reply_size_limit(q, false), 512u);
    q.udp_size = 0;
    EXPECT_EQ(reply_size_limit(q, false), 512u);
    EXPECT_EQ(reply_size_limit(q, true), 65535u);
}

TEST(Edns, OptRecordAsLdnsReadsIt) {
    // A response header with ARCOUNT 1, an empty question section and our OPT.
    test::RawMessage m;
    m.header(7, 0x8400, 0, 0, 0, 1);
    std::vector<std::uint8_t> bytes = m.bytes();
    std::array<std::uint8_t, 11> opt{};
    WireWriter w(opt);
    write_opt(w, 16);  // BADVERS: upper bits 1
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w.size(), 11u);
    bytes.insert(bytes.end(), opt.begin(), opt.end());

    test::Decoded d(bytes);
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(d.edns());
    EXPECT_EQ(ldns_pkt_edns_udp_size(d.pkt()), 1232);
    EXPECT_EQ(ldns_pkt_edns_version(d.pkt()), 0);
    EXPECT_EQ(ldns_pkt_edns_extended_rcode(d.pkt()), 1);
    EXPECT_FALSE(ldns_pkt_edns_do(d.pkt()));
}

TEST(Edns, OptDoesNotFitInTenBytes) {
    std::array<std::uint8_t, 10> small{};
    WireWriter w(small);
    write_opt(w, 0);
    EXPECT_FALSE(w.ok());
}

}  // namespace
}  // namespace dnsd::zones
