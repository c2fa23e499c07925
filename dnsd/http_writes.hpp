#pragma once
// The two HTTP requests that change the registry, on a Registry alone so tests need no Node.
// The caller runs Node::commit() afterwards: that publishes the zone and wakes blocking reads.
#include <string_view>

#include "dnsd/heartbeat_request.hpp"
#include "dnsd/http_reply.hpp"
#include "dnsd/metrics.hpp"
#include "registry/registry.hpp"

namespace dnsd {

// Renews every heartbeat of a validated request, counts each result, and answers
// 200 {"status":"ok","service","id","ttl","result","index"} for one object, or
// 200 {"status":"ok","index","instances":[{"service","id","ttl","result"}, ...]} for an array.
HttpReply apply_heartbeats(registry::Registry& registry, Metrics& metrics,
                           const HeartbeatRequest& request);

// DELETE /v1/instances/{service}/{id}: 200 {"status":"ok","index":N}, or 404 when no live
// instance has that key. Labels are canonical already (see http_route.hpp).
HttpReply deregister_instance(registry::Registry& registry, std::string_view service,
                              std::string_view id);

}  // namespace dnsd
