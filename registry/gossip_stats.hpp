#pragma once
// What a gossip node counts about its own work, for /metrics and the benchmarks.
#include <cstdint>

namespace dnsd::registry {

struct GossipStats {
    std::uint64_t rounds = 0;
    std::uint64_t pulls_sent = 0;
    std::uint64_t replies_merged = 0;
    std::uint64_t full_replies = 0;
    std::uint64_t pushes_sent = 0;
    std::uint64_t entries_received = 0;
    std::uint64_t entries_news = 0;
};

}  // namespace dnsd::registry
