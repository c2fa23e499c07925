#pragma once
// From a request to a reply: routing, authorization, and the endpoint behind it. Runs on the
// control thread (it touches the registry); awaitable because a blocking read may wait.
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "dnsd/http_reply.hpp"
#include "registry/ip_address.hpp"

namespace dnsd {

class Node;

// The parts of an HTTP request the handlers look at; the server keeps them alive meanwhile.
struct RequestView {
    std::string_view method;         // "GET", "POST", ...
    std::string_view target;         // origin form: "/v1/services/api?index=7&wait=30s"
    std::string_view body;
    std::string_view authorization;  // the Authorization header; empty when absent
    registry::IpAddress peer;        // where the request came from
    std::string_view gossip_auth{};  // the X-Dnsd-Gossip-Auth header; empty when absent
};

// Never throws for a bad request: every rejection is a 4xx reply. HEAD is answered as GET;
// the server drops the body. The view is taken by value (a coroutine must not keep a reference
// to its caller's temporaries); the strings it points into must outlive the call.
boost::asio::awaitable<HttpReply> handle_request(Node& node, RequestView request);

}  // namespace dnsd
