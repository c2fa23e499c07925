#pragma once
// The control side of one dnsd node: the registry and everything that follows a change to it
// (zone publication, the debounced cache.json write, waking blocking queries, gossip pushes),
// and the gossip with peer nodes (rounds on a timer, --join resolution). All of it runs on one
// thread, the control io_context's, so handlers use the registry without locks. A node without
// --join is a cluster of one: the same code, with nobody to talk to.
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <stdexcept>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dnsd/config.hpp"
#include "dnsd/http_status.hpp"
#include "dnsd/metrics.hpp"
#include "dnsd/publish_delay_histogram.hpp"
#include "dnsd/publish_gate.hpp"
#include "registry/clock.hpp"
#include "registry/gossip_message.hpp"
#include "registry/gossip_options.hpp"
#include "registry/registry.hpp"
#include "zones/publisher.hpp"
#include "zones/static_zone.hpp"

namespace dnsd {

class SnapshotScheduler;
class HealthChecker;
class GossipAuth;
class GossipHttpTransport;
class JoinResolver;
class NginxUpstreams;  // --nginx-upstream-dir (nginx_upstreams.hpp)

namespace registry {
class GossipNode;
}

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

    // Loads --zone-file (throws ZoneFileRefused when it is bad) and cache.json, starts gossip
    // (registers this node as service "dnsd" and asks the seeds for everything), publishes the
    // first zone, starts the expiry timer, the gossip rounds and the --join look-ups. Call
    // once, on the control thread.
    void start();
    // SIGTERM, first half: stops the rounds and tells peers this node is leaving (its "dnsd"
    // entry becomes a tombstone, pushed at once). True when there are peers that the messages
    // still have to reach: the caller then keeps the control loop running a moment.
    bool leave();
    // Gossip exchanges not finished yet (the leave's pushes, while main waits for them).
    std::size_t gossip_in_flight() const;
    // Writes the final snapshot synchronously and stops the timers (SIGTERM path).
    void stop();

    registry::Registry& registry() { return registry_; }
    zones::ZonePublisher& zones() { return zones_; }
    Metrics& metrics() { return metrics_; }
    const Config& config() const { return config_; }
    const registry::Clock& clock() const { return clock_; }
    boost::asio::io_context& control() { return control_; }
    registry::GossipNode& gossip() { return *gossip_; }
    GossipAuth& gossip_auth() { return *gossip_auth_; }
    HealthChecker& health() { return *health_; }
    // GET /status: the original notes' fields plus incarnation and self-preservation.
    StatusFields status_fields();

    // Call after any registry mutation: schedules the snapshot, the expiry sweep and the gossip
    // push, and makes a zone publication due when the index moved. The publication itself
    // (zone, health checks, nginx files, blocking queries woken) runs once per control-loop
    // turn, for every change of that turn: see publish_gate.hpp. Cheap when nothing changed.
    void commit();

    // Completes once the zone published for the DNS threads holds registry index `index`
    // (at once when it does already): an HTTP reply about a change waits for this, so that
    // "200" means "answered in DNS". No timer per waiter: all wait on one signal, woken by
    // each publication. Throws operation_aborted when the waiting coroutine is cancelled.
    boost::asio::awaitable<void> wait_published(std::uint64_t index);
    // The registry index the DNS threads' zone holds.
    std::uint64_t published_index() const { return publish_gate_.published_index(); }

    // A blocking query: completes when the registry index moves past `after` or at `max_wait`.
    // The caller re-checks its own condition (a service's index) and may wait again.
    boost::asio::awaitable<void> wait_for_change(std::uint64_t after,
                                                 std::chrono::milliseconds max_wait);

    // POST /v1/sync: a gossip round now (renewal of this node, sweep, pulls, pushes), and every
    // health check this node runs is probed now (health().wait_for_probes() waits for them).
    void sync_now();
    // A message from a peer (a pull's reply from the transport, or a request from
    // POST /v1/gossip through the caller): merged, then committed. Returns the reply to send.
    std::optional<registry::GossipMessage> receive_gossip(const registry::GossipMessage& message);

    // SIGHUP, on the control thread: reads --zone-file again. A good file replaces the static
    // records at once; a bad one is logged with its line and reason and the records loaded
    // before stay. The registry is not touched either way. True when new records are served.
    bool reload_zone_file();

private:
    registry::GossipOptions gossip_options() const;
    void schedule_round();
    void schedule_sweep();
    GossipMetrics gossip_metrics() const;
    // The publication made due by commit(), run from the control loop (or at stop()).
    void publish();

    boost::asio::io_context& control_;
    Config config_;
    const registry::Clock& clock_;
    registry::Registry registry_;
    zones::ZonePublisher zones_;
    PublishDelayHistogram publish_delay_;  // rendered by metrics_: declared before it
    Metrics metrics_;
    std::unique_ptr<SnapshotScheduler> snapshots_;
    std::unique_ptr<GossipAuth> gossip_auth_;
    std::unique_ptr<GossipHttpTransport> transport_;
    std::unique_ptr<registry::GossipNode> gossip_;  // from start(): needs the bound HTTP port
    std::unique_ptr<JoinResolver> joins_;
    std::unique_ptr<HealthChecker> health_;
    boost::asio::steady_timer sweep_timer_;
    boost::asio::steady_timer round_timer_;
    bool leaving_ = false;
    std::uint64_t gossip_received_ = 0;  // messages from peers: requests and replies
    std::list<boost::asio::steady_timer*> waiters_;
    std::uint64_t committed_index_ = 0;   // the index commit() last saw
    std::uint64_t published_leases_ = 0;  // the lease version commit() last saw
    PublishGate publish_gate_;
    // Never expires: cancelled by each publication, which wakes every wait_published().
    boost::asio::steady_timer published_signal_;
    bool stopped_ = false;
    std::shared_ptr<const zones::StaticZone> static_zone_;  // what --zone-file gave last, or null
    std::unique_ptr<NginxUpstreams> nginx_;  // null without --nginx-upstream-dir
};

}  // namespace dnsd
