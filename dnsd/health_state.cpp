#include "dnsd/health_state.hpp"

namespace dnsd {

ProbeEffect after_probe(const registry::InstanceSpec& current, const ProbeOutcome& outcome,
                        registry::WallMs now) {
    ProbeEffect effect{false, current};
    if (outcome.passing) {
        effect.spec.health = registry::HealthState{};
        return effect;
    }
    registry::HealthState& health = effect.spec.health.edit();
    // The first failure starts the clock; later ones keep it (and refresh the reason).
    if (!health.critical() || health.critical_since_ms == 0) health.critical_since_ms = now;
    health.status = registry::Health::critical;
    health.output = outcome.output;
    const std::int64_t limit = current.check->deregister_after_ms;
    effect.deregister = limit > 0 && now - health.critical_since_ms >= limit;
    return effect;
}

void carry_health(registry::InstanceSpec& incoming, const registry::Instance* existing,
                  registry::WallMs now) {
    if (!incoming.check->present()) {
        incoming.health = registry::HealthState{};
        return;
    }
    if (existing != nullptr && existing->spec.check->present()) {
        incoming.health = existing->spec.health;
        return;
    }
    incoming.health = registry::HealthState{registry::Health::critical, std::string(kAwaitingFirstProbe), now};
}

}  // namespace dnsd
