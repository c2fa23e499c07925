#include "dnsd/health_checker.hpp"

#include <algorithm>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace dnsd {

namespace asio = boost::asio;

// A POST /v1/sync waiting for a set of probes: woken when the last of them ends.
struct HealthChecker::Waiter {
    explicit Waiter(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    std::size_t left = 0;
};

HealthChecker::HealthChecker(asio::io_context& io, registry::Registry& registry, std::string node_label,
                             std::function<void()> commit, Probe probe)
    : io_(io), registry_(registry), node_(std::move(node_label)), commit_(std::move(commit)),
      probe_(std::move(probe)), schedule_(node_), timer_(io) {}

HealthChecker::~HealthChecker() { stop(); }

void HealthChecker::start() {
    stopped_ = false;
    schedule_.reconcile_all(registry_, registry_.clock().mono_ms());
    if (schedule_.size() > 0) spdlog::info("running {} health check(s)", schedule_.size());
    arm_timer();
}

void HealthChecker::stop() {
    stopped_ = true;
    timer_.cancel();
    for (auto& [id, flight] : in_flight_) flight.cancel->emit(asio::cancellation_type::terminal);
}

void HealthChecker::changed(const registry::ChangedServices& changed) {
    schedule_.reconcile(registry_, changed, registry_.clock().mono_ms());
    // Not run_due() here: we may be inside a probe's own commit. The timer runs it next.
    arm_timer();
}

void HealthChecker::run_due() {
    if (stopped_) return;
    launch(schedule_.take_due(registry_.clock().mono_ms()));
    arm_timer();
}

void HealthChecker::probe_all() {
    if (stopped_) return;
    launch(schedule_.take_all(registry_.clock().mono_ms()));
    arm_timer();
}

asio::awaitable<void> HealthChecker::wait_for_probes(std::chrono::milliseconds max_wait) {
    if (in_flight_.empty()) co_return;
    auto waiter = std::make_shared<Waiter>(io_);
    for (auto& [id, flight] : in_flight_) {
        flight.waiters.push_back(waiter);
        ++waiter->left;
    }
    waiter->timer.expires_after(max_wait);
    boost::system::error_code ec;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void HealthChecker::launch(std::vector<DueProbe> probes) {
    for (DueProbe& probe : probes) {
        const std::uint64_t id = next_id_++;
        auto cancel = std::make_shared<asio::cancellation_signal>();
        in_flight_.emplace(id, InFlight{cancel, {}});
        std::weak_ptr<char> alive = alive_;
        registry::HealthCheck check = probe.check;
        asio::co_spawn(
            io_, probe_(std::move(check)),
            asio::bind_cancellation_slot(
                cancel->slot(),
                [this, alive, id, cancel, probe = std::move(probe)](std::exception_ptr error, ProbeOutcome outcome) {
                    if (alive.expired()) return;
                    if (error) outcome = ProbeOutcome::fail("the probe failed unexpectedly");
                    finish(id, probe, outcome);
                }));
    }
}

void HealthChecker::finish(std::uint64_t id, const DueProbe& probe, const ProbeOutcome& outcome) {
    if (auto it = in_flight_.find(id); it != in_flight_.end()) {
        for (auto& waiter : it->second.waiters)
            if (--waiter->left == 0) waiter->timer.cancel();
        in_flight_.erase(it);
    }
    schedule_.finished(probe.key, registry_.clock().mono_ms());
    if (stopped_) return;
    ++counters_.probes;
    if (!outcome.passing) ++counters_.probes_failed;
    apply(probe, outcome);
    arm_timer();
}

void HealthChecker::apply(const DueProbe& probe, const ProbeOutcome& outcome) {
    const auto& [service, id] = probe.key;
    const registry::Instance* instance = registry_.find(service, id);
    // Deregistered, taken over by another node or given another check while probing: the
    // outcome is about something that is no longer there.
    if (instance == nullptr || instance->spec.node != node_ || instance->spec.check != probe.check) return;
    const bool was_critical = instance->spec.health->critical();
    const std::int64_t src_ts = instance->src_ts_ms;
    ProbeEffect effect = after_probe(instance->spec, outcome, registry_.clock().wall_ms());
    if (effect.deregister) {
        spdlog::info("health check: {}/{} deregistered, critical for {} ms ({})", service, id,
                     probe.check.deregister_after_ms, effect.spec.health->output);
        registry_.deregister(service, id);
    } else {
        if (effect.spec.health->critical() && !was_critical)
            spdlog::info("health check: {}/{} is critical: {}", service, id, effect.spec.health->output);
        if (!effect.spec.health->critical() && was_critical)
            spdlog::info("health check: {}/{} is passing", service, id);
        // One millisecond past the instance's own stamp: newer than this copy, yet the
        // instance's next heartbeat (stamped on its clock) still wins.
        registry_.renew(std::move(effect.spec), src_ts + 1);
    }
    commit_();
}

void HealthChecker::arm_timer() {
    if (stopped_) return;
    const auto next = schedule_.next_due();
    if (!next) {
        timer_.cancel();
        return;
    }
    const auto delay = std::max<std::int64_t>(0, *next - registry_.clock().mono_ms());
    timer_.expires_after(std::chrono::milliseconds(delay));
    std::weak_ptr<char> alive = alive_;
    timer_.async_wait([this, alive](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        run_due();
    });
}

}  // namespace dnsd
