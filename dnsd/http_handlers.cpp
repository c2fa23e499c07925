#include "dnsd/http_handlers.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>

#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>
#include <spdlog/spdlog.h>

#include "dnsd/gossip_endpoint.hpp"
#include "dnsd/health_checker.hpp"
#include "dnsd/health_json.hpp"
#include "dnsd/health_state.hpp"
#include "dnsd/heartbeat_request.hpp"
#include "dnsd/http_auth.hpp"
#include "dnsd/http_query.hpp"
#include "dnsd/http_route.hpp"
#include "dnsd/http_status.hpp"
#include "dnsd/http_writes.hpp"
#include "dnsd/json_views.hpp"
#include "dnsd/node.hpp"

namespace dnsd {

namespace json = boost::json;
using boost::asio::awaitable;

namespace {

HttpReply route_error(const RouteError& error) {
    HttpReply reply = error_reply(error.status, error.message);
    if (!error.allow.empty()) reply.headers.emplace_back("Allow", error.allow);
    return reply;
}

void set_index_header(HttpReply& reply, std::uint64_t index) {
    reply.headers.emplace_back("X-Dnsd-Index", std::to_string(index));
}

// Holds a blocking read while `current()` is still `query.index`, up to the wait. Node wakes us
// on every registry change; the view's own index (a service's) may not have moved, so we
// check again and wait for the rest of the time. Real time, because Node's timers are real.
// An index below the client's means the registry started over (a restart without cache.json,
// a service forgotten): answering at once lets the client start over too, as Consul advises.
awaitable<void> wait_past(Node& node, const BlockingQuery& query,
                          const std::function<std::uint64_t()>& current) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + query.wait;
    while (current() == query.index) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        spdlog::trace("blocking query waits up to {} ms for index {} to move", left.count(),
                      query.index);
        co_await node.wait_for_change(node.registry().index(), left);
        // Server stop cancels this coroutine; Node's wait swallows the cancellation (it only
        // wakes us), so look for it here instead of waiting again.
        const auto state = co_await boost::asio::this_coro::cancellation_state;
        if (state.cancelled() != boost::asio::cancellation_type::none)
            throw boost::system::system_error(boost::asio::error::operation_aborted);
    }
}

// The blocking-query part shared by both reads: 400 on a bad query string, else waits.
awaitable<std::optional<HttpReply>> maybe_wait(Node& node, std::string_view target,
                                               std::function<std::uint64_t()> current) {
    auto parsed = parse_blocking_query(target);
    if (auto* error = std::get_if<std::string>(&parsed)) co_return error_reply(400, *error);
    if (const auto& query = std::get<std::optional<BlockingQuery>>(parsed))
        co_await wait_past(node, *query, current);
    co_return std::nullopt;
}

awaitable<HttpReply> list_services(Node& node, std::string_view target) {
    const registry::Registry& registry = node.registry();
    if (auto error = co_await maybe_wait(node, target, [&] { return services_index(registry); }))
        co_return *error;
    json::object view = services_json(registry, node.clock().mono_ms());
    add_critical_counts(view, registry);
    HttpReply reply = json_reply(200, view);
    set_index_header(reply, services_index(registry));
    co_return reply;
}

awaitable<HttpReply> show_service(Node& node, std::string_view target, const std::string& name) {
    const registry::Registry& registry = node.registry();
    if (auto error = co_await maybe_wait(node, target,
                                         [&] { return service_index(registry, name); }))
        co_return *error;
    auto view = service_json(registry, name, node.clock().mono_ms());
    if (view) add_health_fields(*view, *registry.find(name));
    HttpReply reply = view ? json_reply(200, *view)
                           : error_reply(404, "there is no service '" + name + "'");
    set_index_header(reply, service_index(registry, name));
    co_return reply;
}

// The registry index that DNS must hold before a heartbeat's 200 goes out: its own change, or
// for a renewal (which changes nothing DNS shows) the last change to its services, which an
// earlier request may have made in this very turn. 0 when everything is published already:
// the common renewal then costs nothing more.
std::uint64_t index_to_publish(const Node& node, const registry::Registry& registry,
                               const HeartbeatRequest& request, std::uint64_t index_before) {
    const std::uint64_t now_index = registry.index();
    if (node.published_index() >= now_index) return 0;
    if (now_index != index_before) return now_index;
    std::uint64_t needed = 0;
    for (const Heartbeat& hb : request.heartbeats)
        if (const auto* service = registry.find(hb.spec.service))
            needed = std::max(needed, service->modify_index);
    return needed;
}

