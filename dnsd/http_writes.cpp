#include "dnsd/http_writes.hpp"

#include <boost/json/array.hpp>

namespace dnsd {

namespace json = boost::json;

namespace {

std::string_view result_name(registry::RenewResult result) {
    switch (result) {
        case registry::RenewResult::created: return "created";
        case registry::RenewResult::updated: return "updated";
        case registry::RenewResult::renewed: return "renewed";
        case registry::RenewResult::stale: return "stale";
    }
    return "stale";
}

// "result" is an extension of SPEC.md's answer: a client sees when its timestamp was too old.
json::object instance_result(const registry::InstanceSpec& spec, registry::RenewResult result) {
    return json::object{{"service", spec.service},
                        {"id", spec.id},
                        {"ttl", spec.ttl_ms / 1000},
                        {"result", result_name(result)}};
}

}  // namespace

HttpReply apply_heartbeats(registry::Registry& registry, Metrics& metrics,
                           const HeartbeatRequest& request) {
    json::array instances;
    for (const Heartbeat& heartbeat : request.heartbeats) {
        const auto outcome = registry.renew(heartbeat.spec, heartbeat.src_ts_ms);
        metrics.heartbeat(outcome.result);
        instances.push_back(instance_result(heartbeat.spec, outcome.result));
    }
    if (!request.batch && instances.size() == 1) {
        json::object reply{{"status", "ok"}};
        for (const auto& field : instances.front().as_object()) reply.insert(field);
        reply["index"] = registry.index();
        return json_reply(200, reply);
    }
    return json_reply(200, json::object{{"status", "ok"},
                                        {"index", registry.index()},
                                        {"instances", std::move(instances)}});
}

HttpReply deregister_instance(registry::Registry& registry, std::string_view service,
                              std::string_view id) {
    if (!registry.deregister(service, id))
        return error_reply(404, "no live instance '" + std::string(id) + "' of service '" +
                                    std::string(service) + "'");
    return json_reply(200, json::object{{"status", "ok"}, {"index", registry.index()}});
}

}  // namespace dnsd
