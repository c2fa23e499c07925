#pragma once
// GET /status, in the original notes' format. Its "peers" field is how gossip spreads: each
// answer carries a random third of the peers this node knows alive, so a reader learns the
// whole cluster after a few rounds while every answer stays small.
#include "registry/names.hpp"
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "registry/clock.hpp"
#include "registry/registry.hpp"

namespace dnsd {

// The service under which dnsd nodes register themselves (self-discovery).
using registry::kNodeService;

// "address:port" (IPv6 in brackets) of every live instance of service "dnsd" but this node.
std::vector<std::string> live_peers(const registry::Registry& registry,
                                    std::string_view self_label, registry::MonoMs now);

// A random third, rounded up, of `peers`, in random order: a different pick at each call.
std::vector<std::string> sample_third(std::vector<std::string> peers, std::mt19937_64& rng);

// Whether this node believes it is cut off and keeps expired instances (Eureka's
// self-preservation); since is wall-clock unix seconds, for people reading /status.
struct SelfPreservationStatus {
    bool active = false;
    std::optional<std::int64_t> since_unix_s{};
    std::string reason;
};

struct StatusFields {
    std::string_view node_name;
    std::int64_t unix_seconds = 0;
    std::uint64_t index = 0;
    std::vector<std::string> peers;
    // Cluster fields: absent from the original notes' format, added after it.
    std::optional<std::uint64_t> incarnation{};
    std::optional<SelfPreservationStatus> self_preservation{};
};

// {"status":"ok","service":"dnsd","version":...,"timestamp":...,"node":...,"index":...,"peers":[...]}
// then, when set, "incarnation" and "self_preservation": {"active","since","reason"}.
boost::json::object status_json(const StatusFields& fields);

}  // namespace dnsd
