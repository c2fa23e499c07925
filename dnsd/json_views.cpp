#include "dnsd/json_views.hpp"

#include <boost/json/array.hpp>

namespace dnsd {

namespace json = boost::json;

namespace {

std::int64_t ceil_seconds(std::int64_t ms) { return ms <= 0 ? 0 : (ms + 999) / 1000; }

std::size_t live_count(const registry::Service& service, registry::MonoMs now) {
    std::size_t n = 0;
    for (const auto& [id, instance] : service.instances)
        if (!instance.expired(now)) ++n;
    return n;
}

}  // namespace

json::object instance_json(const registry::Instance& instance, registry::MonoMs now) {
    const registry::InstanceSpec& spec = instance.spec;
    json::object meta;
    for (const auto& [key, value] : spec.meta) meta[key] = value;
    return json::object{
        {"id", spec.id},
        {"address", spec.address.to_string()},
        {"port", spec.port},
        {"version", spec.version},
        {"weight", spec.weight},
        {"priority", spec.priority},
        {"meta", std::move(meta)},
        {"ttl", ceil_seconds(spec.ttl_ms)},
        {"expires_in", ceil_seconds(instance.remaining_ms(now))},
        {"node", spec.node},
    };
}

json::object services_json(const registry::Registry& registry, registry::MonoMs now) {
    json::object services;
    for (const auto& [name, service] : registry.services())
        services[name] = json::object{{"instances", live_count(service, now)},
                                      {"index", service.modify_index}};
    return json::object{{"index", registry.index()}, {"services", std::move(services)}};
}

std::optional<json::object> service_json(const registry::Registry& registry,
                                         std::string_view service, registry::MonoMs now) {
    const registry::Service* found = registry.find(service);
    if (found == nullptr) return std::nullopt;
    json::array instances;
    for (const auto& [id, instance] : found->instances)
        if (!instance.expired(now)) instances.push_back(instance_json(instance, now));
    return json::object{{"service", service},
                        {"index", found->modify_index},
                        {"instances", std::move(instances)}};
}

std::uint64_t services_index(const registry::Registry& registry) { return registry.index(); }

std::uint64_t service_index(const registry::Registry& registry, std::string_view service) {
    const registry::Service* found = registry.find(service);
    return found != nullptr ? found->modify_index : 0;
}

}  // namespace dnsd
