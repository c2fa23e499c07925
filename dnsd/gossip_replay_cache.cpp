#include "dnsd/gossip_replay_cache.hpp"

namespace dnsd {

GossipReplayCache::GossipReplayCache(std::int64_t window_ms, std::size_t capacity)
    : window_ms_(window_ms), capacity_(capacity == 0 ? 1 : capacity) {}

void GossipReplayCache::forget_older_than(registry::MonoMs cutoff) {
    while (!by_age_.empty() && by_age_.front().first < cutoff) {
        seen_.erase(by_age_.front().second);
        by_age_.pop_front();
    }
}

bool GossipReplayCache::first_sight(std::uint64_t nonce, registry::MonoMs now) {
    forget_older_than(now - window_ms_);
    if (seen_.contains(nonce)) return false;
    if (seen_.size() >= capacity_) {
        seen_.erase(by_age_.front().second);
        by_age_.pop_front();
        ++forgotten_early_;
    }
    seen_.insert(nonce);
    by_age_.emplace_back(now, nonce);
    return true;
}

}  // namespace dnsd
