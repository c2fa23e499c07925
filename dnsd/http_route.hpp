#pragma once
// Which endpoint a request is for: the path decides, then the method. Unknown path: 404;
// known path, other method: 405 with the Allow header; a path label that is no DNS label: 400.
// HEAD is routed wherever GET is; the server sends the GET's headers without the body.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace dnsd {

enum class Endpoint {
    healthz,     // GET  /healthz
    status,      // GET  /status
    metrics,     // GET  /metrics
    heartbeat,   // POST /v1/heartbeat
    sync,        // POST /v1/sync
    services,    // GET  /v1/services
    service,     // GET  /v1/services/{service}
    deregister,  // DELETE /v1/instances/{service}/{id}
    gossip,      // POST /v1/gossip (between dnsd nodes)
};

struct Route {
    Endpoint endpoint;
    std::string service;  // canonical label, for service and deregister
    std::string id;       // canonical label, for deregister
};

struct RouteError {
    unsigned status;
    std::string message;
    std::string allow;  // for 405: the methods the path takes
};

using RouteMatch = std::variant<Route, RouteError>;

// `target` is the request-target in origin form ("/v1/services/api?index=3"); the query
// string is ignored here (see http_query.hpp).
RouteMatch match_route(std::string_view method, std::string_view target);

// The largest body a request may carry, known from its header alone: kHttpBodyLimit
// (SPEC.md's 64 KiB), but kGossipBodyLimit for POST /v1/gossip, whose full-state
// messages are large.
std::size_t request_body_limit(std::string_view method, std::string_view target);

}  // namespace dnsd
