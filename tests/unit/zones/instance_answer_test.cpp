// The answers written at query time from an instance record must be, byte for byte, what the
// prepared answers held before (five per instance, built by the AnswerBuilder) gave after
// write_prepared: same records, compression, TTLs, cuts, TC and OPT. The prepared messages are
// built here the way the zone built them, and both paths answer the same queries with every
// reply size from "question only" to "whole answer".
#include "zones/instance_answer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "zone_test_support.hpp"
#include "zones/answer_builder.hpp"
#include "zones/edns.hpp"
#include "zones/query_parser.hpp"
#include "zones/record_data.hpp"

namespace dnsd::zones {
namespace {

using test::make_query;
using test::make_spec;
using test::QuerySpec;

// The five prepared answers of one instance, as service_zone_builder.cpp made them.
struct PreparedInstance {
    AnswerStore store;
    PreparedAnswer address, txt, srv, dnssd_srv, dnssd_txt;
};

void prepare_srv_and_txt(AnswerBuilder& b, AnswerStore& store, const DnsName& owner, const DnsName& target,
                         const registry::InstanceSpec& spec, std::uint32_t group, PreparedAnswer& srv,
                         PreparedAnswer& txt) {
    b.begin(store, owner);
    b.begin_rrset(Section::answer, group);
    b.add(owner, RrType::txt, [&](WireWriter& w) { write_txt(w, instance_txt(spec)); });
    txt = b.finish();

    b.begin(store, owner);
    b.begin_rrset(Section::answer, group);
    b.add(owner, RrType::srv, [&](WireWriter& w) { write_srv(w, spec.priority, spec.weight, spec.port, target); });
    b.begin_rrset(Section::additional, group);
    b.add(target, address_type(spec.address), [&](WireWriter& w) { write_address(w, spec.address); });
    srv = b.finish();
}

std::unique_ptr<PreparedInstance> prepare(AnswerBuilder& b, const DnsName& name, const DnsName& dnssd,
                                          const registry::InstanceSpec& spec,
                                          const std::shared_ptr<registry::LeaseCell>& lease) {
    auto p = std::make_unique<PreparedInstance>();
    const std::uint32_t group = p->store.add_group({&lease, 1});
    b.begin(p->store, name);
    b.begin_rrset(Section::answer, group);
    b.add(name, address_type(spec.address), [&](WireWriter& w) { write_address(w, spec.address); });
    p->address = b.finish();
    prepare_srv_and_txt(b, p->store, name, name, spec, group, p->srv, p->txt);
    prepare_srv_and_txt(b, p->store, dnssd, name, spec, group, p->dnssd_srv, p->dnssd_txt);
    return p;
}

class InstanceAnswerTest : public ::testing::Test {
protected:
    AnswerBuilder builder;
    registry::MonoMs now = 1'000'000;
    std::shared_ptr<registry::LeaseCell> lease = std::make_shared<registry::LeaseCell>(now + 3'700);
    std::vector<std::uint8_t> old_reply = std::vector<std::uint8_t>(65535);
    std::vector<std::uint8_t> new_reply = std::vector<std::uint8_t>(65535);
    std::size_t compared = 0;

    // Asks `qname` (any case) for `qtype` both ways, at every reply size limit up to the
    // whole answer, and with the limit EDNS or TCP would give.
    void expect_same(const registry::InstanceSpec& spec, const std::string& qname, std::uint16_t qtype,
                     InstancePart part, const QuerySpec& query_spec = {}) {
        const DnsName apex = *DnsName::from_text("svc");
        const DnsName name = *apex.prepend(spec.service)->prepend(spec.id);
        const DnsName dnssd = *apex.prepend("_tcp")->prepend("_" + spec.service)->prepend(spec.id);
        const auto prepared = prepare(builder, name, dnssd, spec, lease);
        const PreparedAnswer& answer = part == InstancePart::address     ? prepared->address
                                       : part == InstancePart::txt       ? prepared->txt
                                       : part == InstancePart::srv       ? prepared->srv
                                       : part == InstancePart::dnssd_srv ? prepared->dnssd_srv
                                                                          : prepared->dnssd_txt;
        const InstanceRef record = InstanceRecord::make(spec.id, spec, lease, 7);

        const std::vector<std::uint8_t> query = make_query(qname, qtype, query_spec);
        ParsedQuery parsed;
        ASSERT_EQ(parse_query(query, parsed), QueryVerdict::answer) << qname;
        std::vector<std::size_t> limits{reply_size_limit(parsed, false), reply_size_limit(parsed, true)};
        for (std::size_t limit = 0; limit <= std::size_t{answer.size} + 40; ++limit) limits.push_back(limit);
        for (const std::size_t limit : limits) {
            const WrittenReply before =
                write_prepared(prepared->store, answer, parsed, query, old_reply, limit, now, 5, 0);
            const WrittenReply after =
                write_instance_answer(*record, part, parsed, query, new_reply, limit, now, 5);
            ASSERT_EQ(after.size, before.size) << qname << " limit " << limit;
            ASSERT_EQ(after.truncated, before.truncated) << qname << " limit " << limit;
            ASSERT_TRUE(std::equal(old_reply.begin(), old_reply.begin() + static_cast<std::ptrdiff_t>(before.size),
                                   new_reply.begin()))
                << qname << " limit " << limit;
            ++compared;
        }
    }

    void expect_every_part_same(const registry::InstanceSpec& spec, const QuerySpec& query_spec = {}) {
        const std::string name = spec.id + "." + spec.service + ".svc";
        const std::string dnssd = spec.id + "._" + spec.service + "._tcp.svc";
        const std::uint16_t address = spec.address.is_v6() ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A;
        expect_same(spec, name, address, InstancePart::address, query_spec);
        expect_same(spec, name, LDNS_RR_TYPE_TXT, InstancePart::txt, query_spec);
        expect_same(spec, name, LDNS_RR_TYPE_SRV, InstancePart::srv, query_spec);
        expect_same(spec, dnssd, LDNS_RR_TYPE_SRV, InstancePart::dnssd_srv, query_spec);
        expect_same(spec, dnssd, LDNS_RR_TYPE_TXT, InstancePart::dnssd_txt, query_spec);
    }
};

TEST_F(InstanceAnswerTest, SameBytesAsThePreparedAnswersForIpv4AndIpv6) {
    auto spec = make_spec("api", "api-1", "10.0.0.1", 8861);
    spec.priority = 3;
    spec.weight = 9;
    spec.version = "1.2.3";
    spec.meta = {{"zone", "a"}, {"arch", "arm64"}};
    expect_every_part_same(spec);
    expect_every_part_same(make_spec("web", "w", "fd00::2", 443));
    EXPECT_GT(compared, 500u);
}

TEST_F(InstanceAnswerTest, SameBytesWithEdnsAndTheClientsCase) {
    QuerySpec edns;
    edns.edns_udp = 4096;
    edns.id = 0xbeef;
    edns.rd = false;
    edns.cd = true;
    const auto spec = make_spec("api", "api-1", "10.0.0.1", 80);
    expect_every_part_same(spec, edns);
    expect_same(spec, "API-1.Api.SVC", LDNS_RR_TYPE_SRV, InstancePart::srv, edns);
    expect_same(spec, "Api-1._API._Tcp.svc", LDNS_RR_TYPE_SRV, InstancePart::dnssd_srv);
    expect_same(spec, "api-1.api.svc", LDNS_RR_TYPE_ANY, InstancePart::address);
    expect_same(spec, "api-1._api._tcp.svc", LDNS_RR_TYPE_ANY, InstancePart::dnssd_srv, edns);
}

TEST_F(InstanceAnswerTest, SameBytesForTxtLargerThanAUdpReply) {
    auto spec = make_spec("api", "big", "10.0.0.1", 80);
    for (int i = 0; i < 6; ++i) spec.meta["key" + std::to_string(i)] = std::string(200, 'v');
    expect_every_part_same(spec);
}

TEST_F(InstanceAnswerTest, SameBytesForTxtLargerThanAMessage) {
    // 300 strings of 255 bytes: the TXT record does not fit in 64 KiB; the prepared answer was
    // left empty and marked incomplete (TC on every reply).
    auto spec = make_spec("api", "huge", "10.0.0.1", 80);
    for (int i = 0; i < 300; ++i) spec.meta["k" + std::to_string(1000 + i)] = std::string(300, 'x');
    expect_same(spec, "huge.api.svc", LDNS_RR_TYPE_TXT, InstancePart::txt);
    expect_same(spec, "huge.api.svc", LDNS_RR_TYPE_SRV, InstancePart::srv);
}

TEST_F(InstanceAnswerTest, SameBytesForAnExpiredLease) {
    lease->expires_at.store(now - 1);
    expect_every_part_same(make_spec("api", "gone", "10.0.0.1", 80));
}

TEST_F(InstanceAnswerTest, LongestNamesStillPointAtTheTarget) {
    const std::string id(63, 'i');
    const std::string service(62, 's');
    expect_every_part_same(make_spec(service, id, "fd00::1", 80));
}

}  // namespace
}  // namespace dnsd::zones
