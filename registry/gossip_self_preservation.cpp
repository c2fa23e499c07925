#include "registry/gossip_self_preservation.hpp"

#include <algorithm>
#include <cmath>

#include "registry/names.hpp"

namespace dnsd::registry {

SelfPreservation::SelfPreservation(SelfPreservationOptions options) : options_(options) {}

void SelfPreservation::note_peer_news(MonoMs now) {
    last_news_ = now;
    if (state_.active && news_since_ < 0) news_since_ = now;
}

bool SelfPreservation::renewals_are_back(MonoMs now) const {
    return news_since_ >= 0 && now - news_since_ >= options_.window_ms &&
           now - last_news_ <= options_.window_ms;
}

void SelfPreservation::activate(const Registry& registry, std::size_t due, std::size_t recent,
                                std::size_t population) {
    if (!state_.active) {
        state_.active = true;
        state_.since_wall_ms = registry.clock().wall_ms();
        state_.since_mono = registry.clock().mono_ms();
        news_since_ = -1;
        ++activations_total_;
    }
    const auto percent = static_cast<long>(std::lround(options_.max_evict_share * 100));
    state_.reason = std::to_string(due + recent) + " of " + std::to_string(population) +
                    " instances would expire within " + std::to_string(options_.window_ms / 1000) +
                    " s (more than " + std::to_string(percent) +
                    "%): this node is probably cut off, so it keeps them until renewals come back";
}

std::size_t SelfPreservation::evict(Registry& registry, std::size_t due, MonoMs now) {
    if (state_.active) state_ = SelfPreservationState{};
    const std::size_t evicted = registry.sweep();
    if (due > 0) evictions_.emplace_back(now, due);
    return evicted;
}

std::size_t SelfPreservation::sweep(Registry& registry) {
    const MonoMs now = registry.clock().mono_ms();
    while (!evictions_.empty() && now - evictions_.front().first > options_.window_ms)
        evictions_.pop_front();
    std::size_t recent = 0;
    for (const auto& [at, n] : evictions_) recent += n;

    const std::size_t due = registry.due_expiries(kNodeService);
    if (!options_.enabled || due == 0) return evict(registry, due, now);

    const Service* nodes = registry.find(kNodeService);
    const std::size_t node_count = nodes ? nodes->instances.size() : 0;
    // The population when the window began: who is here now plus who left within it.
    const std::size_t population = registry.instance_count() - node_count + recent;
    // "More than a share": a single eviction never counts as a mass one.
    const double threshold = std::max(1.0, options_.max_evict_share * static_cast<double>(population));
    const bool mass = population >= options_.min_population &&
                      static_cast<double>(due + recent) > threshold;

    if (mass && state_.active && renewals_are_back(now)) {
        // Peers have been talking for a whole window: what is still expired is really gone.
        // The baseline starts again from here.
        evictions_.clear();
        return evict(registry, 0, now);
    }
    if (mass) {
        activate(registry, due, recent, population);
        return registry.sweep_holding(kNodeService, now + options_.serve_grace_ms);
    }
    return evict(registry, due, now);
}

}  // namespace dnsd::registry
