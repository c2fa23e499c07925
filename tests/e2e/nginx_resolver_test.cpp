// nginx's `resolver` pointed at dnsd: Debian 12's nginx 1.22 re-resolves a variable in
// proxy_pass. These tests run the real nginx in front of real backends registered in dnsd.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <thread>

#include "dns_client.hpp"
#include "free_port.hpp"
#include "harness.hpp"
#include "nginx_backend.hpp"
#include "nginx_process.hpp"

namespace dnsd::e2e {
namespace {

using std::chrono::milliseconds;

// The body of a GET / through nginx (a backend's name), or "status N" when it failed.
std::string resolver_fetch(const NginxProcess& nginx) {
    const auto r = http_get(nginx.port(), "/", milliseconds(5000));
    return r.status == 200 ? r.body : "status " + std::to_string(r.status) + " " + r.failure;
}

std::string resolver_register(const DnsdProcess& dnsd, const std::string& service, const std::string& id,
                              const std::string& address, std::uint16_t port) {
    const auto r = heartbeat(dnsd, R"({"service":")" + service + R"(","id":")" + id + R"(","address":")" +
                                       address + R"(","port":)" + std::to_string(port) + R"(,"ttl":120})");
    return r.status == 200 ? "" : "heartbeat " + id + ": " + std::to_string(r.status) + " " + r.body;
}

// The nginx 1.22 recipe from the README, with dnsd's port and a short cache (valid=1s).
std::string variable_recipe(std::uint16_t dns_port, const std::string& name, std::uint16_t backend_port) {
    return "    resolver 127.0.0.1:" + std::to_string(dns_port) + " valid=1s;\n"
           "    resolver_timeout 3s;\n"
           "    server {\n"
           "        listen 127.0.0.1:@PORT@;\n"
           "        location / {\n"
           "            set $backend " + name + ";\n"
           "            proxy_pass http://$backend:" + std::to_string(backend_port) + ";\n"
           "            proxy_connect_timeout 2s;\n"
           "        }\n"
           "    }\n";
}

class NginxResolverTest : public ::testing::Test {
protected:
    void SetUp() override {
        // Missing nginx is a failure, not a skip: CI installs it (scripts/install-deps.sh --test).
        ASSERT_EQ(NginxProcess::unavailable(), "");
        DnsdOptions options;
        options.max_ttl_s = 1;
        dnsd_ = std::make_unique<DnsdProcess>(options);
        ASSERT_TRUE(dnsd_->started()) << dnsd_->start_failure();
    }

    // Two backends on one port (proxy_pass names one port) and two loopback addresses.
    void start_two_backends() {
        for (int attempt = 0; attempt < 5; ++attempt) {
            port_ = pick_free_port();
            alpha_ = std::make_unique<NginxTestBackend>("127.0.0.2", port_, "alpha");
            beta_ = std::make_unique<NginxTestBackend>("127.0.0.3", port_, "beta");
            if (alpha_->ok() && beta_->ok()) return;
        }
        FAIL() << "no port free on both 127.0.0.2 and 127.0.0.3: " << alpha_->failure() << beta_->failure();
    }

    std::unique_ptr<DnsdProcess> dnsd_;
    std::uint16_t port_ = 0;
    std::unique_ptr<NginxTestBackend> alpha_, beta_;
};

