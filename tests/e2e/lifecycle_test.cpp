// Stopping: SIGTERM and SIGINT end dnsd promptly with exit 0, even with clients still connected.
#include <signal.h>

#include <chrono>
#include <future>
#include <string>

#include "harness.hpp"

namespace dnsd::e2e {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(Lifecycle, SigtermExits0Promptly) {
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    const auto started = Clock::now();
    const ExitStatus status = dnsd.terminate();
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
    EXPECT_LT(Clock::now() - started, 3s);
}

TEST(Lifecycle, SigintExits0) {
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_TRUE(dnsd.send_signal(SIGINT));
    const ExitStatus status = dnsd.wait_exit(5s);
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
}

TEST(Lifecycle, SigtermWithABlockingQueryPendingExits0) {
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    ASSERT_EQ(heartbeat(dnsd, R"({"service":"api","address":"10.0.0.3","port":8861})").status, 200u);
    const std::uint64_t index =
        static_cast<std::uint64_t>(number(get_json(dnsd, "/v1/services/api").at("index")));
    // A blocking query that would wait 30 s.
    auto blocked = std::async(std::launch::async, [&] {
        return http_get(dnsd.http_port(), "/v1/services/api?index=" + std::to_string(index) + "&wait=30s",
                        15000ms);
    });
    ASSERT_EQ(blocked.wait_for(300ms), std::future_status::timeout);

    const auto stopping = Clock::now();
    const ExitStatus status = dnsd.terminate();
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
    EXPECT_LT(Clock::now() - stopping, 3s) << "a pending blocking query must not hold up the shutdown";
    EXPECT_EQ(blocked.wait_for(5s), std::future_status::ready);
}

TEST(Lifecycle, SigtermWithIdleConnectionsExits0Promptly) {
    DnsdProcess dnsd;
    ASSERT_TRUE(dnsd.started()) << dnsd.start_failure();
    // A DNS TCP connection that asked once and stays open, and an HTTP connection that says nothing.
    TcpDnsConnection dns(dnsd.dns_port(), 1000ms);
    ASSERT_TRUE(dns.send_message(encode_query(DnsQuestion("svc", LDNS_RR_TYPE_SOA))));
    ASSERT_TRUE(dns.receive_message(1000ms).has_value());
    TcpDnsConnection http(dnsd.http_port(), 1000ms);  // only a TCP connection, no DNS framing used
    ASSERT_TRUE(http.connected());

    const auto stopping = Clock::now();
    const ExitStatus status = dnsd.terminate();
    EXPECT_TRUE(status.exited && status.code == 0) << status.describe();
    EXPECT_LT(Clock::now() - stopping, 3s) << "open connections must not hold up the shutdown";
}

}  // namespace
}  // namespace dnsd::e2e
