#include "dnsd/dnsctl_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dnsd::ctl {
namespace {

using ::testing::HasSubstr;

ParseOutcome parse_args(std::vector<std::string> args) { return parse_command_line(args); }

template <typename T>
const T& command_as(const ParseOutcome& outcome) {
    EXPECT_TRUE(outcome.command.has_value()) << outcome.message;
    return std::get<T>(*outcome.command);
}

TEST(DnsctlOptions, HelpAndVersionExitZero) {
    EXPECT_EQ(parse_args({"--help"}).exit_code, 0);
    EXPECT_THAT(parse_args({"--help"}).message, HasSubstr("heartbeat"));
    EXPECT_THAT(parse_args({"--version"}).message, HasSubstr("dnsctl "));
    const auto help = parse_args({"list", "--help"});
    EXPECT_FALSE(help.command);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_THAT(help.message, HasSubstr("--json"));
}

TEST(DnsctlOptions, MissingOrUnknownCommandIsBadUsage) {
    EXPECT_EQ(parse_args({}).exit_code, 2);
    const auto unknown = parse_args({"frobnicate"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_THAT(unknown.message, HasSubstr("unknown command 'frobnicate'"));
    EXPECT_THAT(unknown.message, HasSubstr("dnsctl --help"));
}

TEST(DnsctlOptions, HeartbeatDefaultsAndValues) {
    const auto outcome = parse_args({"heartbeat", "--service", "api", "--port", "8861", "--meta", "zone=a",
                                     "--meta", "rack=r=1", "--version", "1.2.3", "--weight", "0"});
    const auto& h = command_as<HeartbeatCommand>(outcome);
    EXPECT_EQ(h.instance.service, "api");
    EXPECT_EQ(h.instance.port, 8861);
    EXPECT_EQ(h.instance.ttl_s, 15);
    EXPECT_EQ(h.every, std::chrono::milliseconds(5000)) << "default: a third of the ttl";
    EXPECT_EQ(h.instance.version, "1.2.3") << "--version is the instance's here";
    EXPECT_EQ(h.instance.weight, 0);
    EXPECT_EQ(h.instance.meta.at("zone"), "a");
    EXPECT_EQ(h.instance.meta.at("rack"), "r=1") << "only the first '=' separates";
    ASSERT_EQ(h.common.servers.size(), 1u);
    EXPECT_EQ(h.common.servers[0].to_string(), "127.0.0.1:8054");
    EXPECT_FALSE(h.once);
}

TEST(DnsctlOptions, HeartbeatRejectsBadValues) {
    EXPECT_EQ(parse_args({"heartbeat", "--port", "8861"}).exit_code, 2);
    EXPECT_THAT(parse_args({"heartbeat", "--port", "8861"}).message, HasSubstr("--service is required"));
    EXPECT_THAT(parse_args({"heartbeat", "--service", "api", "--port", "70000"}).message, HasSubstr("--port"));
    EXPECT_THAT(parse_args({"heartbeat", "--service", "a_b", "--port", "1"}).message, HasSubstr("DNS label"));
    EXPECT_THAT(parse_args({"heartbeat", "--service", "api", "--port", "1", "--address", "host"}).message,
                HasSubstr("--address"));
    EXPECT_THAT(parse_args({"heartbeat", "--service", "api", "--port", "1", "--ttl", "3", "--every", "3"}).message,
                HasSubstr("shorter than --ttl"));
    EXPECT_THAT(parse_args({"heartbeat", "--service", "api", "--port", "1", "--meta", "novalue"}).message,
                HasSubstr("KEY=VALUE"));
    EXPECT_THAT(parse_args({"heartbeat", "--service", "api", "--port", "1", "extra"}).message,
                HasSubstr("takes no arguments"));
}

TEST(DnsctlOptions, HeartbeatCheck) {
    const auto outcome = parse_args({"heartbeat", "--service", "api", "--port", "1", "--check-http",
                                     "http://127.0.0.1:1/status", "--check-interval", "3"});
    const auto& h = command_as<HeartbeatCommand>(outcome);
    ASSERT_TRUE(h.instance.check);
    EXPECT_EQ(h.instance.check->kind, "http");
    EXPECT_EQ(h.instance.check->interval_s, 3);
    EXPECT_EQ(h.instance.check->timeout_s, 2);
    EXPECT_EQ(parse_args({"heartbeat", "--service", "api", "--port", "1", "--check-interval", "3"}).exit_code, 2);
    EXPECT_EQ(parse_args({"heartbeat", "--service", "api", "--port", "1", "--check-http", "ftp://x"}).exit_code, 2);
}

TEST(DnsctlOptions, ServersRepeatAndMayComeBeforeTheCommand) {
    const auto outcome = parse_args({"--server", "127.0.0.1:1", "list", "--server", "[::1]:8054", "api"});
    const auto& l = command_as<ListCommand>(outcome);
    ASSERT_EQ(l.common.servers.size(), 2u);
    EXPECT_EQ(l.common.servers[0].port, 1);
    EXPECT_EQ(l.common.servers[1].host, "::1");
    EXPECT_EQ(l.service, "api");
    EXPECT_EQ(parse_args({"list", "--server", "nope"}).exit_code, 2);
}

TEST(DnsctlOptions, LookupAndWatchNeedAService) {
    EXPECT_THAT(parse_args({"lookup"}).message, HasSubstr("SERVICE is missing"));
    EXPECT_EQ(parse_args({"watch"}).exit_code, 2);
    const auto lookup = parse_args({"lookup", "api", "--pick", "--domain", "svc.example.", "--dns-server", "[::1]:53"});
    const auto& l = command_as<LookupCommand>(lookup);
    EXPECT_TRUE(l.pick);
    EXPECT_EQ(l.domain, "svc.example");
    EXPECT_EQ(l.dns_server.to_string(), "[::1]:53");
    EXPECT_EQ(parse_args({"lookup", "api", "--dns-server", "localhost:53"}).exit_code, 2)
        << "the DNS server must be an address";
    EXPECT_EQ(parse_args({"lookup", "api", "--server", "127.0.0.1:1"}).exit_code, 2)
        << "lookup goes through DNS, not HTTP";
    const auto watch = parse_args({"watch", "api", "--wait", "2"});
    const auto& w = command_as<WatchCommand>(watch);
    EXPECT_EQ(w.wait, std::chrono::seconds(2));
}

TEST(DnsctlOptions, DeregisterNeedsServiceAndId) {
    EXPECT_THAT(parse_args({"deregister", "--service", "api"}).message, HasSubstr("--id is required"));
    const auto deregister = parse_args({"deregister", "--service", "api", "--id", "api-1"});
    const auto& d = command_as<DeregisterCommand>(deregister);
    EXPECT_EQ(d.id, "api-1");
}

TEST(DnsctlOptions, UnknownOptionAndBadLogLevelAreBadUsage) {
    const auto unknown = parse_args({"list", "--bogus"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_THAT(unknown.message, HasSubstr("bogus"));
    EXPECT_THAT(unknown.message, HasSubstr("dnsctl list --help"));
    EXPECT_EQ(parse_args({"list", "--log-level", "loud"}).exit_code, 2);
    const auto debug = parse_args({"--log-level", "debug", "list"});
    EXPECT_EQ(command_as<ListCommand>(debug).common.log_level, "debug");
}

TEST(DnsctlOptions, UnreadableTokenFileIsBadUsage) {
    const auto outcome = parse_args({"deregister", "--service", "a", "--id", "b", "--token-file", "/nonexistent/t"});
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_THAT(outcome.message, HasSubstr("cannot read"));
}

}  // namespace
}  // namespace dnsd::ctl
