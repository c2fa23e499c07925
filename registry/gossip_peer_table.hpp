#pragma once
// The peers a node can talk to. Membership proper lives in the registry (every node is an
// instance of service "dnsd" and expires like any other); this table adds what the registry
// cannot hold: the --join seeds (retried forever), addresses heard of in digests but not yet
// members, and per peer the state of the last exchange (for delta pulls).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry/clock.hpp"
#include "registry/gossip_message.hpp"
#include "registry/registry.hpp"

namespace dnsd::registry {

// "10.0.0.5:8054" / "[fe80::1]:8054": how a node's "dnsd" instance is reached, as /status lists it.
std::string peer_address(const InstanceSpec& node);

struct PeerState {
    bool seed = false;
    MonoMs last_mentioned = 0;  // last time a digest (or a message from it) named it
    MonoMs last_heard = 0;      // last message from it; 0: never
    std::string name;           // once heard from
    // The last exchange: a delta pull asks for what changed after `seq` of `incarnation`.
    std::uint64_t incarnation = 0;
    std::uint64_t seq = 0;
};

// A candidate for a pull or a push, with how urgently it needs probing.
struct PeerCandidate {
    std::string address;
    bool urgent = false;  // its "dnsd" lease here is below a third of its ttl (or over)
};

class PeerTable {
public:
    // mention_ttl_ms: how long an address heard of only in digests stays a candidate.
    PeerTable(std::string self_address, std::int64_t mention_ttl_ms);

    void add_seed(const std::string& address);
    void mentioned(const std::string& address, MonoMs now);
    void heard_from(const NodeInfo& sender, MonoMs now);
    // Remembers how far we got with this peer; a new incarnation restarts from its answer.
    void exchanged(const std::string& address, std::uint64_t incarnation, std::uint64_t seq);
    const PeerState* find(const std::string& address) const;

    // Members of the registry (live or not: a cut-off node keeps trying them), seeds, and
    // recently mentioned addresses. Never this node.
    std::vector<PeerCandidate> candidates(const Registry& registry, MonoMs now) const;
    // What /status shows: live members and recently mentioned addresses.
    std::vector<std::string> live(const Registry& registry, MonoMs now) const;
    // Drops non-seed entries neither members nor mentioned nor heard from for mention_ttl_ms.
    void forget_stale(const Registry& registry, MonoMs now);

    std::size_t size() const { return peers_.size(); }

private:
    bool recent(const PeerState& p, MonoMs now) const;

    std::string self_;
    std::int64_t mention_ttl_ms_;
    std::map<std::string, PeerState> peers_;
};

}  // namespace dnsd::registry
