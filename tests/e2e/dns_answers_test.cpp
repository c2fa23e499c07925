// DNS answers for registered services, over UDP and TCP, as SPEC.md's DNS table describes them.
#include <algorithm>
#include <string>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr const char* kReadmeHeartbeat = R"({"service":"api","address":"10.0.0.3","port":8861})";

class DnsAnswers : public DnsdTest {
protected:
    void SetUp() override {
        DnsdTest::SetUp();
        if (HasFatalFailure()) return;
        const HttpResponse response = heartbeat(dnsd(), kReadmeHeartbeat);
        ASSERT_EQ(response.status, 200u) << response.failure << response.body;
    }

    DnsReply query(const std::string& name, ldns_rr_type type, Transport transport = Transport::udp) {
        return dns_query(dns_port(), name, type, transport);
    }
};

std::string rdf_text_of(const ldns_rr* rr, std::size_t index) {
    char* text = ldns_rdf2str(ldns_rr_rdf(rr, index));
    std::string result = text != nullptr ? text : "";
    LDNS_FREE(text);
    return result;
}

class DnsAnswersOverTransport : public DnsAnswers,
                                public ::testing::WithParamInterface<Transport> {};

TEST_P(DnsAnswersOverTransport, ReadmeSrvHasOneTargetWithGlueAndShortTtl) {
    const DnsReply reply = query("api.svc", LDNS_RR_TYPE_SRV, GetParam());
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR) << reply.to_string();
    EXPECT_TRUE(reply.qr());
    EXPECT_TRUE(reply.aa()) << "dnsd is authoritative for svc";
    EXPECT_FALSE(reply.tc());
    const auto srv = reply.answer(LDNS_RR_TYPE_SRV);
    ASSERT_EQ(srv.size(), 1u) << reply.to_string();
    EXPECT_EQ(rdata_text(srv[0]), "0 100 8861 10-0-0-3-8861.api.svc.");
    EXPECT_EQ(owner_text(srv[0]), "api.svc.");
    EXPECT_LE(ldns_rr_ttl(srv[0]), 5u) << "default --max-ttl is 5";

    const auto glue = reply.additional(LDNS_RR_TYPE_A);
    ASSERT_EQ(glue.size(), 1u) << reply.to_string();
    EXPECT_EQ(owner_text(glue[0]), "10-0-0-3-8861.api.svc.");
    EXPECT_EQ(rdata_text(glue[0]), "10.0.0.3");
    EXPECT_LE(ldns_rr_ttl(glue[0]), 5u);
}

TEST_P(DnsAnswersOverTransport, ServiceAddressIsAnswered) {
    const DnsReply reply = query("api.svc", LDNS_RR_TYPE_A, GetParam());
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(reply.aa());
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3")) << reply.to_string();
}

TEST_P(DnsAnswersOverTransport, InstanceNameAnswersItsAddress) {
    const DnsReply reply = query("10-0-0-3-8861.api.svc", LDNS_RR_TYPE_A, GetParam());
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3")) << reply.to_string();
}

INSTANTIATE_TEST_SUITE_P(UdpAndTcp, DnsAnswersOverTransport,
                         ::testing::Values(Transport::udp, Transport::tcp),
                         [](const auto& param_info) { return param_info.param == Transport::udp ? "udp" : "tcp"; });

