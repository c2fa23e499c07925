// answer_query end to end, in process: a real Registry on a ManualClock, a ZonePublisher, and
// every reply decoded by ldns.
#include "zones/query.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <set>
#include <tuple>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "static_test_support.hpp"
#include "zone_test_support.hpp"
#include "zones/publisher.hpp"

// Counts every allocation in this test binary, so a test can show the query path makes none.
// GCC sees the replaced operator delete inlined next to operator new and calls free() on it a
// mismatch; with both replaced consistently it is not one.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace dnsd::zones {
namespace {

using test::Decoded;
using test::make_query;
using test::make_spec;
using test::QuerySpec;
using test::Rr;

class QueryTest : public ::testing::Test {
protected:
    registry::ManualClock clock;
    registry::Registry reg{clock};
    ZonePublisher zones{test::zone_options("svc", "node1")};
    std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(65535);
    AnswerInfo info;

    void add(const std::string& service, const std::string& id, const std::string& address,
             std::uint16_t port = 8080, std::int64_t ttl_ms = 30'000) {
        reg.renew(make_spec(service, id, address, port, ttl_ms));
    }
    void publish() { zones.update(reg, reg.take_changed(), false); }

    std::vector<std::uint8_t> send(const std::vector<std::uint8_t>& query, bool tcp = false) {
        info = answer_query(query, buffer, *zones.current(), clock.mono_ms(), tcp);
        return {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(info.size)};
    }
    std::vector<std::uint8_t> ask(const std::string& name, std::uint16_t qtype,
                                  const QuerySpec& spec = {}, bool tcp = false) {
        return send(make_query(name, qtype, spec), tcp);
    }
};

std::vector<std::string> field(const std::vector<Rr>& rrs, std::size_t i) {
    std::vector<std::string> out;
    for (const Rr& rr : rrs) out.push_back(i < rr.rdata.size() ? rr.rdata[i] : "");
    return out;
}

// Rotating RRsets come in any cyclic order: compare their records as sets.
std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}
std::vector<Rr> sorted_by_last_field(std::vector<Rr> rrs) {
    std::sort(rrs.begin(), rrs.end(), [](const Rr& a, const Rr& b) { return a.rdata.back() < b.rdata.back(); });
    return rrs;
}

