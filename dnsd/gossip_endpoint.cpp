#include "dnsd/gossip_endpoint.hpp"

#include <spdlog/spdlog.h>

#include "registry/gossip_message_json.hpp"

namespace dnsd {

namespace {

std::string refusal(GossipAuthFailure failure) {
    switch (failure) {
        case GossipAuthFailure::missing:
            return "this node requires authenticated gossip: the request has no " +
                   std::string(kGossipAuthHeader) + " header";
        case GossipAuthFailure::malformed:
            return "the " + std::string(kGossipAuthHeader) +
                   " header is not 't=<ms>,n=<16 hex digits>,mac=<64 hex digits>'";
        case GossipAuthFailure::bad_mac:
            return "the gossip signature does not match: the nodes' gossip keys differ, or the "
                   "request was altered";
        case GossipAuthFailure::replayed:
            return "this gossip request was seen before (its nonce was replayed)";
        case GossipAuthFailure::wrong_reply:
            break;  // only a client checks replies
    }
    return "the gossip request is not authenticated";
}

}  // namespace

HttpReply handle_gossip(const GossipReceiver& receive, GossipAuth& auth,
                        const GossipRequest& request) {
    if (auto failure = auth.check_request(request.auth_header, request.method, request.target,
                                          request.body)) {
        spdlog::debug("gossip request refused: {}", to_string(*failure));
        return error_reply(401, refusal(*failure));
    }
    auto decoded = registry::decode_gossip(request.body);
    if (auto* error = std::get_if<registry::GossipDecodeError>(&decoded))
        return error_reply(400, "the gossip message is invalid: " + error->reason);

    const auto answer = receive(std::get<registry::GossipMessage>(decoded));
    HttpReply reply;
    if (answer) {
        reply.body = registry::encode_gossip(*answer);
    } else {
        reply.status = 204;
    }
    const std::string signature =
        auth.sign_reply(GossipAuth::nonce_of(request.auth_header), request.target, reply.body);
    if (!signature.empty()) reply.headers.emplace_back(std::string(kGossipAuthHeader), signature);
    return reply;
}

}  // namespace dnsd