TEST_F(DnsAnswers, UnderscoreTcpFormAnswersTheSameSrv) {
    const DnsReply reply = query("_api._tcp.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(reply.aa());
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_SRV)),
                ElementsAre("0 100 8861 10-0-0-3-8861.api.svc."))
        << reply.to_string();
    EXPECT_THAT(rdata_texts(reply.additional(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3"));
}

TEST_F(DnsAnswers, Ipv6InstanceIsAnsweredAsAaaaWithGlue) {
    const HttpResponse response = heartbeat(
        dnsd(), R"({"service":"api","address":"2001:db8::7","port":9000,"id":"v6","weight":5,"priority":2})");
    ASSERT_EQ(response.status, 200u) << response.body;

    const DnsReply aaaa = query("api.svc", LDNS_RR_TYPE_AAAA);
    ASSERT_TRUE(aaaa.ok()) << aaaa.failure();
    EXPECT_EQ(aaaa.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_THAT(rdata_texts(aaaa.answer(LDNS_RR_TYPE_AAAA)), ElementsAre("2001:db8::7")) << aaaa.to_string();

    // The IPv4 answer is unchanged by the IPv6 instance.
    const DnsReply a = query("api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(a.ok()) << a.failure();
    EXPECT_THAT(rdata_texts(a.answer(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3")) << a.to_string();

    const DnsReply instance = query("v6.api.svc", LDNS_RR_TYPE_AAAA);
    ASSERT_TRUE(instance.ok()) << instance.failure();
    EXPECT_THAT(rdata_texts(instance.answer(LDNS_RR_TYPE_AAAA)), ElementsAre("2001:db8::7"));
    // An IPv6-only instance has no A record: NODATA, not NXDOMAIN.
    const DnsReply no_a = query("v6.api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(no_a.ok()) << no_a.failure();
    EXPECT_EQ(no_a.rcode(), LDNS_RCODE_NOERROR) << no_a.to_string();
    EXPECT_TRUE(no_a.answer().empty()) << no_a.to_string();

    // Both instances in SRV, weight and priority as given, each with its own glue.
    const DnsReply srv = query("api.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    EXPECT_THAT(rdata_texts(srv.answer(LDNS_RR_TYPE_SRV)),
                UnorderedElementsAre("0 100 8861 10-0-0-3-8861.api.svc.", "2 5 9000 v6.api.svc."))
        << srv.to_string();
    EXPECT_THAT(rdata_texts(srv.additional(LDNS_RR_TYPE_AAAA)), ElementsAre("2001:db8::7"))
        << srv.to_string();
    EXPECT_THAT(rdata_texts(srv.additional(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3"));
}

TEST_F(DnsAnswers, DerivedIdOfAnIpv6InstanceIsAResolvableName) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"six","address":"2001:db8::7","port":9000})").status, 200u);
    const DnsReply srv = dns_query(dns_port(), "six.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    const auto records = srv.answer(LDNS_RR_TYPE_SRV);
    ASSERT_EQ(records.size(), 1u) << srv.to_string();
    // The SRV target (whatever label the id got) must itself answer the address.
    const std::string target = rdf_text_of(records[0], 3);
    const DnsReply aaaa = dns_query(dns_port(), target, LDNS_RR_TYPE_AAAA);
    ASSERT_TRUE(aaaa.ok()) << aaaa.failure();
    EXPECT_THAT(rdata_texts(aaaa.answer(LDNS_RR_TYPE_AAAA)), ElementsAre("2001:db8::7"))
        << target << "\n" << aaaa.to_string();
}

TEST_F(DnsAnswers, InstanceTxtCarriesVersionAndMeta) {
    const HttpResponse response = heartbeat(
        dnsd(), R"({"service":"web","address":"10.0.0.9","port":80,"id":"web-1","version":"1.2.3",)"
                R"("meta":{"zone":"a","tier":"gold"}})");
    ASSERT_EQ(response.status, 200u) << response.body;

    const DnsReply reply = query("web-1.web.svc", LDNS_RR_TYPE_TXT);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(reply.aa());
    std::vector<std::string> strings;
    for (const ldns_rr* rr : reply.answer(LDNS_RR_TYPE_TXT)) {
        for (auto& s : txt_strings(rr)) strings.push_back(s);
    }
    EXPECT_THAT(strings, Contains("version=1.2.3")) << reply.to_string();
    EXPECT_THAT(strings, Contains("zone=a")) << reply.to_string();
    EXPECT_THAT(strings, Contains("tier=gold")) << reply.to_string();
}

TEST_F(DnsAnswers, TtlNeverExceedsTheRemainingLease) {
    const HttpResponse response =
        heartbeat(dnsd(), R"({"service":"short","address":"10.0.0.4","port":81,"ttl":3})");
    ASSERT_EQ(response.status, 200u) << response.body;
    for (ldns_rr_type type : {LDNS_RR_TYPE_A, LDNS_RR_TYPE_SRV}) {
        const DnsReply reply = query("short.svc", type);
        ASSERT_TRUE(reply.ok()) << reply.failure();
        const auto answers = reply.answer();
        ASSERT_EQ(answers.size(), 1u) << reply.to_string();
        EXPECT_LE(ldns_rr_ttl(answers[0]), 3u) << "a 3 s lease must not be cached longer";
        for (const ldns_rr* rr : reply.additional()) {
            if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_OPT) {
                EXPECT_LE(ldns_rr_ttl(rr), 3u);
            }
        }
    }
}

TEST_F(DnsAnswers, QuestionCaseIsEchoed) {
    const DnsReply reply = query("ApI.SvC", LDNS_RR_TYPE_A);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_EQ(reply.question_name(), "ApI.SvC.");
    const auto answers = reply.answer(LDNS_RR_TYPE_A);
    ASSERT_EQ(answers.size(), 1u) << reply.to_string();
    EXPECT_EQ(owner_text(answers[0]), "ApI.SvC.") << "answers echo the question's case";
    EXPECT_EQ(rdata_text(answers[0]), "10.0.0.3");
}

TEST_F(DnsAnswers, UnknownNameIsNxdomainWithSoa) {
    for (const char* name : {"nosuchservice.svc", "x.nosuchservice.svc", "nosuchid.api.svc"}) {
        const DnsReply reply = query(name, LDNS_RR_TYPE_A);
        ASSERT_TRUE(reply.ok()) << name << ": " << reply.failure();
        EXPECT_EQ(reply.rcode(), LDNS_RCODE_NXDOMAIN) << name << "\n" << reply.to_string();
        EXPECT_TRUE(reply.aa()) << name;
        EXPECT_TRUE(reply.answer().empty()) << name;
        const auto soa = reply.authority(LDNS_RR_TYPE_SOA);
        ASSERT_EQ(soa.size(), 1u) << name << "\n" << reply.to_string();
        EXPECT_EQ(owner_text(soa[0]), "svc.");
        EXPECT_LE(ldns_rr_ttl(soa[0]), 5u) << "negative TTL at most --max-ttl";
    }
}

TEST_F(DnsAnswers, KnownNameWithoutTheTypeIsNodataWithSoa) {
    for (ldns_rr_type type : {LDNS_RR_TYPE_MX, LDNS_RR_TYPE_AAAA}) {
        const DnsReply reply = query("api.svc", type);
        ASSERT_TRUE(reply.ok()) << reply.failure();
        EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR) << reply.to_string();
        EXPECT_TRUE(reply.aa());
        EXPECT_TRUE(reply.answer().empty()) << reply.to_string();
        EXPECT_EQ(reply.authority(LDNS_RR_TYPE_SOA).size(), 1u) << reply.to_string();
    }
}

TEST_F(DnsAnswers, NamesOutsideTheZoneAreRefused) {
    for (const char* name : {"example.com", "svc.example.com", "com"}) {
        const DnsReply reply = query(name, LDNS_RR_TYPE_A);
        ASSERT_TRUE(reply.ok()) << name << ": " << reply.failure();
        EXPECT_EQ(reply.rcode(), LDNS_RCODE_REFUSED) << name << "\n" << reply.to_string();
        EXPECT_TRUE(reply.answer().empty()) << name;
    }
}

TEST_F(DnsAnswers, ApexHasSoaAndNs) {
    const DnsReply soa = query("svc", LDNS_RR_TYPE_SOA);
    ASSERT_TRUE(soa.ok()) << soa.failure();
    EXPECT_EQ(soa.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(soa.aa());
    const auto soa_rrs = soa.answer(LDNS_RR_TYPE_SOA);
    ASSERT_EQ(soa_rrs.size(), 1u) << soa.to_string();
    EXPECT_EQ(owner_text(soa_rrs[0]), "svc.");
    EXPECT_LE(ldns_rr_ttl(soa_rrs[0]), 5u);
    // RDATA: mname rname serial refresh retry expire minimum; minimum is the negative TTL.
    ASSERT_EQ(ldns_rr_rd_count(soa_rrs[0]), 7u);
    EXPECT_LE(ldns_rdf2native_int32(ldns_rr_rdf(soa_rrs[0], 6)), 5u) << "SOA minimum at most --max-ttl";

    const DnsReply ns = query("svc", LDNS_RR_TYPE_NS, Transport::tcp);
    ASSERT_TRUE(ns.ok()) << ns.failure();
    EXPECT_EQ(ns.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(ns.aa());
    EXPECT_GE(ns.answer(LDNS_RR_TYPE_NS).size(), 1u) << ns.to_string();
}

TEST_F(DnsAnswers, SoaSerialRisesWithTheRegistry) {
    auto serial = [&] {
        const DnsReply reply = query("svc", LDNS_RR_TYPE_SOA);
        const auto soa = reply.ok() ? reply.answer(LDNS_RR_TYPE_SOA) : std::vector<const ldns_rr*>{};
        return soa.size() == 1 ? ldns_rdf2native_int32(ldns_rr_rdf(soa[0], 2)) : 0u;
    };
    const std::uint32_t before = serial();
    ASSERT_NE(before, 0u);
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.5","port":8861})").status, 200u);
    EXPECT_GT(serial(), before);
}

TEST_F(DnsAnswers, NodeAnswersForItselfAsServiceDnsd) {
    const DnsReply a = query("dnsd.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(a.ok()) << a.failure();
    EXPECT_EQ(a.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_THAT(rdata_texts(a.answer(LDNS_RR_TYPE_A)), Contains("127.0.0.1")) << a.to_string();

    const DnsReply srv = query("dnsd.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    const auto records = srv.answer(LDNS_RR_TYPE_SRV);
    ASSERT_EQ(records.size(), 1u) << srv.to_string();
    // The node's entry is its HTTP address (what peers gossip with), named by --node-name.
    EXPECT_EQ(ldns_rdf2native_int16(ldns_rr_rdf(records[0], 2)), http_port()) << srv.to_string();
    EXPECT_EQ(rdf_text_of(records[0], 3), "e2e-node.dnsd.svc.") << srv.to_string();
}

}  // namespace
}  // namespace dnsd::e2e
