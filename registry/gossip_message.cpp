#include "registry/gossip_message.hpp"

namespace dnsd::registry {

const NodeInfo& sender_of(const GossipMessage& message) {
    return std::visit([](const auto& m) -> const NodeInfo& { return m.sender; }, message);
}

}  // namespace dnsd::registry
