#pragma once
// POST /v1/gossip: a peer's gossip message in, its answer out. Checks the signature
// (gossip_auth.hpp) before reading the body, decodes it (400 with the decoder's reason),
// hands it to the state machine, and answers 200 with the reply (a PullRequest's PullReply)
// or 204 when there is none (a Push). 2xx replies are signed with the key when there is one.
#include <functional>
#include <optional>
#include <string_view>

#include "dnsd/gossip_auth.hpp"
#include "dnsd/http_reply.hpp"
#include "registry/gossip_message.hpp"

namespace dnsd {

inline constexpr std::string_view kGossipPath = "/v1/gossip";

struct GossipRequest {
    std::string_view method;       // "POST"
    std::string_view target;       // as sent; part of what is signed
    std::string_view body;
    std::string_view auth_header;  // X-Dnsd-Gossip-Auth, empty when absent
};

// Hands an authenticated, decoded message to the state machine (GossipNode::receive, and
// whatever must follow a merge: Node::receive_gossip commits) and returns its reply, if any.
using GossipReceiver =
    std::function<std::optional<registry::GossipMessage>(const registry::GossipMessage&)>;

HttpReply handle_gossip(const GossipReceiver& receive, GossipAuth& auth,
                        const GossipRequest& request);

}  // namespace dnsd
