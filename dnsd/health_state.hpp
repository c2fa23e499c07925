#pragma once
// The health state machine of one checked instance, free of sockets and timers: what a probe's
// outcome does to the instance, and what a heartbeat's renewal keeps. The scheduler and the
// probes (health_checker.hpp) drive it; tests drive it with made-up outcomes.
#include <string>
#include <string_view>

#include "registry/clock.hpp"
#include "registry/instance.hpp"

namespace dnsd {

// What one probe found: passing, or critical with the reason a person reads in /v1/services.
struct ProbeOutcome {
    bool passing = false;
    std::string output;  // empty when passing

    static ProbeOutcome pass() { return {true, {}}; }
    static ProbeOutcome fail(std::string why) { return {false, std::move(why)}; }
};

inline constexpr std::string_view kAwaitingFirstProbe = "awaiting the first probe";

// A probe's effect on the instance: renewed with this spec (its health updated; the renewal is a
// real change only when the health changed), or deregistered because it stayed critical for
// its check's deregister_after.
struct ProbeEffect {
    bool deregister = false;
    registry::InstanceSpec spec;
};

ProbeEffect after_probe(const registry::InstanceSpec& current, const ProbeOutcome& outcome,
                        registry::WallMs now);

// A heartbeat's spec before Registry::renew. Without a check the instance is passing. With one,
// it keeps the health its probes gave it: a renewal must not make a critical instance passing.
// A check new to the instance starts critical, as Consul's do, until its first probe (which
// runs at once) passes: nothing unproven is handed out.
void carry_health(registry::InstanceSpec& incoming, const registry::Instance* existing,
                  registry::WallMs now);

}  // namespace dnsd
