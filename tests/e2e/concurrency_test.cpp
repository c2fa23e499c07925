// Many heartbeats from several clients at once while DNS is being queried: nothing is lost,
// nothing stalls, and the answers are whole.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;

class Concurrency : public DnsdTest {};

TEST_F(Concurrency, ParallelHeartbeatsAllLandWhileDnsKeepsAnswering) {
    constexpr int kClients = 4;
    constexpr int kPerClient = 25;
    std::atomic<int> accepted{0};
    std::atomic<int> dns_failures{0};
    std::atomic<bool> writing{true};

    std::thread reader([&] {
        // Bounded: stops with the writers, or after 2000 queries at the latest.
        for (int i = 0; i < 2000 && writing.load(); ++i) {
            if (!dns_query(dns_port(), "load.svc", LDNS_RR_TYPE_SRV, i % 2 ? Transport::tcp : Transport::udp)
                     .ok()) {
                ++dns_failures;
            }
        }
    });
    std::vector<std::thread> writers;
    for (int client = 0; client < kClients; ++client) {
        writers.emplace_back([&, client] {
            for (int i = 0; i < kPerClient; ++i) {
                const int port = 1000 + client * kPerClient + i;
                const std::string body = R"({"service":"load","address":"10.1.0.)" + std::to_string(client + 1) +
                                         R"(","port":)" + std::to_string(port) + "}";
                if (heartbeat(dnsd(), body).status == 200) ++accepted;
            }
        });
    }
    for (auto& writer : writers) writer.join();
    writing = false;
    reader.join();

    EXPECT_EQ(accepted.load(), kClients * kPerClient);
    EXPECT_EQ(dns_failures.load(), 0) << "DNS queries went unanswered during the writes";
    const boost::json::value list = get_json(dnsd(), "/v1/services");
    ASSERT_TRUE(list.is_object());
    EXPECT_EQ(number(list.at("services").at("load").at("instances")), kClients * kPerClient);
    const DnsReply all = dns_query(dns_port(), "load.svc", LDNS_RR_TYPE_SRV, Transport::tcp);
    ASSERT_TRUE(all.ok()) << all.failure();
    EXPECT_EQ(all.answer(LDNS_RR_TYPE_SRV).size(), static_cast<std::size_t>(kClients * kPerClient));
}

}  // namespace
}  // namespace dnsd::e2e
