#pragma once
// Gossip messages as JSON, the body of the HTTP gossip endpoints. A message from a peer is
// untrusted input: the decoder checks every field and says what is wrong in one sentence.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "registry/gossip_message.hpp"

namespace dnsd::registry {

std::string encode_gossip(const GossipMessage& message);

struct GossipDecodeError {
    std::string reason;  // e.g. "instances[3].port must be an integer from 1 to 65535"
};

std::variant<GossipMessage, GossipDecodeError> decode_gossip(std::string_view body);

}  // namespace dnsd::registry
