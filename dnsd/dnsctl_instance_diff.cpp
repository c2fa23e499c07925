#include "dnsd/dnsctl_instance_diff.hpp"

#include <ctime>
#include <set>

#include "dnsd/dnsctl_list_view.hpp"

namespace dnsd::ctl {

namespace json = boost::json;

InstanceSet instance_set(const json::value& service_answer) {
    InstanceSet set;
    const json::object* answer = service_answer.if_object();
    const json::value* instances = answer ? answer->if_contains("instances") : nullptr;
    if (!instances || !instances->is_array()) return set;
    for (const auto& item : instances->get_array()) {
        const json::object* instance = item.if_object();
        if (!instance) continue;
        const json::value* id = instance->if_contains("id");
        if (!id || !id->is_string()) continue;
        json::object kept = *instance;
        kept.erase("expires_in");
        set[std::string(id->get_string())] = std::move(kept);
    }
    return set;
}

std::vector<InstanceChange> diff_instances(const InstanceSet& before, const InstanceSet& after) {
    std::vector<InstanceChange> changes;
    for (const auto& [id, instance] : before)
        if (!after.contains(id)) changes.push_back({InstanceChange::Kind::removed, id, describe_instance(instance)});
    for (const auto& [id, instance] : after) {
        const auto old = before.find(id);
        if (old == before.end()) {
            changes.push_back({InstanceChange::Kind::added, id, describe_instance(instance)});
            continue;
        }
        if (old->second == instance) continue;
        std::set<std::string> keys;
        for (const auto& field : old->second) keys.insert(std::string(field.key()));
        for (const auto& field : instance) keys.insert(std::string(field.key()));
        std::string detail;
        for (const auto& key : keys) {
            const json::value* was = old->second.if_contains(key);
            const json::value* now = instance.if_contains(key);
            if (was && now && *was == *now) continue;
            detail += (detail.empty() ? "" : ", ") + key + " " + cell_text(was) + " -> " + cell_text(now);
        }
        changes.push_back({InstanceChange::Kind::changed, id, detail});
    }
    return changes;
}

std::string describe_instance(const json::object& instance) {
    const std::string address = cell_text(instance.if_contains("address"));
    const bool v6 = address.find(':') != std::string::npos;
    std::string text = (v6 ? "[" + address + "]" : address) + ":" + cell_text(instance.if_contains("port"));
    for (const char* key : {"weight", "priority", "version", "node", "health"})
        if (const json::value* v = instance.if_contains(key); v && !(v->is_string() && v->get_string().empty()))
            text += std::string(" ") + key + "=" + cell_text(v);
    return text;
}

std::string iso8601_utc(std::chrono::system_clock::time_point when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32] = {};
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string change_line(std::chrono::system_clock::time_point when, const std::string& service,
                        const InstanceChange& change) {
    const char* verb = change.kind == InstanceChange::Kind::added     ? "added"
                       : change.kind == InstanceChange::Kind::removed ? "removed"
                                                                      : "changed";
    return iso8601_utc(when) + " " + service + " " + verb + " " + change.id + " " + change.detail;
}

}  // namespace dnsd::ctl
