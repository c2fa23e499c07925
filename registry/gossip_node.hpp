#pragma once
// One node's gossip, as a pure state machine. Inputs: timer ticks (tick), messages from
// peers (receive), local registry changes (flush). Outputs: messages handed to a
// GossipTransport. Time comes from the registry's injected clock, randomness from a seeded
// generator, so a test runs a thousand nodes in one thread, deterministically.
//
// A round (tick): renew this node's own "dnsd" instance, sweep (through self-preservation),
// pull from pull_fanout peers (those about to expire first: incremental probing), push what
// changed locally. A pull carries what we last saw of that peer (incarnation, change seq), so
// the reply is exactly the delta since then; a peer never exchanged with answers with what
// changed in the window since our last successful pull; a restarted node (new incarnation,
// or an empty registry) asks for everything.
//
// A push carries what changes answers (new instance, changed fields, deregistration) and is
// passed on by whoever finds it new, while hops last; renewals are pushed one hop only and
// then travel by pulls (see flush()).
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "registry/gossip_message.hpp"
#include "registry/gossip_options.hpp"
#include "registry/gossip_peer_table.hpp"
#include "registry/gossip_self_preservation.hpp"
#include "registry/gossip_transport.hpp"
#include "registry/gossip_stats.hpp"
#include "registry/registry.hpp"

namespace dnsd::registry {

class GossipNode {
public:
    GossipNode(Registry& registry, GossipTransport& transport, GossipOptions options);

    // Registers this node and asks its seeds for everything.
    void start();
    // One round; call every options().interval_ms (and on POST /v1/sync).
    void tick();
    // A message from a peer. Returns the reply to send back on the same exchange (a pull's).
    std::optional<GossipMessage> receive(const GossipMessage& message);
    // Pushes local changes (heartbeats, deregistrations) now; call after mutating the registry.
    void flush();
    // SIGTERM: deregisters this node and pushes the tombstone, so peers drop it at once.
    void leave();
    // A --join address known only after start: a host name resolved later in the event loop.
    void add_seed(const std::string& address) { peers_.add_seed(address); }
    // An expiry sweep between rounds (at a lease's end), through self-preservation as tick's.
    std::size_t sweep() { return preservation_.sweep(registry_); }

    // /status: a random third (rounded up) of the live peers, different at each call.
    std::vector<std::string> status_peers();
    NodeInfo self_info() const;
    std::uint64_t incarnation() const { return incarnation_; }
    const PeerTable& peers() const { return peers_; }
    const SelfPreservation& self_preservation() const { return preservation_; }
    const GossipStats& stats() const { return stats_; }
    const GossipOptions& options() const { return options_; }
    const std::string& address() const { return address_; }

private:
    PullReply answer(const PullRequest& request);
    void merge_reply(const PullReply& reply);
    void merge_push(const Push& push);
    ChangeSet merge_all(const ChangeSet& changes, std::int64_t extra_age_ms);
    void pull_round();
    void refresh_partners(const std::vector<PeerCandidate>& candidates, MonoMs now);
    void push(const ChangeSet& changes, std::uint32_t hops, const std::string& except);
    std::vector<std::string> pick(std::vector<PeerCandidate> candidates, std::size_t n,
                                  const std::string& except);
    std::uint32_t hops() const;
    void renew_self();
    void learn(const NodeInfo& sender, const std::vector<std::string>& peers);

    Registry& registry_;
    GossipTransport& transport_;
    GossipOptions options_;
    std::string address_;
    std::mt19937_64 rng_;
    std::uint64_t incarnation_;
    PeerTable peers_;
    SelfPreservation preservation_;
    GossipStats stats_;
    std::uint64_t pushed_seq_ = 0;      // local changes up to here were pushed
    std::uint64_t pushed_index_ = 0;    // the registry index at that moment
    bool synced_ = false;               // got a full or delta reply since start
    MonoMs last_reply_ = 0;             // for the window of a first contact
    std::vector<std::string> partners_;
    std::map<std::string, MonoMs> partner_since_;  // when chosen: a silent new partner is dropped too
    std::map<std::string, MonoMs> pull_sent_;  // outstanding pulls: their round trip ages copies
};

}  // namespace dnsd::registry
