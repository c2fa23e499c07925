#pragma once
// What dnsd nodes say to each other. Three messages: a pull (digest + "what changed since"),
// its reply, and a push of news. The HTTP layer carries them as JSON (gossip_message_json.hpp);
// the state machine (gossip_node.hpp) never sees a socket.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "registry/registry.hpp"

namespace dnsd::registry {

// Who sent a message and the digest of its registry. incarnation changes at every start, so a
// change sequence number is only meaningful together with it.
struct NodeInfo {
    std::string name;     // node name (its id under service "dnsd")
    std::string address;  // advertised HTTP "host:port": where peers reach it
    std::uint64_t incarnation = 0;
    std::uint64_t seq = 0;    // Registry::change_seq()
    std::uint64_t index = 0;  // Registry::index(), as in /status
    bool operator==(const NodeInfo&) const = default;
};

// "Here is who I am and a random third of my peers; send me what changed since <known_seq>
// of your <known_incarnation>". known_incarnation 0: never exchanged with you.
struct PullRequest {
    NodeInfo sender;
    std::vector<std::string> peers;
    std::uint64_t known_incarnation = 0;
    std::uint64_t known_seq = 0;
    std::int64_t window_ms = 0;  // first contact: what changed on you in the last window_ms
    bool want_full = false;      // a restarted node catching up, or the periodic backstop
    // Incremental probing: instances whose lease here is below a third of their ttl; the peer
    // adds its copies of them to the reply, so a missed renewal is fetched before expiry.
    std::vector<InstanceKey> refresh;
    bool operator==(const PullRequest&) const = default;
};

enum class PullMode {
    delta,   // exactly the changes after known_seq: complete
    window,  // the changes of the last window_ms: a first contact's cheap catch-up
    full,    // everything: the peer restarted, asked for it, or the history is gone
};

struct PullReply {
    NodeInfo sender;
    std::vector<std::string> peers;
    PullMode mode = PullMode::delta;
    ChangeSet changes;
    bool operator==(const PullReply&) const = default;
};

// Infection-style news: passed on by whoever finds it new, while hops_left > 1.
struct Push {
    NodeInfo sender;
    std::uint32_t hops_left = 0;
    ChangeSet changes;
    bool operator==(const Push&) const = default;
};

using GossipMessage = std::variant<PullRequest, PullReply, Push>;

// The node that sent a message, whichever kind it is.
const NodeInfo& sender_of(const GossipMessage& message);

}  // namespace dnsd::registry
