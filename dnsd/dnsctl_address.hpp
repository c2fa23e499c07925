#pragma once
// HOST:PORT as dnsctl takes it for --server (host names allowed) and --dns-server (an IP
// address, since it is where names get resolved). IPv6 literals go in brackets: [::1]:8054.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dnsd::ctl {

struct Endpoint {
    std::string host;  // without brackets
    std::uint16_t port = 0;
    std::string to_string() const;  // brackets around an IPv6 literal
};

// nullopt when the text is not HOST:PORT with a port from 1 to 65535. An "http://" prefix and a
// trailing "/" are tolerated, as people paste URLs.
std::optional<Endpoint> parse_endpoint(std::string_view text);

// True for an IPv4 or IPv6 literal (no brackets).
bool is_ip_literal(const std::string& host);

}  // namespace dnsd::ctl
