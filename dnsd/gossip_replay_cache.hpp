#pragma once
// The nonces of authenticated gossip seen lately. A captured request (or reply) replayed within
// the window is refused; the sender's timestamp is never compared with our clock, since dnsd
// nodes do not synchronise clocks. Memory is bounded: at capacity the oldest nonce is forgotten
// early (counted), which only an attacker holding the key could force.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_set>
#include <utility>

#include "registry/clock.hpp"

namespace dnsd {

class GossipReplayCache {
public:
    static constexpr std::int64_t kDefaultWindowMs = 10 * 60 * 1000;
    static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 18;

    explicit GossipReplayCache(std::int64_t window_ms = kDefaultWindowMs,
                               std::size_t capacity = kDefaultCapacity);

    // True the first time a nonce is seen within the window (and remembers it); false for a
    // replay. `now` is this node's monotonic clock.
    bool first_sight(std::uint64_t nonce, registry::MonoMs now);

    std::size_t size() const { return seen_.size(); }
    std::uint64_t forgotten_early() const { return forgotten_early_; }

private:
    void forget_older_than(registry::MonoMs cutoff);

    std::int64_t window_ms_;
    std::size_t capacity_;
    std::deque<std::pair<registry::MonoMs, std::uint64_t>> by_age_;  // oldest first
    std::unordered_set<std::uint64_t> seen_;
    std::uint64_t forgotten_early_ = 0;
};

}  // namespace dnsd
