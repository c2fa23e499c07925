// dnsd's command-line options as they show in answers: --max-ttl, --domain, repeated --dns,
// --zone-file with SIGHUP reloading it without touching the registry.
#include <signal.h>

#include <string>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

constexpr const char* kReadmeHeartbeat = R"({"service":"api","address":"10.0.0.3","port":8861})";

TEST(Options, MaxTtlCapsEveryTtlIncludingTheNegativeOne) {
    DnsdOptions options;
    options.max_ttl_s = 2;
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, kReadmeHeartbeat).status, 200u);  // lease 30 s, far above 2

    const DnsReply srv = dns_query(dnsd.dns_port(), "api.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    ASSERT_EQ(srv.answer(LDNS_RR_TYPE_SRV).size(), 1u) << srv.to_string();
    EXPECT_LE(ldns_rr_ttl(srv.answer(LDNS_RR_TYPE_SRV)[0]), 2u);
    for (const ldns_rr* rr : srv.additional(LDNS_RR_TYPE_A)) EXPECT_LE(ldns_rr_ttl(rr), 2u);

    const DnsReply missing = dns_query(dnsd.dns_port(), "nosuch.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(missing.ok()) << missing.failure();
    const auto soa = missing.authority(LDNS_RR_TYPE_SOA);
    ASSERT_EQ(soa.size(), 1u) << missing.to_string();
    EXPECT_LE(ldns_rr_ttl(soa[0]), 2u);
    EXPECT_LE(ldns_rdf2native_int32(ldns_rr_rdf(soa[0], 6)), 2u) << "SOA minimum";
}

TEST(Options, DomainMovesTheZone) {
    DnsdOptions options;
    options.extra_args = {"--domain", "dnsd.test"};
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, kReadmeHeartbeat).status, 200u);

    const DnsReply srv = dns_query(dnsd.dns_port(), "api.dnsd.test", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    EXPECT_TRUE(srv.aa());
    EXPECT_THAT(rdata_texts(srv.answer(LDNS_RR_TYPE_SRV)),
                ElementsAre("0 100 8861 10-0-0-3-8861.api.dnsd.test."))
        << srv.to_string();
    EXPECT_THAT(rdata_texts(srv.additional(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3"));

    const DnsReply apex = dns_query(dnsd.dns_port(), "dnsd.test", LDNS_RR_TYPE_SOA);
    ASSERT_TRUE(apex.ok()) << apex.failure();
    ASSERT_EQ(apex.answer(LDNS_RR_TYPE_SOA).size(), 1u) << apex.to_string();
    EXPECT_EQ(owner_text(apex.answer(LDNS_RR_TYPE_SOA)[0]), "dnsd.test.");

    const DnsReply old_zone = dns_query(dnsd.dns_port(), "api.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(old_zone.ok()) << old_zone.failure();
    EXPECT_EQ(old_zone.rcode(), LDNS_RCODE_REFUSED) << "svc is no longer dnsd's zone";
}

TEST(Options, EveryDnsListenerAnswers) {
    const std::uint16_t second_port = pick_free_port();
    DnsdOptions options;
    options.extra_args = {"--dns", "127.0.0.1:" + std::to_string(second_port)};
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, kReadmeHeartbeat).status, 200u);
    for (std::uint16_t port : {dnsd.dns_port(), second_port}) {
        for (Transport transport : {Transport::udp, Transport::tcp}) {
            const DnsReply reply = dns_query(port, "api.svc", LDNS_RR_TYPE_A, transport);
            ASSERT_TRUE(reply.ok()) << "port " << port << ": " << reply.failure();
            EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3"));
        }
    }
}

TEST(Options, ZoneFileRecordsAreServedAndSighupReloadsThem) {
    TempDir dir;
    const auto zone_file = dir.path() / "static.zone";
    write_file(zone_file, "$ORIGIN svc.\n$TTL 3600\nstatic IN A 10.9.9.9\nstatic IN TXT \"hello\"\n");
    DnsdOptions options;
    options.extra_args = {"--zone-file", zone_file.string()};
    DnsdProcess dnsd(options);
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, kReadmeHeartbeat).status, 200u);

    const DnsReply first = dns_query(dnsd.dns_port(), "static.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(first.ok()) << first.failure();
    EXPECT_TRUE(first.aa());
    const auto a = first.answer(LDNS_RR_TYPE_A);
    ASSERT_EQ(a.size(), 1u) << first.to_string();
    EXPECT_EQ(rdata_text(a[0]), "10.9.9.9");
    EXPECT_LE(ldns_rr_ttl(a[0]), 5u) << "--max-ttl caps static records too";

    write_file(zone_file, "$ORIGIN svc.\n$TTL 3600\nstatic IN A 10.9.9.10\nadded IN A 10.9.9.11\n");
    ASSERT_TRUE(dnsd.send_signal(SIGHUP));
    EXPECT_TRUE(eventually(
        [&] {
            const DnsReply r = dns_query(dnsd.dns_port(), "added.svc", LDNS_RR_TYPE_A);
            return r.answer(LDNS_RR_TYPE_A).size() == 1;
        },
        3000ms))
        << "SIGHUP reloads --zone-file";
    const DnsReply changed = dns_query(dnsd.dns_port(), "static.svc", LDNS_RR_TYPE_A);
    EXPECT_THAT(rdata_texts(changed.answer(LDNS_RR_TYPE_A)), ElementsAre("10.9.9.10")) << changed.to_string();
    const DnsReply api = dns_query(dnsd.dns_port(), "api.svc", LDNS_RR_TYPE_A);
    EXPECT_THAT(rdata_texts(api.answer(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.3"))
        << "the registry survives the reload";
    EXPECT_TRUE(dnsd.running());
    EXPECT_EQ(http_get(dnsd.http_port(), "/healthz").status, 200u);
}

}  // namespace
}  // namespace dnsd::e2e