TEST_F(QueryTest, ServiceAddressesAreTheLiveInstancesOfEachFamily) {
    add("api", "api-1", "10.0.0.1");
    add("api", "api-2", "10.0.0.2");
    add("api", "api-3", "fd00::3");
    publish();

    Decoded a(ask("api.svc", LDNS_RR_TYPE_A));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(a.qr());
    EXPECT_TRUE(a.aa());
    EXPECT_FALSE(a.tc());
    EXPECT_EQ(a.id(), 0x1234);
    EXPECT_EQ(sorted(field(a.answer(), 0)), (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
    for (const Rr& rr : a.answer()) {
        EXPECT_EQ(rr.owner, "api.svc.");
        EXPECT_EQ(rr.type, LDNS_RR_TYPE_A);
        EXPECT_EQ(rr.ttl, 5u);
    }
    EXPECT_TRUE(a.authority().empty());

    Decoded aaaa(ask("api.svc", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(field(aaaa.answer(), 0), (std::vector<std::string>{"fd00::3"}));
    EXPECT_EQ(info.qtype, LDNS_RR_TYPE_AAAA);
    EXPECT_EQ(info.rcode, 0);
}

TEST_F(QueryTest, SrvAtServiceAndTcpNameWithTargetsAddressesInAdditional) {
    reg.renew([&] {
        auto s = make_spec("api", "api-1", "10.0.0.1", 8861);
        s.priority = 1;
        s.weight = 7;
        return s;
    }());
    add("api", "api-2", "fd00::2", 9000);
    publish();

    for (const std::string name : {"api.svc", "_api._tcp.svc"}) {
        Decoded d(ask(name, LDNS_RR_TYPE_SRV));
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR);
        EXPECT_TRUE(d.aa());
        const auto answer = sorted_by_last_field(d.answer());
        ASSERT_EQ(answer.size(), 2u) << name;
        EXPECT_EQ(answer[0].owner, name + ".");
        EXPECT_EQ(answer[0].rdata, (std::vector<std::string>{"1", "7", "8861", "api-1.api.svc."}));
        EXPECT_EQ(answer[1].rdata, (std::vector<std::string>{"0", "100", "9000", "api-2.api.svc."}));
        // At S.<apex> the prepared glue follows the ids; at _S._tcp.<apex> (written at query
        // time) it follows the instance table, whose order the per-process hash seed decides.
        auto additional = d.additional();
        if (name == "_api._tcp.svc")
            std::sort(additional.begin(), additional.end(), [](const Rr& x, const Rr& y) { return x.owner < y.owner; });
        ASSERT_EQ(additional.size(), 2u);
        EXPECT_EQ(additional[0].owner, "api-1.api.svc.");
        EXPECT_EQ(additional[0].type, LDNS_RR_TYPE_A);
        EXPECT_EQ(additional[0].rdata[0], "10.0.0.1");
        EXPECT_EQ(additional[1].owner, "api-2.api.svc.");
        EXPECT_EQ(additional[1].type, LDNS_RR_TYPE_AAAA);
        EXPECT_EQ(additional[1].rdata[0], "fd00::2");
    }
}

TEST_F(QueryTest, InstanceNameHasAddressTxtAndSrv) {
    reg.renew([&] {
        auto s = make_spec("api", "api-1", "10.0.0.1", 8861);
        s.version = "1.2.3";
        s.meta = {{"zone", "a"}, {"arch", "arm64"}};
        return s;
    }());
    add("api", "api-2", "10.0.0.2");
    publish();

    Decoded a(ask("api-1.api.svc", LDNS_RR_TYPE_A));
    ASSERT_EQ(a.answer().size(), 1u);
    EXPECT_EQ(a.answer()[0].owner, "api-1.api.svc.");
    EXPECT_EQ(a.answer()[0].rdata[0], "10.0.0.1");

    Decoded txt(ask("api-1.api.svc", LDNS_RR_TYPE_TXT));
    ASSERT_EQ(txt.answer().size(), 1u);
    EXPECT_EQ(txt.answer()[0].rdata,
              (std::vector<std::string>{"\"version=1.2.3\"", "\"arch=arm64\"", "\"zone=a\""}));

    // Neither version nor meta: one empty string (RFC 6763 §6.1).
    Decoded empty(ask("api-2.api.svc", LDNS_RR_TYPE_TXT));
    ASSERT_EQ(empty.answer().size(), 1u);
    EXPECT_EQ(empty.answer()[0].rdata, (std::vector<std::string>{"\"\""}));

    Decoded srv(ask("api-1.api.svc", LDNS_RR_TYPE_SRV));
    ASSERT_EQ(srv.answer().size(), 1u);
    EXPECT_EQ(srv.answer()[0].rdata, (std::vector<std::string>{"0", "100", "8861", "api-1.api.svc."}));
    ASSERT_EQ(srv.additional().size(), 1u);
    EXPECT_EQ(srv.additional()[0].rdata[0], "10.0.0.1");
}

TEST_F(QueryTest, ExistingNameWithoutTheTypeIsNodataWithSoa) {
    add("api", "api-1", "10.0.0.1");
    publish();
    for (const auto& [name, type] : std::vector<std::pair<std::string, std::uint16_t>>{
             {"api-1.api.svc", LDNS_RR_TYPE_AAAA},
             {"api.svc", LDNS_RR_TYPE_AAAA},
             {"api.svc", LDNS_RR_TYPE_TXT},
             {"_api._tcp.svc", LDNS_RR_TYPE_A},
             {"svc", LDNS_RR_TYPE_A},
             {"_tcp.svc", LDNS_RR_TYPE_SRV}}) {
        Decoded d(ask(name, type));
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR) << name;
        EXPECT_TRUE(d.aa()) << name;
        EXPECT_TRUE(d.answer().empty()) << name;
        ASSERT_EQ(d.authority().size(), 1u) << name;
        EXPECT_EQ(d.authority()[0].type, LDNS_RR_TYPE_SOA);
        EXPECT_EQ(d.authority()[0].owner, "svc.");
        EXPECT_EQ(d.authority()[0].ttl, 5u);
    }
}

TEST_F(QueryTest, UnknownNamesAreNxdomainWithSoa) {
    add("api", "api-1", "10.0.0.1");
    publish();
    for (const std::string name : {"web.svc", "api-9.api.svc", "x.api-1.api.svc", "_web._tcp.svc",
                                   "_api._udp.svc", "api._tcp.svc"}) {
        Decoded d(ask(name, LDNS_RR_TYPE_A));
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(d.rcode(), LDNS_RCODE_NXDOMAIN) << name;
        EXPECT_TRUE(d.aa()) << name;
        EXPECT_TRUE(d.answer().empty());
        const std::vector<Rr> authority = d.authority();
        ASSERT_EQ(authority.size(), 1u);
        const Rr& soa = authority[0];
        EXPECT_EQ(soa.owner, "svc.");
        EXPECT_EQ(soa.type, LDNS_RR_TYPE_SOA);
        EXPECT_EQ(soa.rdata[0], "node1.dnsd.svc.");
        EXPECT_EQ(soa.rdata[1], "hostmaster.svc.");
        EXPECT_EQ(soa.rdata[6], "5");  // minimum = max_ttl
        EXPECT_EQ(info.rcode, LDNS_RCODE_NXDOMAIN);
    }
}

TEST_F(QueryTest, ServiceWithoutLiveInstanceIsNodataNotNxdomain) {
    add("api", "api-1", "10.0.0.1");
    publish();
    ASSERT_TRUE(reg.deregister("api", "api-1"));
    publish();
    ASSERT_NE(reg.find("api"), nullptr);  // the registry still knows it

    for (const auto& [name, type] : std::vector<std::pair<std::string, std::uint16_t>>{
             {"api.svc", LDNS_RR_TYPE_A},
             {"api.svc", LDNS_RR_TYPE_SRV},
             {"_api._tcp.svc", LDNS_RR_TYPE_SRV}}) {
        Decoded d(ask(name, type));
        EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR) << name;
        EXPECT_TRUE(d.answer().empty()) << name;
        EXPECT_EQ(d.authority().size(), 1u) << name;
    }
    Decoded gone(ask("api-1.api.svc", LDNS_RR_TYPE_A));
    EXPECT_EQ(gone.rcode(), LDNS_RCODE_NXDOMAIN);
}

TEST_F(QueryTest, NamesOutsideTheZoneAreRefusedWithoutAa) {
    add("api", "api-1", "10.0.0.1");
    publish();
    for (const std::string name : {"example.com", "api.svc.example", "xsvc", ".", "api.xsvc"}) {
        Decoded d(ask(name, LDNS_RR_TYPE_A));
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(d.rcode(), LDNS_RCODE_REFUSED) << name;
        EXPECT_FALSE(d.aa());
        EXPECT_TRUE(d.answer().empty());
        EXPECT_TRUE(d.authority().empty());
        ASSERT_EQ(d.question().size(), 1u);
    }
}

TEST_F(QueryTest, AnswersEchoTheQuestionsCase) {
    add("api", "api-1", "10.0.0.1");
    publish();
    Decoded d(ask("ApI.SvC", LDNS_RR_TYPE_A));
    ASSERT_EQ(d.question().size(), 1u);
    EXPECT_EQ(d.question()[0].owner, "ApI.SvC.");
    ASSERT_EQ(d.answer().size(), 1u);
    EXPECT_EQ(d.answer()[0].owner, "ApI.SvC.");

    Decoded nx(ask("NoPe.SVC", LDNS_RR_TYPE_A));
    EXPECT_EQ(nx.question()[0].owner, "NoPe.SVC.");
    EXPECT_EQ(nx.authority()[0].owner, "SVC.");  // the SOA owner points into the question
}

TEST_F(QueryTest, TtlIsTheRemainingLeaseCappedByMaxTtl) {
    add("api", "long", "10.0.0.1", 80, 60'000);
    add("api", "short", "10.0.0.2", 80, 3'500);
    publish();

    EXPECT_EQ(Decoded(ask("long.api.svc", LDNS_RR_TYPE_A)).answer()[0].ttl, 5u);
    EXPECT_EQ(Decoded(ask("short.api.svc", LDNS_RR_TYPE_A)).answer()[0].ttl, 3u);  // 3.5 s down
    // One TTL per RRset: the smallest of its members.
    for (const Rr& rr : Decoded(ask("api.svc", LDNS_RR_TYPE_A)).answer()) EXPECT_EQ(rr.ttl, 3u);
    Decoded srv(ask("api.svc", LDNS_RR_TYPE_SRV));
    for (const Rr& rr : srv.answer()) EXPECT_EQ(rr.ttl, 3u);
    ASSERT_EQ(srv.additional().size(), 2u);
    EXPECT_EQ(srv.additional()[0].ttl, 5u);  // each glue record is its own RRset
    EXPECT_EQ(srv.additional()[1].ttl, 3u);
}

TEST_F(QueryTest, TtlFallsWithTimeAndRisesOnRenewalWithoutRebuild) {
    const auto spec = make_spec("api", "api-1", "10.0.0.1", 80, 4'000);
    reg.renew(spec);
    publish();
    const std::uint64_t generation = zones.generation();

    EXPECT_EQ(Decoded(ask("api-1.api.svc", LDNS_RR_TYPE_A)).answer()[0].ttl, 4u);
    clock.advance_ms(1'500);
    EXPECT_EQ(Decoded(ask("api-1.api.svc", LDNS_RR_TYPE_A)).answer()[0].ttl, 2u);
    clock.advance_ms(2'400);
    EXPECT_EQ(Decoded(ask("api-1.api.svc", LDNS_RR_TYPE_A)).answer()[0].ttl, 0u);

    // A pure renewal changes nothing the zone rebuilds on: the lease cell moves in place.
    EXPECT_EQ(reg.renew(spec).result, registry::RenewResult::renewed);
    EXPECT_TRUE(reg.take_changed().empty());
    EXPECT_EQ(zones.generation(), generation);
    EXPECT_EQ(Decoded(ask("api-1.api.svc", LDNS_RR_TYPE_A)).answer()[0].ttl, 4u);
}

TEST_F(QueryTest, ExpiredButNotYetSweptInstanceGetsTtlZero) {
    add("api", "api-1", "10.0.0.1", 80, 2'000);
    publish();
    clock.advance_ms(2'500);
    Decoded d(ask("api.svc", LDNS_RR_TYPE_A));
    ASSERT_EQ(d.answer().size(), 1u);
    EXPECT_EQ(d.answer()[0].ttl, 0u);

    reg.sweep();
    publish();
    Decoded after(ask("api.svc", LDNS_RR_TYPE_A));
    EXPECT_EQ(after.rcode(), LDNS_RCODE_NOERROR);  // known service, no instance: NODATA
    EXPECT_TRUE(after.answer().empty());
}

TEST_F(QueryTest, UdpAnswerTooBigIsCutAtWholeRrsetsWithTc) {
    for (int i = 0; i < 40; ++i) add("big", "i" + std::to_string(i), "10.0.1." + std::to_string(i));
    publish();

    Decoded udp(ask("big.svc", LDNS_RR_TYPE_A));  // 40 A records: 12+13+40*16 > 512
    ASSERT_TRUE(udp.ok());
    EXPECT_TRUE(udp.tc());
    EXPECT_TRUE(udp.answer().empty());  // one RRset: all or nothing
    EXPECT_LE(info.size, 512u);
    EXPECT_TRUE(info.truncated);

    Decoded tcp(ask("big.svc", LDNS_RR_TYPE_A, {}, true));
    EXPECT_FALSE(tcp.tc());
    EXPECT_EQ(tcp.answer().size(), 40u);

    QuerySpec edns;
    edns.edns_udp = 4096;
    Decoded large(ask("big.svc", LDNS_RR_TYPE_A, edns));
    EXPECT_FALSE(large.tc());
    EXPECT_EQ(large.answer().size(), 40u);
    EXPECT_TRUE(large.edns());
    EXPECT_EQ(ldns_pkt_edns_udp_size(large.pkt()), 1232);
}

TEST_F(QueryTest, EdnsSizeIsCappedAt1232) {
    for (int i = 0; i < 90; ++i) add("big", "i" + std::to_string(i), "10.0.1." + std::to_string(i));
    publish();
    QuerySpec edns;
    edns.edns_udp = 4096;
    Decoded d(ask("big.svc", LDNS_RR_TYPE_A, edns));  // 90*16 = 1440 bytes of answer
    EXPECT_TRUE(d.tc());
    EXPECT_LE(info.size, 1232u);
    EXPECT_TRUE(d.edns());
}

TEST_F(QueryTest, AdditionalRecordsAreDroppedWithoutTc) {
    // 12 SRV records with 21-byte targets fit in 512 bytes; their 12 A records do not.
    for (int i = 10; i < 22; ++i) add("api", "instance-" + std::to_string(i), "10.0.0." + std::to_string(i));
    publish();
    Decoded d(ask("api.svc", LDNS_RR_TYPE_SRV));
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(d.tc());
    EXPECT_FALSE(info.truncated);
    EXPECT_EQ(d.answer().size(), 12u);
    EXPECT_LT(d.additional().size(), 12u);
    EXPECT_LE(info.size, 512u);

    Decoded tcp(ask("api.svc", LDNS_RR_TYPE_SRV, {}, true));
    EXPECT_EQ(tcp.additional().size(), 12u);
}

TEST_F(QueryTest, EdnsReplyAdvertises1232VersionZeroAndClearsDo) {
    add("api", "api-1", "10.0.0.1");
    publish();
    QuerySpec edns;
    edns.edns_udp = 1400;
    edns.edns_do = true;
    Decoded d(ask("api.svc", LDNS_RR_TYPE_A, edns));
    ASSERT_TRUE(d.edns());
    EXPECT_EQ(ldns_pkt_edns_udp_size(d.pkt()), 1232);
    EXPECT_EQ(ldns_pkt_edns_version(d.pkt()), 0);
    EXPECT_FALSE(ldns_pkt_edns_do(d.pkt()));
    EXPECT_EQ(d.answer().size(), 1u);

    Decoded plain(ask("api.svc", LDNS_RR_TYPE_A));
    EXPECT_FALSE(plain.edns());
    Decoded nx(ask("web.svc", LDNS_RR_TYPE_A, edns));
    EXPECT_TRUE(nx.edns());
}

TEST_F(QueryTest, EdnsVersionOneGetsBadvers) {
    QuerySpec edns;
    edns.edns_udp = 1232;
    edns.edns_version = 1;
    Decoded d(ask("api.svc", LDNS_RR_TYPE_A, edns));
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(d.edns());
    EXPECT_EQ(d.rcode(), 0u);                                   // the low 4 bits of 16
    EXPECT_EQ(ldns_pkt_edns_extended_rcode(d.pkt()), 1);        // 16 >> 4
    EXPECT_EQ(ldns_pkt_edns_version(d.pkt()), 0);
    EXPECT_EQ(info.rcode, 16);
}

TEST_F(QueryTest, IdRdAndCdAreCopiedFromTheQuery) {
    add("api", "api-1", "10.0.0.1");
    publish();
    QuerySpec spec;
    spec.id = 0xbeef;
    spec.rd = false;
    spec.cd = true;
    Decoded d(ask("api.svc", LDNS_RR_TYPE_A, spec));
    EXPECT_EQ(d.id(), 0xbeef);
    EXPECT_FALSE(d.rd());
    EXPECT_TRUE(d.cd());
    EXPECT_FALSE(ldns_pkt_ra(d.pkt()));  // not a recursive server

    spec.rd = true;
    spec.cd = false;
    Decoded nx(ask("nope.svc", LDNS_RR_TYPE_A, spec));
    EXPECT_EQ(nx.id(), 0xbeef);
    EXPECT_TRUE(nx.rd());
    EXPECT_FALSE(nx.cd());
}

TEST_F(QueryTest, ApexHasSoaAndNsWithGlue) {
    add("dnsd", "n1", "10.0.9.1", 8054, 20'000);
    add("dnsd", "n2", "fd00::9", 8054, 2'000);
    add("api", "api-1", "10.0.0.1");
    publish();

    Decoded soa(ask("svc", LDNS_RR_TYPE_SOA));
    const std::vector<Rr> soa_answer = soa.answer();
    ASSERT_EQ(soa_answer.size(), 1u);
    const Rr& s = soa_answer[0];
    EXPECT_EQ(s.owner, "svc.");
    EXPECT_EQ(s.ttl, 5u);
    EXPECT_EQ(s.rdata[0], "n1.dnsd.svc.");
    EXPECT_EQ(s.rdata[1], "hostmaster.svc.");
    EXPECT_EQ(s.rdata[2], std::to_string(reg.index()));
    EXPECT_EQ(s.rdata[6], "5");

    Decoded ns(ask("svc", LDNS_RR_TYPE_NS));
    EXPECT_EQ(sorted(field(ns.answer(), 0)), (std::vector<std::string>{"n1.dnsd.svc.", "n2.dnsd.svc."}));
    for (const Rr& rr : ns.answer()) EXPECT_EQ(rr.ttl, 2u);  // bounded by the shortest lease
    const auto glue = ns.additional();
    ASSERT_EQ(glue.size(), 2u);
    EXPECT_EQ(glue[0].owner, "n1.dnsd.svc.");
    EXPECT_EQ(glue[0].rdata[0], "10.0.9.1");
    EXPECT_EQ(glue[1].owner, "n2.dnsd.svc.");
    EXPECT_EQ(glue[1].type, LDNS_RR_TYPE_AAAA);

    // The name servers resolve too: they are instances of service "dnsd".
    Decoded n2(ask("n2.dnsd.svc", LDNS_RR_TYPE_AAAA));
    EXPECT_EQ(field(n2.answer(), 0), (std::vector<std::string>{"fd00::9"}));
}

TEST_F(QueryTest, SoaSerialFollowsTheRegistryIndex) {
    add("api", "api-1", "10.0.0.1");
    publish();
    const std::string first = Decoded(ask("svc", LDNS_RR_TYPE_SOA)).answer()[0].rdata[2];
    add("api", "api-2", "10.0.0.2");
    publish();
    const std::string second = Decoded(ask("svc", LDNS_RR_TYPE_SOA)).answer()[0].rdata[2];
    EXPECT_EQ(second, std::to_string(reg.index()));
    EXPECT_LT(std::stoul(first), std::stoul(second));
}

TEST_F(QueryTest, NsFallsBackToThisNodeWithoutDnsdInstances) {
    Decoded ns(ask("svc", LDNS_RR_TYPE_NS));
    ASSERT_EQ(ns.answer().size(), 1u);
    EXPECT_EQ(ns.answer()[0].rdata[0], "node1.dnsd.svc.");
    EXPECT_TRUE(ns.additional().empty());
}

TEST_F(QueryTest, AnyGetsOneRrset) {
    add("api", "api-1", "10.0.0.1");
    add("api", "api-2", "fd00::2");
    publish();
    Decoded service(ask("api.svc", LDNS_RR_TYPE_ANY));
    ASSERT_EQ(service.answer().size(), 1u);
    EXPECT_EQ(service.answer()[0].type, LDNS_RR_TYPE_A);
    Decoded instance(ask("api-2.api.svc", LDNS_RR_TYPE_ANY));
    ASSERT_EQ(instance.answer().size(), 1u);
    EXPECT_EQ(instance.answer()[0].type, LDNS_RR_TYPE_AAAA);
    Decoded tcp(ask("_api._tcp.svc", LDNS_RR_TYPE_ANY));
    EXPECT_EQ(tcp.answer().size(), 2u);
    EXPECT_EQ(tcp.answer()[0].type, LDNS_RR_TYPE_SRV);
    Decoded apex(ask("svc", LDNS_RR_TYPE_ANY));
    ASSERT_EQ(apex.answer().size(), 1u);
    EXPECT_EQ(apex.answer()[0].type, LDNS_RR_TYPE_SOA);
}

TEST_F(QueryTest, OtherClassesAndZoneTransfersAreRefused) {
    add("api", "api-1", "10.0.0.1");
    publish();
    QuerySpec hesiod;
    hesiod.qclass = LDNS_RR_CLASS_HS;
    Decoded hs(ask("api.svc", LDNS_RR_TYPE_A, hesiod));
    EXPECT_EQ(hs.rcode(), LDNS_RCODE_REFUSED);
    QuerySpec chaos;
    chaos.qclass = LDNS_RR_CLASS_CH;
    Decoded ch(ask("api.svc", LDNS_RR_TYPE_A, chaos));  // our zone is class IN only
    EXPECT_EQ(ch.rcode(), LDNS_RCODE_REFUSED);
    EXPECT_FALSE(ch.aa());
    Decoded axfr(ask("svc", LDNS_RR_TYPE_AXFR, {}, true));
    EXPECT_EQ(axfr.rcode(), LDNS_RCODE_REFUSED);
}

TEST_F(QueryTest, MalformedQueriesGetFormerrOrNothing) {
    std::vector<std::uint8_t> query = make_query("api.svc", LDNS_RR_TYPE_A);
    query.push_back(0);  // trailing byte
    Decoded trailing(send(query));
    ASSERT_TRUE(trailing.ok());
    EXPECT_EQ(trailing.rcode(), LDNS_RCODE_FORMERR);
    EXPECT_EQ(trailing.id(), 0x1234);
    EXPECT_FALSE(trailing.aa());

    EXPECT_EQ(send({0x12, 0x34, 0x01}).size(), 0u);  // short header: silence
    EXPECT_EQ(info.size, 0u);

    std::vector<std::uint8_t> response = make_query("api.svc", LDNS_RR_TYPE_A);
    response[2] |= 0x80;  // QR
    EXPECT_TRUE(send(response).empty());

    std::vector<std::uint8_t> notify = make_query("svc", LDNS_RR_TYPE_SOA);
    notify[2] = static_cast<std::uint8_t>((notify[2] & 0x87) | (4 << 3));  // opcode NOTIFY
    Decoded notimp(send(notify));
    EXPECT_EQ(notimp.rcode(), LDNS_RCODE_NOTIMPL);
    EXPECT_EQ(ldns_pkt_get_opcode(notimp.pkt()), LDNS_PACKET_NOTIFY);
}

TEST_F(QueryTest, TheQueryPathDoesNotAllocate) {
    add("api", "api-1", "10.0.0.1");
    add("api", "api-2", "fd00::2");
    add("dnsd", "n1", "10.0.9.1");
    publish();
    zones.set_static_zone(test::static_zone("svc", {"www.svc. 60 IN A 192.0.2.1", "www.svc. 60 IN A 192.0.2.2",
                                                    "alias.svc. 60 IN CNAME www.svc.",
                                                    "a.b.svc. 60 IN TXT \"x\""}));
    QuerySpec edns;
    edns.edns_udp = 1232;
    std::vector<std::vector<std::uint8_t>> queries;
    for (const auto& [name, type] : std::vector<std::pair<std::string, std::uint16_t>>{
             {"api.svc", LDNS_RR_TYPE_A}, {"API.svc", LDNS_RR_TYPE_SRV}, {"api-1.api.svc", LDNS_RR_TYPE_TXT},
             {"svc", LDNS_RR_TYPE_NS}, {"nope.svc", LDNS_RR_TYPE_A}, {"api.svc", LDNS_RR_TYPE_MX},
             {"example.com", LDNS_RR_TYPE_A}, {"_services._dns-sd._udp.svc", LDNS_RR_TYPE_PTR},
             {"_api._tcp.svc", LDNS_RR_TYPE_PTR}, {"api-1._api._tcp.svc", LDNS_RR_TYPE_SRV},
             {"www.svc", LDNS_RR_TYPE_A}, {"alias.svc", LDNS_RR_TYPE_A}, {"x.b.svc", LDNS_RR_TYPE_A},
             // The instances' own names: answers written at query time from their records.
             {"Api-1.API.svc", LDNS_RR_TYPE_A}, {"api-1.api.svc", LDNS_RR_TYPE_SRV},
             {"api-2.api.svc", LDNS_RR_TYPE_ANY}, {"api-2._API._tcp.svc", LDNS_RR_TYPE_TXT},
             {"api-9.api.svc", LDNS_RR_TYPE_A}, {"api-1.api.svc", LDNS_RR_TYPE_AAAA}}) {
        queries.push_back(make_query(name, type));
        queries.push_back(make_query(name, type, edns));
    }
    QuerySpec chaos;
    chaos.qclass = LDNS_RR_CLASS_CH;
    queries.push_back(make_query("version.bind", LDNS_RR_TYPE_TXT, chaos));
    queries.push_back(make_query("authors.bind", LDNS_RR_TYPE_TXT, chaos));
    queries.push_back({0x12, 0x34, 0x01, 0x00, 0x00, 0x00});
    const std::size_t probe = allocations.load();
    queries.push_back(make_query("api-2.api.svc", LDNS_RR_TYPE_AAAA));
    ASSERT_GT(allocations.load(), probe);  // the counter does see allocations
    const std::shared_ptr<const Snapshot> snap = zones.current();
    const registry::MonoMs now = clock.mono_ms();

    const std::size_t before = allocations.load();
    std::size_t answered = 0;
    for (const auto& q : queries) answered += answer_query(q, buffer, *snap, now, false).size > 0;
    EXPECT_EQ(allocations.load(), before);
    EXPECT_EQ(answered, queries.size() - 1);
}

// --- DNS-SD browsing (RFC 6763) ---

TEST_F(QueryTest, ServiceTypeEnumerationListsServicesWithLiveInstances) {
    add("api", "api-1", "10.0.0.1");
    add("web", "web-1", "10.0.0.2");
    add("gone", "gone-1", "10.0.0.3");
    publish();
    ASSERT_TRUE(reg.deregister("gone", "gone-1"));
    publish();

    Decoded d(ask("_services._dns-sd._udp.svc", LDNS_RR_TYPE_PTR));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(d.aa());
    for (const Rr& rr : d.answer()) {
        EXPECT_EQ(rr.owner, "_services._dns-sd._udp.svc.");
        EXPECT_EQ(rr.type, LDNS_RR_TYPE_PTR);
        EXPECT_EQ(rr.ttl, 5u);
    }
    EXPECT_EQ(sorted(field(d.answer(), 0)), (std::vector<std::string>{"_api._tcp.svc.", "_web._tcp.svc."}));

    // Each listed name answers PTR in turn.
    add("web", "web-2", "10.0.0.4");
    publish();
    Decoded web(ask("_web._tcp.svc", LDNS_RR_TYPE_PTR));
    EXPECT_EQ(sorted(field(web.answer(), 0)),
              (std::vector<std::string>{"web-1._web._tcp.svc.", "web-2._web._tcp.svc."}));

    Decoded empty(ask("_dns-sd._udp.svc", LDNS_RR_TYPE_PTR));  // an empty non-terminal
    EXPECT_EQ(empty.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(empty.answer().empty());
    EXPECT_EQ(empty.authority().size(), 1u);
}

TEST_F(QueryTest, InstanceEnumerationCarriesSrvTxtAndAddressesInAdditional) {
    reg.renew([&] {
        auto s = make_spec("api", "api-1", "10.0.0.1", 8861);
        s.version = "2.0";
        s.meta = {{"zone", "a"}};
        return s;
    }());
    add("api", "api-2", "fd00::2", 9000);
    publish();

    Decoded d(ask("_API._tcp.svc", LDNS_RR_TYPE_PTR));
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(d.tc());
    EXPECT_EQ(sorted(field(d.answer(), 0)), (std::vector<std::string>{"api-1._API._tcp.svc.", "api-2._API._tcp.svc."}));
    const auto additional = d.additional();
    ASSERT_EQ(additional.size(), 6u);
    std::vector<std::string> kinds;
    for (const Rr& rr : additional) {
        std::string owner = rr.owner;
        std::transform(owner.begin(), owner.end(), owner.begin(), [](char c) { return std::tolower(c); });
        kinds.push_back(owner + " " + std::to_string(rr.type));
    }
    // Instance by instance (in no set order): SRV and TXT at its DNS-SD name, then its address.
    const bool api1_first = kinds[0].starts_with("api-1");
    const std::vector<std::string> api1{"api-1._api._tcp.svc. 33", "api-1._api._tcp.svc. 16", "api-1.api.svc. 1"};
    const std::vector<std::string> api2{"api-2._api._tcp.svc. 33", "api-2._api._tcp.svc. 16", "api-2.api.svc. 28"};
    std::vector<std::string> expected = api1_first ? api1 : api2;
    for (const std::string& k : api1_first ? api2 : api1) expected.push_back(k);
    EXPECT_EQ(kinds, expected);
    const Rr& api1_txt = additional[api1_first ? 1 : 4];
    EXPECT_EQ(api1_txt.rdata, (std::vector<std::string>{"\"version=2.0\"", "\"zone=a\""}));
    EXPECT_EQ(additional[api1_first ? 0 : 3].rdata, (std::vector<std::string>{"0", "100", "8861", "api-1.api.svc."}));
    EXPECT_EQ(additional[api1_first ? 2 : 5].rdata.at(0), "10.0.0.1");
    EXPECT_EQ(additional[api1_first ? 5 : 2].rdata.at(0), "fd00::2");

    // The instance's DNS-SD name: SRV to its zone name (with the address), and its TXT.
    Decoded srv(ask("api-1._api._tcp.svc", LDNS_RR_TYPE_SRV));
    ASSERT_EQ(srv.answer().size(), 1u);
    EXPECT_EQ(srv.answer()[0].owner, "api-1._api._tcp.svc.");
    EXPECT_EQ(srv.answer()[0].rdata, (std::vector<std::string>{"0", "100", "8861", "api-1.api.svc."}));
    ASSERT_EQ(srv.additional().size(), 1u);
    EXPECT_EQ(srv.additional()[0].rdata.at(0), "10.0.0.1");
    Decoded txt(ask("api-1._api._tcp.svc", LDNS_RR_TYPE_TXT));
    EXPECT_EQ(txt.answer().at(0).rdata, Decoded(ask("api-1.api.svc", LDNS_RR_TYPE_TXT)).answer().at(0).rdata);
    Decoded empty_txt(ask("api-2._api._tcp.svc", LDNS_RR_TYPE_TXT));
    EXPECT_EQ(empty_txt.answer().at(0).rdata, (std::vector<std::string>{"\"\""}));

    // The SRV set at _S._tcp is still there beside the PTR set.
    EXPECT_EQ(Decoded(ask("_api._tcp.svc", LDNS_RR_TYPE_SRV)).answer().size(), 2u);
    EXPECT_EQ(Decoded(ask("api-9._api._tcp.svc", LDNS_RR_TYPE_SRV)).rcode(), LDNS_RCODE_NXDOMAIN);
    Decoded a(ask("api-1._api._tcp.svc", LDNS_RR_TYPE_A));
    EXPECT_EQ(a.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(a.answer().empty());
}

TEST_F(QueryTest, PtrAdditionalIsDroppedWithoutTcWhenItDoesNotFit) {
    for (int i = 10; i < 22; ++i) add("api", "instance-" + std::to_string(i), "10.0.0." + std::to_string(i));
    publish();
    Decoded udp(ask("_api._tcp.svc", LDNS_RR_TYPE_PTR));
    ASSERT_TRUE(udp.ok());
    EXPECT_FALSE(udp.tc());
    EXPECT_LE(info.size, 512u);
    EXPECT_EQ(udp.answer().size(), 12u);  // the answer first, whole
    EXPECT_LT(udp.additional().size(), 36u);
    Decoded tcp(ask("_api._tcp.svc", LDNS_RR_TYPE_PTR, {}, true));
    EXPECT_EQ(tcp.additional().size(), 36u);
}

// Past 16 KiB a name cannot be pointed at (14-bit pointers): the enumeration writes those
// owners whole, and every record still names what it should, whichever instance comes first.
TEST_F(QueryTest, LargeSetsAtTheTcpNameNameEveryRecordRightPastSixteenKilobytes) {
    const std::string prefix = "instance-with-a-rather-long-name-";
    for (int i = 0; i < 600; ++i)
        add("api", prefix + std::to_string(1000 + i), "10.0." + std::to_string(i / 200) + "." + std::to_string(i % 200));
    publish();
    for (int q = 0; q < 3; ++q) {
        Decoded d(ask("_api._tcp.svc", LDNS_RR_TYPE_PTR, {}, true));
        ASSERT_TRUE(d.ok());
        EXPECT_FALSE(d.tc());
        EXPECT_GT(info.size, 16'384u);
        ASSERT_EQ(d.answer().size(), 600u);
        const auto additional = d.additional();
        ASSERT_GT(additional.size(), 300u);  // 64 KiB holds the PTR set and part of the rest
        ASSERT_LT(additional.size(), 1800u);
        std::string target;
        for (std::size_t i = 0; i < additional.size(); ++i) {
            const Rr& rr = additional[i];
            const std::string id = rr.owner.substr(0, rr.owner.find('.'));
            ASSERT_EQ(id.rfind(prefix, 0), 0u) << i;
            switch (i % 3) {
                case 0:
                    ASSERT_EQ(rr.type, LDNS_RR_TYPE_SRV) << i;
                    EXPECT_EQ(rr.owner, id + "._api._tcp.svc.") << i;
                    target = rr.rdata.at(3);
                    EXPECT_EQ(target, id + ".api.svc.") << i;
                    break;
                case 1:
                    EXPECT_EQ(rr.type, LDNS_RR_TYPE_TXT) << i;
                    EXPECT_EQ(rr.owner, id + "._api._tcp.svc.") << i;
                    break;
                default:
                    EXPECT_EQ(rr.type, LDNS_RR_TYPE_A) << i;
                    EXPECT_EQ(rr.owner, target) << i;
            }
        }
    }
    // Over UDP the PTR set cannot fit: TC, nothing in answer.
    Decoded udp(ask("_api._tcp.svc", LDNS_RR_TYPE_PTR));
    EXPECT_TRUE(udp.tc());
    EXPECT_TRUE(udp.answer().empty());

    // The SRV set at the same name: every target's address in additional, owned by the target.
    for (int q = 0; q < 3; ++q) {
        Decoded d(ask("_api._tcp.svc", LDNS_RR_TYPE_SRV, {}, true));
        ASSERT_TRUE(d.ok());
        EXPECT_FALSE(d.tc());
        EXPECT_GT(info.size, 16'384u);
        ASSERT_EQ(d.answer().size(), 600u);
        std::set<std::string> targets;
        for (const Rr& rr : d.answer()) targets.insert(rr.rdata.at(3));
        EXPECT_EQ(targets.size(), 600u);
        ASSERT_EQ(d.additional().size(), 600u);  // 600 x 65 + 600 x 16 bytes fit in 64 KiB
        for (const Rr& rr : d.additional()) {
            EXPECT_EQ(rr.type, LDNS_RR_TYPE_A);
            EXPECT_TRUE(targets.count(rr.owner)) << rr.owner;
            const std::string id = rr.owner.substr(0, rr.owner.find('.'));
            const int i = std::stoi(id.substr(prefix.size())) - 1000;
            EXPECT_EQ(rr.rdata.at(0), "10.0." + std::to_string(i / 200) + "." + std::to_string(i % 200)) << id;
        }
    }
}

TEST_F(QueryTest, EnumerationLargerThanAMessageIsTruncatedEvenOverTcp) {
    const std::string prefix = "instance-with-a-rather-long-name-";
    for (int i = 0; i < 1500; ++i)
        add("api", prefix + std::to_string(1000 + i), "10.1." + std::to_string(i / 200) + "." + std::to_string(i % 200));
    publish();
    Decoded d(ask("_api._tcp.svc", LDNS_RR_TYPE_PTR, {}, true));
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d.tc());
    EXPECT_TRUE(d.answer().empty());
}

// --- Rotation ---

// `rotated` is `base` rotated: the same records, in the same cyclic order.
bool is_rotation(const std::vector<std::string>& rotated, const std::vector<std::string>& base) {
    if (rotated.size() != base.size()) return false;
    const auto first = std::find(base.begin(), base.end(), rotated.front());
    if (first == base.end()) return false;
    std::vector<std::string> expected(first, base.end());
    expected.insert(expected.end(), base.begin(), first);
    return rotated == expected;
}

TEST_F(QueryTest, SetsRotateFromQueryToQueryAsWholeRrsets) {
    for (int i = 1; i <= 4; ++i) add("api", "api-" + std::to_string(i), "10.0.0." + std::to_string(i), 8000 + i);
    add("web", "web-1", "10.0.1.1");
    publish();

    for (const auto& [name, type, column] : std::vector<std::tuple<std::string, std::uint16_t, std::size_t>>{
             {"api.svc", LDNS_RR_TYPE_A, 0},
             {"Api.Svc", LDNS_RR_TYPE_SRV, 3},
             {"_api._tcp.svc", LDNS_RR_TYPE_SRV, 3},
             {"_api._tcp.svc", LDNS_RR_TYPE_PTR, 0},
             {"_services._dns-sd._udp.svc", LDNS_RR_TYPE_PTR, 0}}) {
        std::vector<std::string> base;
        std::set<std::string> firsts;
        std::string previous_first;
        std::vector<Rr> base_additional;
        for (int q = 0; q < 6; ++q) {
            Decoded d(ask(name, type));
            ASSERT_TRUE(d.ok()) << name;
            EXPECT_FALSE(d.tc());
            const std::vector<std::string> records = field(d.answer(), column);
            for (const Rr& rr : d.answer()) {
                EXPECT_EQ(rr.owner, name + ".");  // compression to the question survives
                EXPECT_EQ(rr.ttl, 5u);           // TTLs patched where the records now are
            }
            if (base.empty()) {
                base = records;
                base_additional = d.additional();
            }
            EXPECT_TRUE(is_rotation(records, base)) << name << " query " << q;
            EXPECT_NE(records.front(), previous_first) << name << " query " << q;
            previous_first = records.front();
            firsts.insert(records.front());
            // The additional section does not move, and decodes the same.
            EXPECT_EQ(field(d.additional(), 0), field(base_additional, 0)) << name;
        }
        EXPECT_EQ(firsts.size(), base.size()) << name;  // every record gets its turn first
    }
}

TEST_F(QueryTest, RotatedAnswersCarryTheirLeasesTtl) {
    add("api", "api-1", "10.0.0.1", 80, 60'000);
    add("api", "api-2", "10.0.0.2", 80, 3'500);
    publish();
    for (int q = 0; q < 4; ++q) {
        Decoded d(ask("api.svc", LDNS_RR_TYPE_SRV));
        ASSERT_EQ(d.answer().size(), 2u);
        for (const Rr& rr : d.answer()) EXPECT_EQ(rr.ttl, 3u);
        // Glue keeps its own lease's TTL, whatever the answer's order.
        for (const Rr& rr : d.additional()) EXPECT_EQ(rr.ttl, rr.owner == "api-1.api.svc." ? 5u : 3u);
    }
}

TEST_F(QueryTest, TruncatedRotatingSetIsLeftOutWhole) {
    for (int i = 0; i < 40; ++i) add("big", "i" + std::to_string(i), "10.0.1." + std::to_string(i));
    publish();
    for (int q = 0; q < 3; ++q) {
        Decoded d(ask("big.svc", LDNS_RR_TYPE_A));
        EXPECT_TRUE(d.tc());
        EXPECT_TRUE(d.answer().empty());
    }
    std::set<std::string> firsts;
    for (int q = 0; q < 3; ++q) {
        Decoded d(ask("big.svc", LDNS_RR_TYPE_A, {}, true));
        EXPECT_EQ(d.answer().size(), 40u);
        firsts.insert(d.answer().front().rdata.at(0));
    }
    EXPECT_EQ(firsts.size(), 3u);
}

// --- CHAOS ---

TEST(QueryChaosTest, VersionAndIdentityInClassCh) {
    registry::ManualClock clock;
    ZoneOptions options = test::zone_options("svc", "n1");
    options.version = "0.3.1";
    options.node_name = "alpha";
    ZonePublisher zones{options};
    std::vector<std::uint8_t> buffer(65535);
    QuerySpec chaos;
    chaos.qclass = LDNS_RR_CLASS_CH;
    const auto ask = [&](const std::string& name, std::uint16_t type, QuerySpec spec) {
        const auto query = make_query(name, type, spec);
        const AnswerInfo info = answer_query(query, buffer, *zones.current(), clock.mono_ms(), false);
        return std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(info.size));
    };

    for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
             {"version.bind", "\"dnsd 0.3.1\""},
             {"VERSION.Server", "\"dnsd 0.3.1\""},
             {"id.server", "\"alpha\""},
             {"hostname.bind", "\"alpha\""}}) {
        Decoded d(ask(name, LDNS_RR_TYPE_TXT, chaos));
        ASSERT_TRUE(d.ok()) << name;
        EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR) << name;
        EXPECT_TRUE(d.aa());
        ASSERT_EQ(d.answer().size(), 1u) << name;
        EXPECT_EQ(d.answer()[0].owner, name + ".");
        EXPECT_EQ(d.answer()[0].rdata, (std::vector<std::string>{text}));
        EXPECT_EQ(d.answer()[0].ttl, 0u);
        EXPECT_EQ(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_answer(d.pkt()), 0)), LDNS_RR_CLASS_CH);
        EXPECT_EQ(ldns_rr_get_class(ldns_rr_list_rr(ldns_pkt_question(d.pkt()), 0)), LDNS_RR_CLASS_CH);
    }
    QuerySpec edns = chaos;
    edns.edns_udp = 1232;
    EXPECT_TRUE(Decoded(ask("version.bind", LDNS_RR_TYPE_TXT, edns)).edns());
    EXPECT_EQ(Decoded(ask("version.bind", LDNS_RR_TYPE_ANY, chaos)).answer().size(), 1u);

    for (const auto& [name, type] : std::vector<std::pair<std::string, std::uint16_t>>{
             {"authors.bind", LDNS_RR_TYPE_TXT}, {"version.bind", LDNS_RR_TYPE_A}, {"svc", LDNS_RR_TYPE_SOA}}) {
        Decoded d(ask(name, type, chaos));
        EXPECT_EQ(d.rcode(), LDNS_RCODE_REFUSED) << name;
        EXPECT_FALSE(d.aa());
        EXPECT_TRUE(d.answer().empty());
    }
    // In class IN these names are outside the zone.
    EXPECT_EQ(Decoded(ask("version.bind", LDNS_RR_TYPE_TXT, {})).rcode(), LDNS_RCODE_REFUSED);
}

// --- Zone file ---

TEST_F(QueryTest, ZoneFileRecordsAreServedBesideTheRegistrys) {
    add("api", "api-1", "10.0.0.1");
    publish();
    zones.set_static_zone(test::static_zone(
        "svc", {"www.svc. 3 IN A 192.0.2.1", "www.svc. 3 IN A 192.0.2.2", "api.svc. 60 IN A 192.0.2.9",
                "api.svc. 60 IN TXT \"fallback\"", "svc. 60 IN MX 10 mail.svc.", "mail.svc. 60 IN A 192.0.2.25",
                "alias.svc. 60 IN CNAME WWW.svc.", "ext.svc. 60 IN CNAME example.com.",
                "x.deep.svc. 60 IN TXT \"x\""}));

    Decoded www(ask("WWW.svc", LDNS_RR_TYPE_A));
    EXPECT_EQ(www.rcode(), LDNS_RCODE_NOERROR);
    EXPECT_TRUE(www.aa());
    EXPECT_EQ(sorted(field(www.answer(), 0)), (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    for (const Rr& rr : www.answer()) {
        EXPECT_EQ(rr.owner, "WWW.svc.");
        EXPECT_EQ(rr.ttl, 3u);  // the file's TTL, below max_ttl
    }
    Decoded mx(ask("svc", LDNS_RR_TYPE_MX));
    ASSERT_EQ(mx.answer().size(), 1u);
    EXPECT_EQ(mx.answer()[0].rdata, (std::vector<std::string>{"10", "mail.svc."}));
    EXPECT_EQ(mx.answer()[0].ttl, 5u);  // capped by max_ttl

    // The registry's answer wins for api.svc A; the file's TXT fills in.
    EXPECT_EQ(field(Decoded(ask("api.svc", LDNS_RR_TYPE_A)).answer(), 0), (std::vector<std::string>{"10.0.0.1"}));
    EXPECT_EQ(Decoded(ask("api.svc", LDNS_RR_TYPE_TXT)).answer().at(0).rdata.at(0), "\"fallback\"");

    // CNAME: chased inside the file, left to the resolver outside it.
    Decoded alias(ask("alias.svc", LDNS_RR_TYPE_A));
    const auto chain = alias.answer();
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(chain[0].type, LDNS_RR_TYPE_CNAME);
    EXPECT_EQ(chain[0].rdata.at(0), "WWW.svc.");
    EXPECT_EQ(chain[1].type, LDNS_RR_TYPE_A);
    Decoded ext(ask("ext.svc", LDNS_RR_TYPE_AAAA));
    ASSERT_EQ(ext.answer().size(), 1u);
    EXPECT_EQ(ext.answer()[0].rdata.at(0), "example.com.");

    // NODATA for a static name without the type and for empty non-terminals, NXDOMAIN below.
    for (const auto& [name, type] : std::vector<std::pair<std::string, std::uint16_t>>{
             {"www.svc", LDNS_RR_TYPE_AAAA}, {"deep.svc", LDNS_RR_TYPE_A}, {"svc", LDNS_RR_TYPE_TXT}}) {
        Decoded d(ask(name, type));
        EXPECT_EQ(d.rcode(), LDNS_RCODE_NOERROR) << name;
        EXPECT_TRUE(d.answer().empty()) << name;
        EXPECT_EQ(d.authority().size(), 1u) << name;
    }
    EXPECT_EQ(Decoded(ask("y.deep.svc", LDNS_RR_TYPE_A)).rcode(), LDNS_RCODE_NXDOMAIN);
    EXPECT_EQ(Decoded(ask("x.www.svc", LDNS_RR_TYPE_A)).rcode(), LDNS_RCODE_NXDOMAIN);

    // Later registry updates keep the file's records; clearing them takes them away.
    add("api", "api-2", "10.0.0.2");
    publish();
    EXPECT_EQ(Decoded(ask("www.svc", LDNS_RR_TYPE_A)).answer().size(), 2u);
    zones.set_static_zone(nullptr);
    EXPECT_EQ(Decoded(ask("www.svc", LDNS_RR_TYPE_A)).rcode(), LDNS_RCODE_NXDOMAIN);
}

TEST_F(QueryTest, AnyStaysMinimalOnEveryKindOfName) {
    add("api", "api-1", "10.0.0.1");
    add("api", "api-2", "10.0.0.2");
    publish();
    zones.set_static_zone(test::static_zone("svc", {"www.svc. 60 IN A 192.0.2.1", "www.svc. 60 IN TXT \"t\""}));
    for (const std::string name : {"_services._dns-sd._udp.svc", "api-1._api._tcp.svc", "www.svc"}) {
        Decoded d(ask(name, LDNS_RR_TYPE_ANY));
        ASSERT_FALSE(d.answer().empty()) << name;
        for (const Rr& rr : d.answer()) EXPECT_EQ(rr.type, d.answer().front().type) << name;  // one RRset
    }
}

}  // namespace
}  // namespace dnsd::zones