TEST_F(NginxResolverTest, RequestsReachBothBackendsThenOnlyTheOtherAfterADeregistration) {
    ASSERT_NO_FATAL_FAILURE(start_two_backends());
    ASSERT_EQ(resolver_register(*dnsd_, "web", "alpha", "127.0.0.2", port_), "");
    ASSERT_EQ(resolver_register(*dnsd_, "web", "beta", "127.0.0.3", port_), "");
    // An IPv4-only service: nginx asks A and AAAA, and the AAAA answer is NODATA (no NXDOMAIN).
    const auto aaaa = dns_query(dnsd_->dns_port(), "web.svc", LDNS_RR_TYPE_AAAA);
    ASSERT_EQ(aaaa.rcode(), LDNS_RCODE_NOERROR) << aaaa.to_string();
    ASSERT_TRUE(aaaa.answer().empty()) << aaaa.to_string();

    NginxProcess nginx(variable_recipe(dnsd_->dns_port(), "web.svc", port_));
    ASSERT_TRUE(nginx.started()) << nginx.failure();

    // nginx's resolver hands each request the cached addresses from a random start, so both
    // are reached within a few requests; bounded in time, not in count, to stay robust.
    std::set<std::string> seen;
    std::string unexpected;
    eventually(
        [&] {
            const std::string got = resolver_fetch(nginx);
            if (got != "alpha" && got != "beta") unexpected = got;
            seen.insert(got);
            return seen.size() >= 2 || !unexpected.empty();
        },
        milliseconds(10'000), milliseconds(100));
    ASSERT_EQ(unexpected, "") << nginx.error_log();
    EXPECT_EQ(seen, (std::set<std::string>{"alpha", "beta"})) << nginx.error_log();

    const auto deleted = http_delete(dnsd_->http_port(), "/v1/instances/web/alpha");
    ASSERT_EQ(deleted.status, 200u) << deleted.body;
    const auto gone_at = std::chrono::steady_clock::now();
    // dnsd's TTL (--max-ttl 1) and nginx's cache (valid=1s): the switch comes within about 2 s.
    int beta_in_a_row = 0;
    const bool switched = eventually(
        [&] {
            beta_in_a_row = resolver_fetch(nginx) == "beta" ? beta_in_a_row + 1 : 0;
            return beta_in_a_row >= 6;
        },
        milliseconds(10'000), milliseconds(100));
    ASSERT_TRUE(switched) << nginx.error_log();
    EXPECT_LT(std::chrono::steady_clock::now() - gone_at, std::chrono::seconds(5));
    // A few "beta" in a row can still come from the cached pair: past dnsd's TTL and nginx's
    // cache (1 s + 1 s, with slack) and for three more re-resolutions, never alpha again.
    std::this_thread::sleep_until(gone_at + milliseconds(2500));
    const auto alpha_before = alpha_->requests();
    for (int i = 0; i < 30; ++i) {
        ASSERT_EQ(resolver_fetch(nginx), "beta") << nginx.error_log();
        std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_EQ(alpha_->requests(), alpha_before);
    // Neither the NODATA for AAAA nor anything else made nginx's resolver complain.
    EXPECT_EQ(nginx.error_log().find("could not be resolved"), std::string::npos) << nginx.error_log();
    nginx.stop();
}

TEST_F(NginxResolverTest, AnAnswerOver512BytesIsTruncatedAndNginxRetriesOverTcp) {
    std::unique_ptr<NginxTestBackend> last;
    for (int attempt = 0; attempt < 5 && !(last && last->ok()); ++attempt) {
        port_ = pick_free_port();
        last = std::make_unique<NginxTestBackend>("127.0.0.49", port_, "last");
    }
    ASSERT_TRUE(last->ok()) << last->failure();
    // 40 A records: 12 + 15 (question) + 40 * 16 = 667 bytes, more than nginx's 512 (no EDNS).
    for (int host = 10; host < 50; ++host)
        ASSERT_EQ(resolver_register(*dnsd_, "big", "i" + std::to_string(host), "127.0.0." + std::to_string(host),
                                    port_),
                  "");
    DnsQuestion udp("big.svc", LDNS_RR_TYPE_A);
    const auto truncated = dns_query(dnsd_->dns_port(), udp);
    ASSERT_TRUE(truncated.tc()) << truncated.to_string();
    EXPECT_TRUE(truncated.answer().empty()) << "whole RRsets only: " << truncated.to_string();
    const auto whole = dns_query(dnsd_->dns_port(), "big.svc", LDNS_RR_TYPE_A, Transport::tcp);
    ASSERT_EQ(whole.answer(LDNS_RR_TYPE_A).size(), 40u) << whole.to_string();

    NginxProcess nginx(variable_recipe(dnsd_->dns_port(), "big.svc", port_));
    ASSERT_TRUE(nginx.started()) << nginx.failure();
    // Only 127.0.0.49 listens; nginx passes over the refused ones to it. Without the TCP
    // retry nginx would have no address at all and answer 502 "could not be resolved".
    for (int i = 0; i < 5; ++i) ASSERT_EQ(resolver_fetch(nginx), "last") << nginx.error_log();
    EXPECT_GE(last->requests(), 5u);
    EXPECT_EQ(nginx.error_log().find("could not be resolved"), std::string::npos) << nginx.error_log();
    nginx.stop();
}

}  // namespace
}  // namespace dnsd::e2e
