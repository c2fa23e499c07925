#pragma once
// Builds the zone from the registry and publishes it as an immutable Snapshot for the DNS
// threads. update() runs on the control thread only; current() and generation() from any.
//
// DNS workers should keep their own shared_ptr and reload it only when generation() moved:
// loading a std::atomic<std::shared_ptr> is not lock-free in libstdc++ (it spins on a bit of
// the control-block pointer), while generation() is a plain atomic load.
#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "registry/registry.hpp"
#include "zones/answer_builder.hpp"
#include "zones/dns_name.hpp"
#include "zones/snapshot.hpp"
#include "zones/static_zone.hpp"
#include "zones/zone_options.hpp"

namespace dnsd::zones {

class ZonePublisher {
public:
    // Throws std::invalid_argument for an apex that is not a domain name or leaves no room
    // for the names below it (start-up error).
    explicit ZonePublisher(ZoneOptions options);

    // Rebuilds the services in `changed`, redoing only their changed instances where it names
    // them (or, with full, all services, dropping those the registry forgot), and the apex (its
    // serial follows every index change), then publishes.
    void update(const registry::Registry& registry, const registry::ChangedServices& changed,
                bool full);

    // Control thread: the zone file's records (null: none). Takes effect at once, in a new
    // Snapshot that shares everything else with the current one; later updates keep it.
    void set_static_zone(std::shared_ptr<const StaticZone> zone);

    // Never null: an empty zone is published at construction.
    std::shared_ptr<const Snapshot> current() const { return current_.load(); }
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    const ZoneOptions& options() const { return options_; }

private:
    void publish(std::shared_ptr<const ApexZone> apex, ServiceIndex services);

    ZoneOptions options_;
    DnsName apex_;
    AnswerBuilder builder_;  // its 64 KiB scratch buffer is reused by every rebuild
    // Services listed by the DNS-SD browse PTR; its answer is rebuilt only when this changes.
    std::set<std::string> browsable_;
    SnapshotExtras extras_;
    std::atomic<std::shared_ptr<const Snapshot>> current_;
    std::atomic<std::uint64_t> generation_{0};
};

}  // namespace dnsd::zones
