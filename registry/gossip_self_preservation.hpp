#pragma once
// Self-preservation (as Eureka): when a sweep would evict more than a share of the instances
// at once, the likelier story is that this node lost its peers, not that the services died.
// It then keeps the expired instances (DNS keeps answering them, with short TTLs) until
// renewals come back.
//
// "At once" is a window, not one sweep: a cut-off node sees leases end spread over a
// heartbeat period (ttl/3), so evictions in the last window_ms count together. The threshold
// is recomputed from the current population at every sweep, i.e. after every eviction.
// Nodes themselves (service "dnsd") are never held: a dead node must leave dnsd.svc, and a
// cut-off node keeps trying its peers from the peer table anyway.
//
// Renewals are back when (a) enough held instances were renewed that the check passes, or
// (b) news from peers has been flowing for a whole window: every live instance has had time
// to be renewed, so what is still expired is really dead (a node that died, a rack that went
// away). Limit: a minority partition of two or more nodes still hears its own members and
// evicts the others after one window; a single-node registry can only resume by (a).
#include <cstdint>
#include <deque>
#include <string>

#include "registry/clock.hpp"
#include "registry/registry.hpp"

namespace dnsd::registry {

struct SelfPreservationOptions {
    bool enabled = true;
    double max_evict_share = 0.15;
    // Below this many live instances (nodes not counted) expiry is always honoured: in a small
    // registry one or two services going away is a large share, and holding them would break
    // SPEC's promise that an expired instance is never answered for no good reason.
    std::size_t min_population = 20;
    // Should cover a heartbeat period: the default lease is 30 s, renewed every 10 s.
    std::int64_t window_ms = 10'000;
    // A held instance's DNS lease end is pushed this far ahead at each sweep; more than the
    // sweep period (a gossip round), so answers do not flicker between sweeps.
    std::int64_t serve_grace_ms = 5'000;
};

struct SelfPreservationState {
    bool active = false;
    WallMs since_wall_ms = 0;  // for /status
    MonoMs since_mono = 0;
    std::string reason;
};

class SelfPreservation {
public:
    explicit SelfPreservation(SelfPreservationOptions options = {});

    // Sweeps the registry unless that would evict too much at once. Returns instances evicted.
    std::size_t sweep(Registry& registry);
    // A peer told us something new: evidence that this node is not cut off.
    void note_peer_news(MonoMs now);

    const SelfPreservationState& state() const { return state_; }
    std::uint64_t activations_total() const { return activations_total_; }
    const SelfPreservationOptions& options() const { return options_; }

private:
    bool renewals_are_back(MonoMs now) const;
    void activate(const Registry& registry, std::size_t due, std::size_t recent,
                  std::size_t population);
    std::size_t evict(Registry& registry, std::size_t due, MonoMs now);

    SelfPreservationOptions options_;
    SelfPreservationState state_;
    std::uint64_t activations_total_ = 0;
    std::deque<std::pair<MonoMs, std::size_t>> evictions_;  // (when, how many) in the window
    MonoMs news_since_ = -1;  // first peer news since activation; -1: none yet
    MonoMs last_news_ = -1;
};

}  // namespace dnsd::registry
