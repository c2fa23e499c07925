#pragma once
// The control side of one dnsd node: the registry and everything that follows a change to it
// (zone publication, the debounced cache.json write, waking blocking queries). All of it runs
// on one thread, the control io_context's, so handlers use the registry without locks.
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <stdexcept>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dnsd/config.hpp"
#include "dnsd/metrics.hpp"
#include "registry/clock.hpp"
#include "registry/registry.hpp"
#include "zones/publisher.hpp"
#include "zones/static_zone.hpp"

namespace dnsd {

class SnapshotScheduler;

// --zone-file refused at start: "zone file FILE line N: reason". Bad input, like a bad
// option, so main() exits 2 rather than 1.
class ZoneFileRefused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Node {
public:
    Node(boost::asio::io_context& control, Config config, const registry::Clock& clock);
    ~Node();

    // The HTTP port actually bound, when --http asked for port 0: peers must be told the real one.
    void use_bound_http_port(std::uint16_t port) { if (config_.http.port == 0) config_.http.port = port; }

    // Loads --zone-file (throws ZoneFileRefused when it is bad) and cache.json, registers this
    // node as service "dnsd", publishes the first zone, starts the expiry timer and
    // self-renewal. Call once, on the control thread.
    void start();
    // Writes the final snapshot synchronously and stops the timers (SIGTERM path).
    void stop();

    registry::Registry& registry() { return registry_; }
    zones::ZonePublisher& zones() { return zones_; }
    Metrics& metrics() { return metrics_; }
    const Config& config() const { return config_; }
    const registry::Clock& clock() const { return clock_; }
    boost::asio::io_context& control() { return control_; }

    // Call after any registry mutation: publishes the zone for what changed, schedules the
    // snapshot, wakes blocking queries, reschedules the expiry sweep. Cheap when nothing changed.
    void commit();

    // A blocking query: completes when the registry index moves past `after` or at `max_wait`.
    // The caller re-checks its own condition (a service's index) and may wait again.
    boost::asio::awaitable<void> wait_for_change(std::uint64_t after,
                                                 std::chrono::milliseconds max_wait);

    // POST /v1/sync: a sweep and renewal now (gossip rounds and probes join in later issues).
    void sync_now();

    // SIGHUP, on the control thread: reads --zone-file again. A good file replaces the static
    // records at once; a bad one is logged with its line and reason and the records loaded
    // before stay. The registry is not touched either way. True when new records are served.
    bool reload_zone_file();

private:
    void renew_self();
    void schedule_sweep();

    boost::asio::io_context& control_;
    Config config_;
    const registry::Clock& clock_;
    registry::Registry registry_;
    zones::ZonePublisher zones_;
    Metrics metrics_;
    std::unique_ptr<SnapshotScheduler> snapshots_;
    boost::asio::steady_timer sweep_timer_;
    boost::asio::steady_timer self_timer_;
    std::list<boost::asio::steady_timer*> waiters_;
    std::uint64_t published_index_ = 0;
    std::uint64_t published_leases_ = 0;
    std::shared_ptr<const zones::StaticZone> static_zone_;  // what --zone-file gave last, or null
};

}  // namespace dnsd