// The reply is held until the zone published for the DNS threads carries the change
// (Node::wait_published): a client that gets its 200 and asks DNS at once finds its instance.
awaitable<HttpReply> take_heartbeat(Node& node, const RequestView& request) {
    if (auto denied = check_bearer(node.config().auth_token, request.authorization)) {
        node.metrics().heartbeat("rejected");
        co_return *denied;
    }
    const HeartbeatDefaults defaults{node.config().lease_s, node.config().node_label};
    auto parsed = parse_heartbeat(request.body, request.peer, defaults);
    if (auto* error = std::get_if<HeartbeatError>(&parsed)) {
        node.metrics().heartbeat("rejected");
        co_return error_reply(400, error->message);
    }
    // An instance with a check keeps the health its probes gave it (health_state.hpp).
    auto& heartbeats = std::get<HeartbeatRequest>(parsed);
    for (Heartbeat& hb : heartbeats.heartbeats)
        carry_health(hb.spec, node.registry().find(hb.spec.service, hb.spec.id), node.clock().wall_ms());
    const std::uint64_t index_before = node.registry().index();
    HttpReply reply = apply_heartbeats(node.registry(), node.metrics(), heartbeats);
    node.commit();
    if (const auto index = index_to_publish(node, node.registry(), heartbeats, index_before))
        co_await node.wait_published(index);
    co_return reply;
}

awaitable<HttpReply> deregister(Node& node, const RequestView& request, const Route& route) {
    if (auto denied = check_bearer(node.config().auth_token, request.authorization))
        co_return *denied;
    HttpReply reply = deregister_instance(node.registry(), route.service, route.id);
    if (reply.status == 200) {
        node.commit();
        // Gone from DNS before the client is told so.
        co_await node.wait_published(node.registry().index());
    }
    co_return reply;
}

// The peers are the gossip core's (a random third of the live ones, different at each call).
HttpReply status(Node& node) { return json_reply(200, status_json(node.status_fields())); }

HttpReply metrics(Node& node) {
    HttpReply reply;
    reply.content_type = kPrometheusType;
    reply.body = node.metrics().render(node.registry());
    return reply;
}

// Answers once the health probes it started have ended (each is bounded by its timeout).
awaitable<HttpReply> sync(Node& node) {
    node.sync_now();
    co_await node.health().wait_for_probes(std::chrono::seconds(10));
    node.commit();
    co_await node.wait_published(node.registry().index());
    co_return json_reply(200, json::object{{"status", "ok"}, {"index", node.registry().index()}});
}

// A peer's gossip. Node::receive_gossip merges and commits (the registry may have changed).
HttpReply gossip(Node& node, const RequestView& request) {
    return handle_gossip(
        [&node](const registry::GossipMessage& message) { return node.receive_gossip(message); },
        node.gossip_auth(), {request.method, request.target, request.body, request.gossip_auth});
}

}  // namespace

awaitable<HttpReply> handle_request(Node& node, RequestView request) {
    const RouteMatch match = match_route(request.method, request.target);
    if (const auto* error = std::get_if<RouteError>(&match)) co_return route_error(*error);
    const Route& route = std::get<Route>(match);

    switch (route.endpoint) {
        case Endpoint::healthz: co_return json_reply(200, json::object{{"status", "ok"}});
        case Endpoint::status: co_return status(node);
        case Endpoint::metrics: co_return metrics(node);
        case Endpoint::heartbeat: co_return co_await take_heartbeat(node, request);
        case Endpoint::sync: co_return co_await sync(node);
        case Endpoint::services: co_return co_await list_services(node, request.target);
        case Endpoint::service:
            co_return co_await show_service(node, request.target, route.service);
        case Endpoint::deregister: co_return co_await deregister(node, request, route);
        case Endpoint::gossip: co_return gossip(node, request);
    }
    co_return error_reply(500, "the request reached no endpoint");
}

}  // namespace dnsd
