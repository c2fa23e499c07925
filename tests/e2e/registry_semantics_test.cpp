// What the registry's rules look like from outside: TTLs follow the lease at send time,
// updates replace old data at once, deregistrations are not undone by late retries.
#include <chrono>
#include <string>
#include <thread>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

class RegistrySemantics : public DnsdTest {
protected:
    DnsdOptions options() override {
        DnsdOptions o;
        o.max_ttl_s = 3600;  // TTLs then show the lease itself
        return o;
    }

    std::uint32_t a_ttl(const std::string& name) {
        const DnsReply reply = dns_query(dns_port(), name, LDNS_RR_TYPE_A);
        const auto a = reply.answer(LDNS_RR_TYPE_A);
        return a.size() == 1 ? ldns_rr_ttl(a[0]) : 999'999;
    }
};

TEST_F(RegistrySemantics, TtlCountsDownWithTheLeaseAndRenewalRaisesIt) {
    const std::string body = R"({"service":"api","address":"10.0.0.3","port":8861,"ttl":4})";
    ASSERT_EQ(heartbeat(dnsd(), body).status, 200u);
    const std::uint32_t fresh = a_ttl("api.svc");
    EXPECT_GE(fresh, 3u);
    EXPECT_LE(fresh, 4u);
    std::this_thread::sleep_for(2200ms);
    // Nothing changed in the registry meanwhile: the TTL must still reflect the time left.
    EXPECT_LE(a_ttl("api.svc"), 2u) << "TTL is the remaining lease at send time, not at build time";
    EXPECT_LE(a_ttl("10-0-0-3-8861.api.svc"), 2u);

    ASSERT_EQ(heartbeat(dnsd(), body).status, 200u);  // a pure renewal
    EXPECT_GE(a_ttl("api.svc"), 3u) << "the renewal moved the lease, and the TTL with it";
}

TEST_F(RegistrySemantics, UpdatedAddressReplacesTheOldOneAtOnce) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861,"id":"x"})").status, 200u);
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.4","port":8862,"id":"x"})").status, 200u);
    const DnsReply srv = dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_SRV);
    ASSERT_TRUE(srv.ok()) << srv.failure();
    EXPECT_THAT(rdata_texts(srv.answer(LDNS_RR_TYPE_SRV)), ElementsAre("0 100 8862 x.api.svc.")) << srv.to_string();
    EXPECT_THAT(rdata_texts(srv.additional(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.4")) << srv.to_string();
    const DnsReply a = dns_query(dns_port(), "x.api.svc", LDNS_RR_TYPE_A);
    EXPECT_THAT(rdata_texts(a.answer(LDNS_RR_TYPE_A)), ElementsAre("10.0.0.4"));
}

TEST_F(RegistrySemantics, LateRetryDoesNotUndoADeregistration) {
    const std::string with_timestamp =
        R"({"service":"api","address":"10.0.0.3","port":8861,"id":"x","timestamp":1770088942})";
    ASSERT_EQ(heartbeat(dnsd(), with_timestamp).status, 200u);
    ASSERT_EQ(http_delete(http_port(), "/v1/instances/api/x").status, 200u);
    // The same heartbeat again (a client retry that was in flight): it is older than the
    // deregistration and must not bring the instance back.
    EXPECT_LT(heartbeat(dnsd(), with_timestamp).status, 500u);
    EXPECT_TRUE(find_instance(dnsd(), "api", "x").is_null()) << get_json(dnsd(), "/v1/services/api");
    const DnsReply reply = dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_A);
    EXPECT_TRUE(reply.answer().empty()) << reply.to_string();

    // A restarted instance heartbeating without a timestamp is registered again.
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861,"id":"x"})").status, 200u);
    EXPECT_TRUE(find_instance(dnsd(), "api", "x").is_object());
    EXPECT_EQ(dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_A).answer(LDNS_RR_TYPE_A).size(), 1u);
}

TEST_F(RegistrySemantics, HttpPathsAreCaseInsensitiveToo) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861,"id":"one"})").status, 200u);
    const HttpResponse detail = http_get(http_port(), "/v1/services/API");
    EXPECT_EQ(detail.status, 200u) << "service names are case-insensitive: " << detail.body;
    EXPECT_EQ(http_delete(http_port(), "/v1/instances/Api/ONE").status, 200u);
    EXPECT_TRUE(find_instance(dnsd(), "api", "one").is_null());
}

TEST_F(RegistrySemantics, SoaSerialStaysWhenNothingChanges) {
    const std::string body = R"({"service":"api","address":"10.0.0.3","port":8861})";
    ASSERT_EQ(heartbeat(dnsd(), body).status, 200u);
    auto serial = [&] {
        const auto soa = dns_query(dns_port(), "svc", LDNS_RR_TYPE_SOA).answer(LDNS_RR_TYPE_SOA);
        return soa.size() == 1 ? ldns_rdf2native_int32(ldns_rr_rdf(soa[0], 2)) : 0u;
    };
    const std::uint32_t before = serial();
    ASSERT_EQ(heartbeat(dnsd(), body).status, 200u);  // renewal only
    std::this_thread::sleep_for(1200ms);              // and the node's own self-renewal
    EXPECT_EQ(serial(), before) << "renewals change no record, so secondaries need no transfer";
}

}  // namespace
}  // namespace dnsd::e2e
