#pragma once
// One registered instance: what its source said (the spec), when (src_ts, the source's clock),
// and when this node heard it (rcv_ts, this node's monotonic clock).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "registry/clock.hpp"
#include "registry/ip_address.hpp"

namespace dnsd::registry {

// What a heartbeat (or a peer, or a snapshot) says about an instance.
struct InstanceSpec {
    std::string service;  // canonical label
    std::string id;       // canonical label
    IpAddress address;
    std::uint16_t port = 0;
    std::string version;
    std::uint16_t weight = 100;
    std::uint16_t priority = 0;
    std::map<std::string, std::string> meta;  // ordered: TXT records come out stable
    std::int64_t ttl_ms = 30'000;             // the lease
    std::string node;                         // the dnsd node that took the heartbeat

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

    MonoMs expires_at() const { return rcv_ts + spec.ttl_ms; }
    // DESIGN.md: now - rcv_ts > ttl. At exactly ttl the lease is still (just) alive.
    bool expired(MonoMs now) const { return now - rcv_ts > spec.ttl_ms; }
    std::int64_t remaining_ms(MonoMs now) const { return expires_at() - now; }
};

}  // namespace dnsd::registry
