#include "dnsd/dnsctl_servers.hpp"

#include <gtest/gtest.h>

namespace dnsd::ctl {
namespace {

TEST(DnsctlServers, ErrorTextPrefersDnsdsErrorSentence) {
    EXPECT_EQ(error_text(404, R"({"error":"there is no service 'x'"})"), "there is no service 'x'");
    EXPECT_EQ(error_text(502, "Bad Gateway\r\n"), "Bad Gateway") << "a proxy's plain body";
    EXPECT_EQ(error_text(503, ""), "HTTP 503");
}

TEST(DnsctlServers, DescribeFailureNamesStatusAndServer) {
    ServerAnswer not_found{{"127.0.0.1", 8054}, 404, R"({"error":"no live instance 'x' of service 'y'"})", "", false};
    EXPECT_EQ(describe_failure(not_found), "no live instance 'x' of service 'y' (HTTP 404 from 127.0.0.1:8054)");
    ServerAnswer unreachable{{"127.0.0.1", 1}, 0, "", "cannot reach 127.0.0.1:1: connection refused", false};
    EXPECT_EQ(describe_failure(unreachable), "cannot reach 127.0.0.1:1: connection refused");
}

}  // namespace
}  // namespace dnsd::ctl
