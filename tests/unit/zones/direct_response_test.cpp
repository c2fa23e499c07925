#include "zones/direct_response.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "raw_message.hpp"
#include "zone_test_support.hpp"
#include "zones/apex_zone_builder.hpp"
#include "zones/query_parser.hpp"

namespace dnsd::zones {
namespace {

using test::Decoded;
using test::QuerySpec;

class DirectResponseTest : public ::testing::Test {
protected:
    AnswerBuilder builder;
    DnsName apex = *DnsName::from_text("svc.example");
    std::shared_ptr<const ApexZone> zone =
        build_apex_zone(builder, test::zone_options("svc.example", "ns1"),
                        apex, 77, nullptr);
    std::vector<std::uint8_t> reply = std::vector<std::uint8_t>(65535);
    std::vector<std::uint8_t> query;
    ParsedQuery parsed;

    QueryVerdict parse(std::vector<std::uint8_t> q) {
        query = std::move(q);
        parsed = ParsedQuery{};
        return parse_query(query, parsed);
    }
    std::span<const std::uint8_t> bytes(std::size_t n) const {
        return std::span<const std::uint8_t>(reply).first(n);
    }
};

TEST_F(DirectResponseTest, NxdomainCarriesTheSoaPointingIntoTheQuestion) {
    ASSERT_EQ(parse(test::make_query("No.Such.SVC.example", 28)), QueryVerdict::answer);
    const std::size_t n = write_negative(*zone, parsed, query, reply, Rcode::nxdomain);
    Decoded d(bytes(n));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.rcode(), LDNS_RCODE_NXDOMAIN);
    EXPECT_TRUE(d.aa());
    EXPECT_TRUE(d.qr());
    EXPECT_TRUE(d.rd());
    EXPECT_EQ(d.id(), 0x1234);
    EXPECT_EQ(d.question().at(0).owner, "No.Such.SVC.example.");
    EXPECT_TRUE(d.answer().empty());
    const auto authority = d.authority();
    ASSERT_EQ(authority.size(), 1u);
    EXPECT_EQ(authority[0].owner, "SVC.example.");
    EXPECT_EQ(authority[0].ttl, 5u);
    EXPECT_EQ(authority[0].rdata.at(0), "ns1.dnsd.SVC.example.");
    EXPECT_EQ(authority[0].rdata.at(2), "77");
    EXPECT_FALSE(d.edns());
    // Compression keeps it small: header, question, SOA with three pointers.
    EXPECT_EQ(n, 12u + parsed.question_size + 2 + 10 + (4 + 5 + 2) + (11 + 2) + 20);
}

TEST_F(DirectResponseTest, NodataIsNoerrorWithTheSameSoaAndOpt) {
    QuerySpec spec;
    spec.edns_udp = 1232;
    ASSERT_EQ(parse(test::make_query("svc.example", 1, spec)), QueryVerdict::answer);
    const std::size_t n = write_negative(*zone, parsed, query, reply, Rcode::noerror);
    Decoded d(bytes(n));
    EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(d.answer().empty());
    ASSERT_EQ(d.authority().size(), 1u);
    EXPECT_EQ(d.authority()[0].owner, "svc.example.");
    EXPECT_TRUE(d.edns());
}

TEST_F(DirectResponseTest, RefusedEchoesTheQuestionWithoutAa) {
    ASSERT_EQ(parse(test::make_query("example.org", 1)), QueryVerdict::answer);
    Decoded d(bytes(write_error(parsed, query, reply, Rcode::refused)));
    EXPECT_EQ(d.rcode(), LDNS_RCODE_REFUSED);
    EXPECT_FALSE(d.aa());
    EXPECT_EQ(d.question().at(0).owner, "example.org.");
    EXPECT_TRUE(d.authority().empty());
}

TEST_F(DirectResponseTest, FormerrWithoutAReadableQuestionHasNone) {
    ASSERT_EQ(parse(test::RawMessage().header(9, 0x0100, 1, 0, 0, 0).raw({0xc0, 0x0c, 0, 1, 0, 1})),
              QueryVerdict::formerr);
    Decoded d(bytes(write_error(parsed, query, reply, Rcode::formerr)));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.rcode(), LDNS_RCODE_FORMERR);
    EXPECT_EQ(d.id(), 9);
    EXPECT_TRUE(d.rd());
    EXPECT_TRUE(d.question().empty());
    EXPECT_EQ(ldns_pkt_qdcount(d.pkt()), 0);
}

TEST_F(DirectResponseTest, FormerrForTrailingBytesKeepsQuestionAndOpt) {
    test::RawMessage m;
    m.header(9, 0, 1, 0, 0, 1).question("svc.example").opt().u8(0);
    ASSERT_EQ(parse(m.bytes()), QueryVerdict::formerr);
    Decoded d(bytes(write_error(parsed, query, reply, Rcode::formerr)));
    EXPECT_EQ(d.rcode(), LDNS_RCODE_FORMERR);
    EXPECT_EQ(d.question().size(), 1u);
    EXPECT_TRUE(d.edns());
}

TEST_F(DirectResponseTest, NotimpEchoesTheOpcode) {
    ASSERT_EQ(parse(test::RawMessage().header(9, 5 << 11, 0, 0, 0, 0)), QueryVerdict::notimp);
    Decoded d(bytes(write_error(parsed, query, reply, Rcode::notimp)));
    EXPECT_EQ(d.rcode(), LDNS_RCODE_NOTIMPL);
    EXPECT_EQ(ldns_pkt_get_opcode(d.pkt()), LDNS_PACKET_UPDATE);
}

TEST_F(DirectResponseTest, BadversPutsTheUpperBitsInTheOpt) {
    QuerySpec spec;
    spec.edns_udp = 1232;
    spec.edns_version = 2;
    ASSERT_EQ(parse(test::make_query("svc.example", 1, spec)), QueryVerdict::badvers);
    Decoded d(bytes(write_error(parsed, query, reply, Rcode::badvers)));
    EXPECT_EQ(d.rcode(), 0u);
    ASSERT_TRUE(d.edns());
    EXPECT_EQ(ldns_pkt_edns_extended_rcode(d.pkt()), 1);
    EXPECT_EQ(ldns_pkt_edns_version(d.pkt()), 0);
    EXPECT_EQ(d.question().size(), 1u);
}

TEST_F(DirectResponseTest, ATooSmallBufferWritesNothing) {
    ASSERT_EQ(parse(test::make_query("x.svc.example", 1)), QueryVerdict::answer);
    std::vector<std::uint8_t> tiny(20);
    EXPECT_EQ(write_negative(*zone, parsed, query, tiny, Rcode::nxdomain), 0u);
    EXPECT_EQ(write_error(parsed, query, tiny, Rcode::refused), 0u);
}

}  // namespace
}  // namespace dnsd::zones
