#pragma once
// One registered instance: what its source said (the spec), when (src_ts, the source's clock),
// and when this node heard it (rcv_ts, this node's monotonic clock).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "registry/clock.hpp"
#include "registry/ip_address.hpp"
#include "registry/meta_map.hpp"
#include "registry/optional_box.hpp"

namespace dnsd::registry {

// A third-party health check (a heartbeat's "check"): the node that took the registration
// probes the instance itself. Durations in milliseconds; the heartbeat parser validates them.
enum class CheckKind : std::uint8_t { none, http, tcp };

struct HealthCheck {
    CheckKind kind = CheckKind::none;
    std::string target;                    // http: the URL; tcp: "host:port"
    std::int64_t interval_ms = 0;
    std::int64_t timeout_ms = 0;
    std::int64_t deregister_after_ms = 0;  // critical this long: deregistered; 0: never

    bool present() const { return kind != CheckKind::none; }
    bool operator==(const HealthCheck&) const = default;
};

enum class Health : std::uint8_t { passing, critical };

// What the last probe said. Part of the spec, so a change is a real registry change (index,
// zone, gossip, cache.json) and travels with the instance to every node.
struct HealthState {
    Health status = Health::passing;
    std::string output;                  // why it is critical; empty when passing
    std::int64_t critical_since_ms = 0;  // wall clock of the probing node; 0 when passing

    bool critical() const { return status == Health::critical; }
    bool operator==(const HealthState&) const = default;
};

inline std::string_view to_string(CheckKind kind) {
    return kind == CheckKind::http ? "http" : kind == CheckKind::tcp ? "tcp" : "none";
}
inline std::string_view to_string(Health health) {
    return health == Health::critical ? "critical" : "passing";
}

// The names of the check and health fields, shared by gossip messages and cache.json, where
// they are optional (absent: no check, passing), so files and peers without them still load.
namespace health_key {
inline constexpr std::string_view check_kind = "check_kind";
inline constexpr std::string_view check_target = "check_target";
inline constexpr std::string_view check_interval_ms = "check_interval_ms";
inline constexpr std::string_view check_timeout_ms = "check_timeout_ms";
inline constexpr std::string_view check_deregister_after_ms = "check_deregister_after_ms";
inline constexpr std::string_view health = "health_status";
inline constexpr std::string_view health_output = "health_output";
inline constexpr std::string_view critical_since_ms = "critical_since_ms";
}  // namespace health_key

// What a heartbeat (or a peer, or a snapshot) says about an instance.
struct InstanceSpec {
    std::string service;  // canonical label
    std::string id;       // canonical label
    IpAddress address;
    std::uint16_t port = 0;
    std::string version;
    std::uint16_t weight = 100;
    std::uint16_t priority = 0;
    MetaMap meta;                             // ordered: TXT records come out stable
    std::int64_t ttl_ms = 30'000;             // the lease
    std::string node;                         // the dnsd node that took the heartbeat
    // Out of line (registry/optional_box.hpp): nearly every instance has neither.
    OptionalBox<HealthCheck> check;           // none: the heartbeats alone keep it alive
    OptionalBox<HealthState> health;          // critical: left out of every DNS answer

    bool operator==(const InstanceSpec&) const = default;
};

// The lease end shared with the published DNS snapshot: a renewal moves it in place, so TTLs
// follow the lease without rebuilding any answer. Written by the registry, read by DNS threads.
struct LeaseCell {
    std::atomic<MonoMs> expires_at;
    explicit LeaseCell(MonoMs t) : expires_at(t) {}
};

struct Instance {
    InstanceSpec spec;
    std::int64_t src_ts_ms = 0;    // the source's clock: decides which copy is newer
    MonoMs rcv_ts = 0;             // this node's clock: decides expiry
    std::uint64_t modify_index = 0;
    std::shared_ptr<LeaseCell> lease;

    // The registry's own bookkeeping, here rather than in side maps keyed by copies of both
    // names (~200 bytes per instance at a million): where the instance sits in the expiry heap
    // and in the gossip change log. Meaningless on a copy taken out of the registry.
    static constexpr std::uint32_t no_slot = 0xFFFF'FFFF;
    std::uint32_t expiry_slot = no_slot;  // see registry/expiry_heap.hpp
    std::uint64_t change_seq = 0;         // its change log entry; 0: none
    MonoMs logged_rcv = 0;                // rcv_ts when last logged: renewal damping

    MonoMs expires_at() const { return rcv_ts + spec.ttl_ms; }
    // DESIGN.md: now - rcv_ts > ttl. At exactly ttl the lease is still (just) alive.
    bool expired(MonoMs now) const { return now - rcv_ts > spec.ttl_ms; }
    std::int64_t remaining_ms(MonoMs now) const { return expires_at() - now; }
};

}  // namespace dnsd::registry
