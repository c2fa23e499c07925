#pragma once
// The body of POST /v1/heartbeat, parsed and validated before anything touches the registry:
// a request is accepted whole or rejected whole, so a bad element in an array changes nothing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "registry/instance.hpp"
#include "registry/ip_address.hpp"

namespace dnsd {

// What the node fills in when the heartbeat leaves it out.
struct HeartbeatDefaults {
    std::int64_t lease_s = 30;  // --lease: the ttl of a heartbeat without "ttl"
    std::string node;           // this node's label, stamped into every spec it takes
};

// One validated instance of the request, ready for Registry::renew.
struct Heartbeat {
    registry::InstanceSpec spec;
    std::optional<std::int64_t> src_ts_ms;  // from "timestamp"; none: the node assigns one
};

struct HeartbeatRequest {
    std::vector<Heartbeat> heartbeats;
    bool batch = false;  // the body was a JSON array: the reply lists every instance
};

// One sentence a client can act on: names the field and the rule it broke.
struct HeartbeatError {
    std::string message;
};

using HeartbeatParse = std::variant<HeartbeatRequest, HeartbeatError>;

// Limits that keep every value exportable as a single DNS TXT string (at most 255 bytes).
inline constexpr std::size_t kMaxTxtString = 255;
inline constexpr std::size_t kMaxVersionBytes = kMaxTxtString - 8;  // "version=" + value
inline constexpr std::int64_t kMaxTtlSeconds = 86'400;

// `peer` is the address the request came from: the default for a missing "address".
HeartbeatParse parse_heartbeat(std::string_view body, const registry::IpAddress& peer,
                               const HeartbeatDefaults& defaults);

}  // namespace dnsd
