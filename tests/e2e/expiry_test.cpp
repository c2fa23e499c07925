// Instances leave DNS answers when their lease runs out or when they deregister; the service
// itself stays known (NODATA, not NXDOMAIN) so negative caches do not turn an outage into a long one.
#include <chrono>
#include <string>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class Expiry : public DnsdTest {
protected:
    // dnsd_expired_total from /metrics (0 when absent).
    double expired_total() {
        const std::string text = http_get(http_port(), "/metrics").body;
        const std::string family = "dnsd_expired_total";
        for (std::size_t at = text.find(family); at != std::string::npos; at = text.find(family, at + 1)) {
            const bool line_start = at == 0 || text[at - 1] == '\n';
            const std::size_t end = text.find('\n', at);
            const std::string line = text.substr(at, end == std::string::npos ? end : end - at);
            if (!line_start || line.size() <= family.size() || (line[family.size()] != ' ' && line[family.size()] != '{')) {
                continue;
            }
            return std::stod(line.substr(line.find_last_of(' ') + 1));
        }
        return 0;
    }

    std::size_t a_records(const std::string& name) {
        const DnsReply reply = dns_query(dns_port(), name, LDNS_RR_TYPE_A);
        return reply.ok() ? reply.answer(LDNS_RR_TYPE_A).size() : 999;
    }

    void expect_nodata(const std::string& name, ldns_rr_type type) {
        const DnsReply reply = dns_query(dns_port(), name, type);
        ASSERT_TRUE(reply.ok()) << reply.failure();
        EXPECT_EQ(reply.rcode(), LDNS_RCODE_NOERROR)
            << name << ": a known service without live instances is NODATA, not NXDOMAIN\n"
            << reply.to_string();
        EXPECT_TRUE(reply.answer().empty()) << reply.to_string();
        EXPECT_EQ(reply.authority(LDNS_RR_TYPE_SOA).size(), 1u) << reply.to_string();
    }
};

TEST_F(Expiry, InstanceLeavesAnswersWhenItsLeaseRunsOut) {
    const double expired_before = expired_total();
    const auto registered = Clock::now();
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"brief","address":"10.0.0.7","port":80,"ttl":1})").status,
              200u);
    ASSERT_EQ(a_records("brief.svc"), 1u) << "a fresh instance is answered";

    ASSERT_TRUE(eventually([&] { return a_records("brief.svc") == 0; }, 4000ms, 50ms))
        << "an instance with a 1 s lease is still answered after 4 s";
    const auto gone_after = Clock::now() - registered;
    EXPECT_GE(gone_after, 900ms) << "it vanished before its lease ran out";
    EXPECT_LE(gone_after, 2500ms) << "it lingered long after its lease ran out";

    expect_nodata("brief.svc", LDNS_RR_TYPE_A);
    expect_nodata("brief.svc", LDNS_RR_TYPE_SRV);
    const DnsReply instance = dns_query(dns_port(), "10-0-0-7-80.brief.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(instance.ok()) << instance.failure();
    EXPECT_TRUE(instance.answer().empty()) << instance.to_string();

    EXPECT_TRUE(find_instance(dnsd(), "brief", "10-0-0-7-80").is_null())
        << "the HTTP view drops it too: " << get_json(dnsd(), "/v1/services/brief");
    EXPECT_GE(expired_total(), expired_before + 1) << "dnsd_expired_total counts it";

    // The same instance heartbeating again is answered again at once.
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"brief","address":"10.0.0.7","port":80,"ttl":30})").status,
              200u);
    EXPECT_EQ(a_records("brief.svc"), 1u);
}

TEST_F(Expiry, DeregistrationRemovesTheInstanceAtOnce) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.4","port":8861})").status, 200u);
    ASSERT_EQ(a_records("api.svc"), 2u);

    const HttpResponse gone = http_delete(http_port(), "/v1/instances/api/10-0-0-3-8861");
    ASSERT_EQ(gone.status, 200u) << gone.body;
    // No waiting: the reply to DELETE comes after the change is published.
    const DnsReply reply = dns_query(dns_port(), "api.svc", LDNS_RR_TYPE_A);
    ASSERT_TRUE(reply.ok()) << reply.failure();
    EXPECT_THAT(rdata_texts(reply.answer(LDNS_RR_TYPE_A)), ::testing::ElementsAre("10.0.0.4"))
        << reply.to_string();
    EXPECT_TRUE(find_instance(dnsd(), "api", "10-0-0-3-8861").is_null());

    ASSERT_EQ(http_delete(http_port(), "/v1/instances/api/10-0-0-4-8861").status, 200u);
    expect_nodata("api.svc", LDNS_RR_TYPE_A);
    expect_nodata("_api._tcp.svc", LDNS_RR_TYPE_SRV);
}

TEST_F(Expiry, DeletingWhatIsNotThereIs404WithAReason) {
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    for (const char* target : {"/v1/instances/api/no-such-id", "/v1/instances/nosuch/10-0-0-3-8861"}) {
        const HttpResponse response = http_delete(http_port(), target);
        EXPECT_EQ(response.status, 404u) << target;
        const auto json = response.json();
        ASSERT_TRUE(json && json->is_object() && json->as_object().contains("error"))
            << target << ": " << response.body;
        EXPECT_TRUE(json->at("error").is_string());
    }
    EXPECT_EQ(a_records("api.svc"), 1u) << "a 404 changes nothing";
}

}  // namespace
}  // namespace dnsd::e2e
