#include "dnsd/health_schedule.hpp"

#include <algorithm>
#include <functional>

namespace dnsd {

namespace {

// A stable spread over [0, interval): the same instance gets the same offset at every start.
std::int64_t stagger_offset(const registry::InstanceKey& key, std::int64_t interval_ms) {
    const std::size_t h = std::hash<std::string>{}(key.first + "/" + key.second);
    return interval_ms > 0 ? static_cast<std::int64_t>(h % static_cast<std::size_t>(interval_ms)) : 0;
}

}  // namespace

void HealthSchedule::reconcile_all(const registry::Registry& registry, registry::MonoMs now) {
    std::set<std::string> gone;
    for (const auto& [key, entry] : entries_) gone.insert(key.first);
    for (const auto& [name, service] : registry.services()) {
        gone.erase(name);
        reconcile_service(registry, name, now, true);
    }
    for (const auto& name : gone) reconcile_service(registry, name, now, true);
}

void HealthSchedule::reconcile(const registry::Registry& registry,
                               const registry::ChangedServices& changed, registry::MonoMs now) {
    for (const auto& [name, change] : changed) {
        if (change.whole) {
            reconcile_service(registry, name, now, false);
            continue;
        }
        for (const std::string& id : change.ids) reconcile_instance(registry, name, id, now);
    }
}

// reconcile_service() for one instance: a registration costs O(log n), not a walk of its service.
void HealthSchedule::reconcile_instance(const registry::Registry& registry, const std::string& service,
                                        const std::string& id, registry::MonoMs now) {
    const registry::Instance* instance = registry.find(service, id);
    registry::InstanceKey key{service, id};
    const auto it = entries_.find(key);
    if (!probed_here(instance)) {
        if (it != entries_.end()) erase(it);
        return;
    }
    const registry::HealthCheck& check = instance->spec.check;
    if (it != entries_.end() && it->second.check == check) return;
    put(key, check, now);
}

void HealthSchedule::reconcile_service(const registry::Registry& registry, const std::string& name,
                                       registry::MonoMs now, bool stagger) {
    const registry::Service* service = registry.find(name);
    // Drop what is no longer ours to probe.
    for (auto it = entries_.lower_bound({name, std::string()}); it != entries_.end() && it->first.first == name;) {
        const registry::Instance* instance = service ? registry.find(name, it->first.second) : nullptr;
        auto next = std::next(it);
        if (!probed_here(instance)) erase(it);
        it = next;
    }
    if (service == nullptr) return;
    for (const auto& [id, instance] : service->instances) {
        if (!probed_here(&instance)) continue;
        const registry::HealthCheck& check = instance.spec.check;
        const registry::InstanceKey key{name, id};
        const auto it = entries_.find(key);
        if (it != entries_.end() && it->second.check == check) continue;
        put(key, check, stagger ? now + stagger_offset(key, check.interval_ms) : now);
    }
}

void HealthSchedule::put(const registry::InstanceKey& key, const registry::HealthCheck& check,
                         registry::MonoMs at) {
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        it = entries_.emplace(key, Entry{check, at, 0, false, false}).first;
    } else {
        if (!it->second.probing) queue_.erase({it->second.next_at, key});
        it->second.check = check;
        it->second.next_at = at;
        it->second.rerun = it->second.probing;
    }
    // A probe of the old check still running: the new one is queued when it ends.
    if (!it->second.probing) queue_.insert({at, key});
}

void HealthSchedule::erase(std::map<registry::InstanceKey, Entry>::iterator it) {
    if (it->second.probing)
        --probing_;
    else
        queue_.erase({it->second.next_at, it->first});
    entries_.erase(it);
}

void HealthSchedule::start(const registry::InstanceKey& key, Entry& entry, registry::MonoMs now,
                           std::vector<DueProbe>& out) {
    entry.probing = true;
    entry.started_at = now;
    ++probing_;
    out.push_back({key, entry.check});
}

std::vector<DueProbe> HealthSchedule::take_due(registry::MonoMs now) {
    std::vector<DueProbe> due;
    while (!queue_.empty() && queue_.begin()->first <= now) {
        const registry::InstanceKey key = queue_.begin()->second;
        queue_.erase(queue_.begin());
        start(key, entries_.at(key), now, due);
    }
    return due;
}

std::vector<DueProbe> HealthSchedule::take_all(registry::MonoMs now) {
    std::vector<DueProbe> due;
    for (const auto& [at, key] : queue_) start(key, entries_.at(key), now, due);
    queue_.clear();
    return due;
}

void HealthSchedule::finished(const registry::InstanceKey& key, registry::MonoMs now) {
    auto it = entries_.find(key);
    if (it == entries_.end() || !it->second.probing) return;  // dropped while probing
    Entry& entry = it->second;
    entry.probing = false;
    --probing_;
    entry.next_at = entry.rerun ? now : std::max(now, entry.started_at + entry.check.interval_ms);
    entry.rerun = false;
    queue_.insert({entry.next_at, key});
}

std::optional<registry::MonoMs> HealthSchedule::next_due() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.begin()->first;
}

}  // namespace dnsd
