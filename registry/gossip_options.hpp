#pragma once
// The knobs of one gossip node. Defaults follow DESIGN.md and issue 4.
#include <cstdint>
#include <string>
#include <vector>

#include "registry/gossip_self_preservation.hpp"
#include "registry/instance.hpp"

namespace dnsd::registry {

struct GossipOptions {
    // This node's own "dnsd" instance (id = node name, address and port = where peers reach
    // it), renewed every round: membership is registry data and expires like any instance.
    InstanceSpec self;
    std::vector<std::string> seeds;  // --join addresses, "host:port"
    std::int64_t interval_ms = 1'000;
    // Pull partners: kept from round to round, so every pull to them is an exact delta (only
    // what changed since the last one). Each node's partners form a random 2-out graph, which
    // is strongly connected with high probability: every change reaches every node this way,
    // completely, in about log N rounds. Replaced when they stop answering.
    std::size_t partners = 2;
    std::int64_t partner_timeout_rounds = 5;
    std::size_t pull_fanout = 1;      // random (or about-to-expire) peers pulled per round besides
    
    std::size_t push_fanout = 3;      // peers a change is pushed to
    std::uint32_t push_hops = 0;      // 0: log2(known peers) + 2, enough to reach everyone
    // Every this many rounds one pull asks for the full state: the backstop that repairs what
    // window catch-ups and lost pushes missed. 0: never.
    std::uint32_t full_sync_every = 30;
    // A first-contact pull asks for the changes since our last reply plus this many rounds.
    std::int64_t window_extra_rounds = 2;
    // At most this many expiring instances named in a pull for refresh (incremental probing).
    std::size_t max_refresh = 128;
    // How long an address only heard of in digests stays worth trying.
    std::int64_t mention_ttl_ms = 30'000;
    std::uint64_t rng_seed = 0;       // 0: from std::random_device
    SelfPreservationOptions self_preservation;
};

}  // namespace dnsd::registry
