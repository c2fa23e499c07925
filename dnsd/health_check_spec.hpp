#pragma once
// A heartbeat's "check": parsed and validated before anything touches the registry, and the
// address a probe connects to, taken apart from the check's text.
//
//   "check": {"http": "http://10.0.0.3:8861/status", "interval": 10, "timeout": 2,
//             "deregister_after": 300}
//   "check": {"tcp": "10.0.0.3:8861", "interval": 10}
//
// Durations are seconds, fractional allowed (millisecond resolution).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/value.hpp>

#include "registry/instance.hpp"

namespace dnsd {

inline constexpr std::int64_t kCheckMinIntervalMs = 100;
inline constexpr std::int64_t kCheckMaxIntervalMs = 3'600'000;  // 4 intervals stay within the 1-day lease limit
inline constexpr std::int64_t kCheckDefaultIntervalMs = 10'000;
inline constexpr std::int64_t kCheckMinTimeoutMs = 10;
inline constexpr std::int64_t kCheckDefaultMaxTimeoutMs = 5'000;  // default: min(interval, 5 s)
inline constexpr std::int64_t kCheckMaxDeregisterAfterMs = 30LL * 86'400'000;
inline constexpr std::size_t kCheckMaxTargetBytes = 1024;

// Where a probe connects: host (a name or an IP literal, IPv6 without brackets) and port; for
// HTTP also the request target ("/status?full=1") and the Host header value.
struct ProbeAddress {
    std::string host;
    std::uint16_t port = 0;
    std::string target;       // http only
    std::string host_header;  // http only
};

// "http://host[:port]/path?query": only http (no TLS), a host, port 1-65535 (default 80).
std::variant<ProbeAddress, std::string> parse_http_check_url(std::string_view url);
// "host:port" or "[v6]:port".
std::variant<ProbeAddress, std::string> parse_tcp_check_address(std::string_view text);
// The address a stored check probes (validated when it came in; an error here is damage).
std::variant<ProbeAddress, std::string> probe_address(const registry::HealthCheck& check);

// The value of "check". Errors are one sentence naming the field, e.g.
// "field 'check.timeout' must not exceed 'check.interval' (10 s)".
std::variant<registry::HealthCheck, std::string> parse_health_check(const boost::json::value& value);

// The lease an instance with this check holds at least: the probing node renews it at each
// probe, so three intervals let a late or lost probe (and gossip to other nodes) pass without
// the instance flickering out of DNS, while a dead probing node's instances still expire.
std::int64_t check_min_lease_ms(const registry::HealthCheck& check);

}  // namespace dnsd
