#pragma once
// The only way the gossip state machine talks to the world. The network layer implements it
// with HTTP; tests implement it in memory with loss, delays and partitions.
#include <string>

#include "registry/gossip_message.hpp"

namespace dnsd::registry {

class GossipTransport {
public:
    virtual ~GossipTransport() = default;
    // Fire and forget: a lost message is normal and the protocol lives with it. The reply to a
    // PullRequest comes back later through GossipNode::receive (over HTTP: the response body).
    virtual void send(const std::string& peer_address, GossipMessage message) = 0;
};

}  // namespace dnsd::registry
