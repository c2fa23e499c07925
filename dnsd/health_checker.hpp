#pragma once
// Runs the third-party health checks of the instances this node took the registration of, on
// the control io_context: a timer wakes at the next due check, each probe is its own coroutine
// (so they run concurrently, each bounded by its timeout), and each outcome goes through the
// health state machine into the registry, then Node::commit(). Consul's semantics: a probe
// renews the instance's lease as a heartbeat would, so an instance that cannot send heartbeats
// registers once; a critical one stays registered (out of DNS) until it passes again, or is
// deregistered after its check's deregister_after.
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dnsd/health_schedule.hpp"
#include "dnsd/health_state.hpp"
#include "registry/registry.hpp"

namespace dnsd {

struct HealthCounters {
    std::uint64_t probes = 0;         // probes that ended
    std::uint64_t probes_failed = 0;  // of which critical
};

class HealthChecker {
public:
    using Probe = std::function<boost::asio::awaitable<ProbeOutcome>(registry::HealthCheck)>;

    // `commit` is Node::commit: called after a probe changed the registry. `probe` is the real
    // probe (health_probe.hpp) unless a test gives another.
    HealthChecker(boost::asio::io_context& io, registry::Registry& registry, std::string node_label,
                  std::function<void()> commit, Probe probe);
    ~HealthChecker();
    HealthChecker(const HealthChecker&) = delete;
    HealthChecker& operator=(const HealthChecker&) = delete;

    // Schedules every check this node runs (first probes spread over one interval).
    void start();
    // Stops the timer and cancels the probes in flight; their outcomes are dropped.
    void stop();
    // After a registry change (Node::commit): new checks are probed at once.
    void changed(const registry::ChangedServices& changed);
    // Starts the probes that are due now (the timer calls it; tests call it after moving time).
    void run_due();
    // POST /v1/sync: every check not probing already starts now.
    void probe_all();
    // Completes when every probe in flight at the call has ended, or after `max_wait`.
    boost::asio::awaitable<void> wait_for_probes(std::chrono::milliseconds max_wait);

    const HealthSchedule& schedule() const { return schedule_; }
    const HealthCounters& counters() const { return counters_; }

private:
    struct Waiter;
    struct InFlight {
        std::shared_ptr<boost::asio::cancellation_signal> cancel;
        std::vector<std::shared_ptr<Waiter>> waiters;
    };

    void launch(std::vector<DueProbe> probes);
    void finish(std::uint64_t id, const DueProbe& probe, const ProbeOutcome& outcome);
    void apply(const DueProbe& probe, const ProbeOutcome& outcome);
    void arm_timer();

    boost::asio::io_context& io_;
    registry::Registry& registry_;
    std::string node_;
    std::function<void()> commit_;
    Probe probe_;
    HealthSchedule schedule_;
    HealthCounters counters_;
    boost::asio::steady_timer timer_;
    std::map<std::uint64_t, InFlight> in_flight_;
    std::uint64_t next_id_ = 0;
    bool stopped_ = true;
    // Completion handlers outlive nothing: they hold this token weakly and check it first.
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace dnsd
