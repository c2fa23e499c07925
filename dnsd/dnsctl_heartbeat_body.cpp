#include "dnsd/dnsctl_heartbeat_body.hpp"

namespace dnsd::ctl {

boost::json::object heartbeat_body(const InstanceSpec& instance) {
    boost::json::object body{{"service", instance.service}, {"port", instance.port}, {"ttl", instance.ttl_s}};
    if (instance.address) body["address"] = *instance.address;
    if (instance.id) body["id"] = *instance.id;
    if (instance.version) body["version"] = *instance.version;
    if (instance.weight) body["weight"] = *instance.weight;
    if (instance.priority) body["priority"] = *instance.priority;
    if (!instance.meta.empty()) {
        boost::json::object meta;
        for (const auto& [key, value] : instance.meta) meta[key] = value;
        body["meta"] = std::move(meta);
    }
    if (instance.check) {
        boost::json::object check{{instance.check->kind, instance.check->target},
                                  {"interval", instance.check->interval_s},
                                  {"timeout", instance.check->timeout_s}};
        if (instance.check->deregister_after_s) check["deregister_after"] = *instance.check->deregister_after_s;
        body["check"] = std::move(check);
    }
    return body;
}

}  // namespace dnsd::ctl
