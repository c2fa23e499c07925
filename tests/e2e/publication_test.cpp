// "200 OK means visible in DNS": a heartbeat's reply is held until the zone that carries its
// change is published, so a client that asks DNS right after its 200 finds its instance, even
// while other clients register at the same moment (their changes share one publication).
// GET /metrics counts the publications in dnsd_publish_delay_seconds.
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;

class Publication : public DnsdTest {
protected:
    // The samples of dnsd_publish_delay_seconds (name with labels -> value); empty when absent.
    std::map<std::string, double> publish_delay_samples() {
        const HttpResponse response = http_get(http_port(), "/metrics");
        EXPECT_EQ(response.status, 200u);
        std::map<std::string, double> samples;
        std::istringstream lines(response.body);
        std::string line;
        while (std::getline(lines, line)) {
            if (!line.starts_with("dnsd_publish_delay_seconds")) continue;
            const auto space = line.rfind(' ');
            samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
        }
        return samples;
    }

    double publications() {
        const auto samples = publish_delay_samples();
        const auto it = samples.find("dnsd_publish_delay_seconds_count");
        return it == samples.end() ? -1 : it->second;
    }

    // One registration, then at once the DNS question for it; "" when both went right.
    std::string register_then_resolve(const std::string& service, const std::string& id,
                                      const std::string& address) {
        const HttpResponse hb = heartbeat(dnsd(), R"({"service":")" + service + R"(","id":")" + id +
                                                      R"(","address":")" + address + R"(","port":80})");
        if (hb.status != 200) return id + ": HTTP " + std::to_string(hb.status) + " " + hb.body + hb.failure;
        const DnsReply reply = dns_query(dns_port(), id + "." + service + ".svc", LDNS_RR_TYPE_A);
        if (reply.rcode() != LDNS_RCODE_NOERROR || reply.answer(LDNS_RR_TYPE_A).size() != 1)
            return id + ": not answered right after its 200:\n" + reply.to_string() + reply.failure();
        return "";
    }
};

TEST_F(Publication, EveryConcurrentRegistrationIsInDnsWhenItsReplyArrives) {
    constexpr int kClients = 6;
    constexpr int kPerClient = 30;
    const double before = publications();
    ASSERT_GE(before, 0) << "no dnsd_publish_delay_seconds_count in /metrics";

    std::mutex failures_mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> clients;
    for (int client = 0; client < kClients; ++client) {
        clients.emplace_back([&, client] {
            for (int i = 0; i < kPerClient; ++i) {
                const std::string failure = register_then_resolve(
                    "pub" + std::to_string(i % 3), "c" + std::to_string(client) + "-" + std::to_string(i),
                    "10.9." + std::to_string(client) + "." + std::to_string(i + 1));
                if (failure.empty()) continue;
                const std::lock_guard lock(failures_mutex);
                failures.push_back(failure);
            }
        });
    }
    for (auto& client : clients) client.join();
    EXPECT_TRUE(failures.empty()) << failures.size() << " failed; the first: " << failures.front();

    // Each registration changed the registry; concurrent ones may share a publication.
    const double published = publications() - before;
    EXPECT_GE(published, 1);
    EXPECT_LE(published, kClients * kPerClient);
}

TEST_F(Publication, OneClientInTurnCostsOnePublicationPerChange) {
    const double before = publications();
    for (int i = 0; i < 10; ++i)
        ASSERT_EQ(register_then_resolve("seq", "s" + std::to_string(i), "10.8.0." + std::to_string(i + 1)), "");
    // A renewal changes nothing in DNS: no publication.
    ASSERT_EQ(heartbeat(dnsd(), R"({"service":"seq","id":"s0","address":"10.8.0.1","port":80})").status, 200u);
    // Deregistered: gone from DNS by the time the 200 arrives.
    ASSERT_EQ(http_delete(http_port(), "/v1/instances/seq/s1").status, 200u);
    EXPECT_TRUE(dns_query(dns_port(), "s1.seq.svc", LDNS_RR_TYPE_A).answer(LDNS_RR_TYPE_A).empty());

    const auto samples = publish_delay_samples();
    ASSERT_EQ(samples.count("dnsd_publish_delay_seconds_count"), 1u);
    const double count = samples.at("dnsd_publish_delay_seconds_count");
    EXPECT_EQ(count - before, 11);  // ten registrations and the deregistration, one each
    EXPECT_EQ(samples.at(R"(dnsd_publish_delay_seconds_bucket{le="+Inf"})"), count);
    EXPECT_GE(samples.at("dnsd_publish_delay_seconds_sum"), 0);
    // Loopback and an idle server: a publication waits well under a second.
    EXPECT_EQ(samples.at(R"(dnsd_publish_delay_seconds_bucket{le="1"})"), count);
}

}  // namespace
}  // namespace dnsd::e2e
