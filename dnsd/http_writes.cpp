#include "dnsd/http_writes.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <boost/json/array.hpp>

namespace dnsd {

namespace json = boost::json;

namespace {

template <typename Integer>
void append_number(std::string& out, Integer value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end);
}

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

// Text that JSON carries as is between quotes (DNS labels always are): no escaping needed.
bool plain_json_text(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
}

// The answer to the common request, one heartbeat, written straight into its body: the same
// bytes json_reply would give, without building and serializing a JSON object first (at
// tens of thousands of heartbeats a second the allocations of that detour show).
std::optional<HttpReply> single_result_reply(const registry::InstanceSpec& spec,
                                             registry::RenewResult result, std::uint64_t index) {
    if (!plain_json_text(spec.service) || !plain_json_text(spec.id)) return std::nullopt;
    HttpReply reply;
    std::string& body = reply.body;
    body.reserve(96 + spec.service.size() + spec.id.size());
    body += R"({"status":"ok","service":")";
    body += spec.service;
    body += R"(","id":")";
    body += spec.id;
    body += R"(","ttl":)";
    append_number(body, spec.ttl_ms / 1000);
    body += R"(,"result":")";
    body += result_name(result);
    body += R"(","index":)";
    append_number(body, index);
    body += "}\n";
    return reply;
}

}  // namespace

HttpReply apply_heartbeats(registry::Registry& registry, Metrics& metrics,
                           const HeartbeatRequest& request) {
    if (!request.batch && request.heartbeats.size() == 1) {
        const Heartbeat& heartbeat = request.heartbeats.front();
        const auto outcome = registry.renew(heartbeat.spec, heartbeat.src_ts_ms);
        metrics.heartbeat(outcome.result);
        if (auto reply = single_result_reply(heartbeat.spec, outcome.result, registry.index()))
            return std::move(*reply);
        json::object reply{{"status", "ok"}};
        for (const auto& field : instance_result(heartbeat.spec, outcome.result)) reply.insert(field);
        reply["index"] = registry.index();
        return json_reply(200, reply);
    }
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
