#include "dnsd/dnsctl_address.hpp"

#include <gtest/gtest.h>

namespace dnsd::ctl {
namespace {

TEST(DnsctlAddress, ParsesHostPortForms) {
    EXPECT_EQ(parse_endpoint("127.0.0.1:8054")->to_string(), "127.0.0.1:8054");
    EXPECT_EQ(parse_endpoint("[::1]:8054")->host, "::1");
    EXPECT_EQ(parse_endpoint("[::1]:8054")->to_string(), "[::1]:8054");
    EXPECT_EQ(parse_endpoint("dnsd.example:80")->host, "dnsd.example");
    EXPECT_EQ(parse_endpoint("http://10.0.0.5:8054/")->to_string(), "10.0.0.5:8054");
}

TEST(DnsctlAddress, RejectsWhatIsNotHostPort) {
    for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", ":80", "::1:80", "[::1]80", "[127.0.0.1]:80",
                            "host:0", "host:65536", "host:8x", "a b:80"})
        EXPECT_FALSE(parse_endpoint(bad)) << bad;
}

TEST(DnsctlAddress, IpLiterals) {
    EXPECT_TRUE(is_ip_literal("10.0.0.3"));
    EXPECT_TRUE(is_ip_literal("fd00::5"));
    EXPECT_FALSE(is_ip_literal("localhost"));
}

}  // namespace
}  // namespace dnsd::ctl
