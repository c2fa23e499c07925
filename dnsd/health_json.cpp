#include "dnsd/health_json.hpp"

#include <boost/json/array.hpp>

namespace dnsd {

namespace json = boost::json;

namespace {

// Seconds as the heartbeat gave them: 10, or 0.5.
json::value seconds(std::int64_t ms) {
    if (ms % 1000 == 0) return json::value(ms / 1000);
    return json::value(static_cast<double>(ms) / 1000.0);
}

}  // namespace

json::object check_json(const registry::HealthCheck& check) {
    json::object out;
    out[registry::to_string(check.kind)] = check.target;
    out["interval"] = seconds(check.interval_ms);
    out["timeout"] = seconds(check.timeout_ms);
    if (check.deregister_after_ms > 0) out["deregister_after"] = seconds(check.deregister_after_ms);
    return out;
}

void add_health_fields(json::object& service_view, const registry::Service& service) {
    json::value* instances = service_view.if_contains("instances");
    if (instances == nullptr || !instances->is_array()) return;
    for (json::value& item : instances->get_array()) {
        if (!item.is_object()) continue;
        json::object& view = item.get_object();
        const json::value* id = view.if_contains("id");
        if (id == nullptr || !id->is_string()) continue;
        const auto found = service.instances.find(std::string(id->get_string()));
        if (found == service.instances.end()) continue;
        const registry::InstanceSpec& spec = found->second.spec;
        view["health"] = registry::to_string(spec.health->status);
        if (spec.health->critical()) {
            view["check_output"] = spec.health->output;
            view["critical_since"] = spec.health->critical_since_ms / 1000;
        }
        if (spec.check->present()) view["check"] = check_json(spec.check);
    }
}

void add_critical_counts(json::object& services_view, const registry::Registry& registry) {
    json::value* services = services_view.if_contains("services");
    if (services == nullptr || !services->is_object()) return;
    for (auto& entry : services->get_object()) {
        const registry::Service* service = registry.find(entry.key());
        if (service == nullptr || !entry.value().is_object()) continue;
        std::size_t critical = 0;
        for (const auto& [id, instance] : service->instances)
            if (instance.spec.health->critical()) ++critical;
        entry.value().get_object()["critical"] = critical;
    }
}

}  // namespace dnsd
