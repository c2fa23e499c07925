// A heartbeat's "check": defaults, limits and the sentence each bad value gets; the check in a
// whole heartbeat (lease raised to a few intervals, all-or-nothing rejection).
#include "dnsd/health_check_spec.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "dnsd/heartbeat_request.hpp"

namespace dnsd {
namespace {

registry::HealthCheck check_of(std::string_view text) {
    auto parsed = parse_health_check(boost::json::parse(text));
    if (auto* error = std::get_if<std::string>(&parsed)) {
        ADD_FAILURE() << "rejected: " << *error << "\ncheck: " << text;
        return {};
    }
    return std::get<registry::HealthCheck>(parsed);
}

std::string check_error(std::string_view text) {
    auto parsed = parse_health_check(boost::json::parse(text));
    if (auto* error = std::get_if<std::string>(&parsed)) return *error;
    ADD_FAILURE() << "accepted: " << text;
    return {};
}

TEST(HealthCheckSpec, HttpCheckAsWritten) {
    const auto c = check_of(R"({"http": "http://10.0.0.3:8861/status", "interval": 10, "timeout": 2,
                                "deregister_after": 300})");
    EXPECT_EQ(c.kind, registry::CheckKind::http);
    EXPECT_EQ(c.target, "http://10.0.0.3:8861/status");
    EXPECT_EQ(c.interval_ms, 10'000);
    EXPECT_EQ(c.timeout_ms, 2'000);
    EXPECT_EQ(c.deregister_after_ms, 300'000);
}

TEST(HealthCheckSpec, DefaultsAreTenSecondsTimeoutAtMostFiveAndNeverDeregister) {
    const auto c = check_of(R"({"tcp": "10.0.0.3:8861"})");
    EXPECT_EQ(c.kind, registry::CheckKind::tcp);
    EXPECT_EQ(c.interval_ms, 10'000);
    EXPECT_EQ(c.timeout_ms, 5'000);
    EXPECT_EQ(c.deregister_after_ms, 0);
    EXPECT_EQ(check_of(R"({"tcp": "h.example:1", "interval": 2})").timeout_ms, 2'000);
}

TEST(HealthCheckSpec, FractionalSecondsAreKeptInMilliseconds) {
    const auto c = check_of(R"({"tcp": "[::1]:8861", "interval": 0.5, "timeout": 0.25})");
    EXPECT_EQ(c.interval_ms, 500);
    EXPECT_EQ(c.timeout_ms, 250);
}

TEST(HealthCheckSpec, BadValuesGetASentenceNamingTheField) {
    EXPECT_NE(check_error(R"({"http": "https://10.0.0.3/status"})").find("http:// URL"), std::string::npos);
    EXPECT_NE(check_error(R"({"http": "not a url"})").find("'check.http' must be an absolute URL"), std::string::npos);
    EXPECT_NE(check_error(R"({"http": "http://10.0.0.3:99999/"})").find("port"), std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "10.0.0.3"})").find("'check.tcp' must be host:port"), std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "10.0.0.3:0"})").find("'check.tcp'"), std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "::1:80"})").find("'check.tcp'"), std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": 8861})").find("must be a string"), std::string::npos);
    EXPECT_NE(check_error(R"({"interval": 10})").find("exactly one of 'http'"), std::string::npos);
    EXPECT_NE(check_error(R"({"http": "http://a/", "tcp": "a:1"})").find("exactly one"), std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "a:1", "interval": -1})").find("'check.interval' must be a number of seconds"),
              std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "a:1", "interval": "10"})").find("'check.interval'"), std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "a:1", "timeout": 0})").find("'check.timeout'"), std::string::npos);
    EXPECT_EQ(check_error(R"({"tcp": "a:1", "interval": 5, "timeout": 6})"),
              "field 'check.timeout' must not exceed 'check.interval' (5 s)");
    EXPECT_NE(check_error(R"({"tcp": "a:1", "deregister_after": -5})").find("'check.deregister_after'"),
              std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "a:1", "interval": 10, "deregister_after": 5})").find("at least 'check.interval'"),
              std::string::npos);
    EXPECT_NE(check_error(R"({"tcp": "a:1", "intervall": 10})").find("'check.intervall' is not known"),
              std::string::npos);
    EXPECT_NE(check_error(R"("http://a/")").find("must be an object"), std::string::npos);
}

TEST(HealthCheckSpec, HttpUrlIsTakenApartForTheProbe) {
    auto a = std::get<ProbeAddress>(parse_http_check_url("http://10.0.0.3:8861/status?full=1"));
    EXPECT_EQ(a.host, "10.0.0.3");
    EXPECT_EQ(a.port, 8861);
    EXPECT_EQ(a.target, "/status?full=1");
    EXPECT_EQ(a.host_header, "10.0.0.3:8861");
    a = std::get<ProbeAddress>(parse_http_check_url("http://[::1]"));
    EXPECT_EQ(a.host, "::1");
    EXPECT_EQ(a.port, 80);
    EXPECT_EQ(a.target, "/");
    a = std::get<ProbeAddress>(parse_http_check_url("http://api.example/health"));
    EXPECT_EQ(a.host, "api.example");
}

TEST(HealthCheckSpec, TcpAddressIsTakenApartForTheProbe) {
    auto a = std::get<ProbeAddress>(parse_tcp_check_address("[fd00::5]:8861"));
    EXPECT_EQ(a.host, "fd00::5");
    EXPECT_EQ(a.port, 8861);
}

TEST(HealthCheckSpec, LeaseIsAtLeastThreeIntervalsAndATimeout) {
    registry::HealthCheck c{registry::CheckKind::tcp, "a:1", 10'000, 2'000, 0};
    EXPECT_EQ(check_min_lease_ms(c), 32'000);
    EXPECT_EQ(check_min_lease_ms(registry::HealthCheck{}), 0);
}

const registry::IpAddress kHealthPeer = *registry::IpAddress::parse("192.0.2.7");

TEST(HealthCheckSpec, HeartbeatCarriesTheCheckAndALongEnoughLease) {
    auto parsed = parse_heartbeat(R"({"service": "api", "port": 8861, "ttl": 5,
        "check": {"tcp": "10.0.0.3:8861", "interval": 10, "timeout": 1}})", kHealthPeer, {30, "n1"});
    ASSERT_TRUE(std::holds_alternative<HeartbeatRequest>(parsed)) << std::get<HeartbeatError>(parsed).message;
    const auto& spec = std::get<HeartbeatRequest>(parsed).heartbeats.at(0).spec;
    EXPECT_EQ(spec.check->kind, registry::CheckKind::tcp);
    EXPECT_EQ(spec.ttl_ms, 31'000);  // raised from 5 s: the probes renew it every 10 s
    EXPECT_FALSE(spec.health->critical());

    auto longer = parse_heartbeat(R"({"service": "api", "port": 8861, "ttl": 600,
        "check": {"tcp": "10.0.0.3:8861"}})", kHealthPeer, {30, "n1"});
    EXPECT_EQ(std::get<HeartbeatRequest>(longer).heartbeats.at(0).spec.ttl_ms, 600'000);
}

TEST(HealthCheckSpec, ABadCheckRejectsTheWholeBatch) {
    auto parsed = parse_heartbeat(R"([{"service": "api", "port": 1},
        {"service": "api", "port": 2, "check": {"http": "ftp://x/"}}])", kHealthPeer, {30, "n1"});
    ASSERT_TRUE(std::holds_alternative<HeartbeatError>(parsed));
    EXPECT_NE(std::get<HeartbeatError>(parsed).message.find("element [1]: field 'check.http'"), std::string::npos)
        << std::get<HeartbeatError>(parsed).message;
}

}  // namespace
}  // namespace dnsd
