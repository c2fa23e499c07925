#pragma once
// The registry: the one writer of instance state. Not thread-safe by design: it lives on the
// control strand; readers on other threads see only published snapshots built from it.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "registry/clock.hpp"
#include "registry/instance.hpp"

namespace dnsd::registry {

struct RegistryOptions {
    // How long a deregistration is remembered, so that older copies cannot bring it back.
    std::int64_t tombstone_ms = 3'600'000;
    // How long a service with no live instance stays known (answered NODATA, not NXDOMAIN).
    std::int64_t known_service_ms = 3'600'000;
};

// A deregistered instance: its src_ts outranks every older copy still in flight.
struct Tombstone {
    std::int64_t src_ts_ms = 0;
    MonoMs rcv_ts = 0;
    std::uint64_t modify_index = 0;
};

struct Service {
    std::uint64_t modify_index = 0;  // registry index of the last change to this service
    MonoMs last_live = 0;            // when it last had a live instance (known-service memory)
    std::map<std::string, Instance> instances;  // by id
};

using ServiceMap = std::map<std::string, Service, std::less<>>;
using InstanceKey = std::pair<std::string, std::string>;  // (service, id)
using TombstoneMap = std::map<InstanceKey, Tombstone>;

enum class RenewResult {
    created,  // a new instance (or one back from a tombstone)
    updated,  // known instance, some field changed
    renewed,  // known instance, same fields: only the lease moved
    stale,    // src_ts not newer than what we hold (or the tombstone): nothing changed
};

struct RenewOutcome {
    RenewResult result;
    std::uint64_t index;        // the registry index after the call
    std::int64_t src_ts_ms;     // the src_ts the instance now carries
};

class Registry {
public:
    explicit Registry(const Clock& clock, RegistryOptions options = {});

    // Registers or renews. Without src_ts the node assigns one strictly newer than any it
    // knows for this key (instance or tombstone), on its wall clock.
    RenewOutcome renew(InstanceSpec spec, std::optional<std::int64_t> src_ts_ms = std::nullopt);

    // Removes a live instance now and leaves a tombstone. False when no live instance exists.
    bool deregister(std::string_view service, std::string_view id);

    // Removes expired instances, tombstones past their time and services unknown for too long.
    // Returns the number of instances that expired.
    std::size_t sweep();

    // The earliest moment at which sweep() has something to do, if any.
    std::optional<MonoMs> next_deadline() const;

    // Restoring from a snapshot: ages are how much of the lease / memory was already used.
    void restore_instance(InstanceSpec spec, std::int64_t src_ts_ms, std::int64_t remaining_ms);
    void restore_tombstone(const InstanceKey& key, std::int64_t src_ts_ms, std::int64_t age_ms);
    void restore_known_service(const std::string& service, std::int64_t idle_ms);
    // The saved registry index; call it before or after the entries, the result is the same:
    // the index and every service's index end above it.
    void restore_index(std::uint64_t index);

    std::uint64_t index() const { return index_; }
    const ServiceMap& services() const { return services_; }
    const Service* find(std::string_view service) const;
    const Instance* find(std::string_view service, std::string_view id) const;
    const TombstoneMap& tombstones() const { return tombstones_; }
    std::size_t instance_count() const { return instance_count_; }
    // Rises with every accepted heartbeat, renewals included: leases changed, so the snapshot
    // on disk is stale even when the index is not.
    std::uint64_t lease_version() const { return lease_version_; }
    const Clock& clock() const { return clock_; }

    // Services whose records changed since the last call: what the zone must rebuild.
    std::set<std::string> take_changed();

    // Totals since start, for /metrics.
    std::uint64_t expired_total() const { return expired_total_; }
    std::uint64_t deregistered_total() const { return deregistered_total_; }

private:
    std::uint64_t bump(Service& service, const std::string& name);
    void schedule(const Instance& instance);
    void erase_instance(Service& service, const std::string& name, const std::string& id);

    const Clock& clock_;
    RegistryOptions options_;
    std::uint64_t index_ = 0;
    std::size_t instance_count_ = 0;
    ServiceMap services_;
    TombstoneMap tombstones_;
    std::set<std::string> changed_;
    std::uint64_t lease_version_ = 0;
    std::uint64_t expired_total_ = 0;
    std::uint64_t deregistered_total_ = 0;

    // Lazy min-heap of lease ends: renewals push a new entry; an entry whose deadline no
    // longer matches its instance is skipped when it surfaces.
    struct Deadline {
        MonoMs at;
        InstanceKey key;
        bool operator>(const Deadline& o) const { return at > o.at; }
    };
    std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
};

}  // namespace dnsd::registry
