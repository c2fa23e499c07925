#include "registry/registry.hpp"

#include <algorithm>
#include <limits>

namespace dnsd::registry {

Registry::Registry(const Clock& clock, RegistryOptions options)
    : clock_(clock), options_(options) {}

std::uint64_t Registry::bump(Service& service, const std::string& name) {
    ++index_;
    service.modify_index = index_;
    changed_.insert(name);
    return index_;
}

void Registry::schedule(const Instance& instance) {
    deadlines_.push(Deadline{instance.expires_at(), {instance.spec.service, instance.spec.id}});
}

RenewOutcome Registry::renew(InstanceSpec spec, std::optional<std::int64_t> src_ts_ms) {
    const MonoMs now = clock_.mono_ms();
    const InstanceKey key{spec.service, spec.id};
    auto& service = services_[spec.service];  // creates the service if new (erased below if stale)
    auto existing = service.instances.find(spec.id);
    const auto tomb = tombstones_.find(key);

    // The newest src_ts this node knows for the key, live copy or tombstone.
    std::int64_t last_known = 0;
    bool known = false;
    if (existing != service.instances.end()) {
        last_known = existing->second.src_ts_ms;
        known = true;
    } else if (tomb != tombstones_.end()) {
        last_known = tomb->second.src_ts_ms;
        known = true;
    }

    std::int64_t src_ts = 0;
    if (src_ts_ms) {
        src_ts = *src_ts_ms;
        if (known && src_ts <= last_known) {
            if (service.instances.empty() && service.modify_index == 0) services_.erase(spec.service);
            return {RenewResult::stale, index_, last_known};
        }
    } else {
        // Strictly newer than anything known, even if this node's wall clock went backwards.
        src_ts = std::max(clock_.wall_ms(), known ? last_known + 1 : 0);
    }

    if (tomb != tombstones_.end()) tombstones_.erase(tomb);
    service.last_live = now;
    ++lease_version_;

    if (existing == service.instances.end()) {
        Instance inst;
        inst.spec = std::move(spec);
        inst.src_ts_ms = src_ts;
        inst.rcv_ts = now;
        inst.lease = std::make_shared<LeaseCell>(inst.expires_at());
        const std::string& name = inst.spec.service;
        const std::string id = inst.spec.id;
        inst.modify_index = bump(service, name);
        schedule(inst);
        service.instances.emplace(id, std::move(inst));
        ++instance_count_;
        return {RenewResult::created, index_, src_ts};
    }

    Instance& inst = existing->second;
    const bool same = inst.spec == spec;
    const std::string name = spec.service;
    if (!same) inst.spec = std::move(spec);
    inst.src_ts_ms = src_ts;
    inst.rcv_ts = now;
    inst.lease->expires_at.store(inst.expires_at(), std::memory_order_release);
    schedule(inst);
    if (same) return {RenewResult::renewed, index_, src_ts};
    inst.modify_index = bump(service, name);
    return {RenewResult::updated, index_, src_ts};
}

void Registry::erase_instance(Service& service, const std::string& name, const std::string& id) {
    auto it = service.instances.find(id);
    if (it == service.instances.end()) return;
    // Readers holding an older snapshot see the lease as already over.
    it->second.lease->expires_at.store(std::numeric_limits<MonoMs>::min() / 2,
                                       std::memory_order_release);
    service.instances.erase(it);
    --instance_count_;
    bump(service, name);
}

bool Registry::deregister(std::string_view service_name, std::string_view id) {
    auto sit = services_.find(service_name);
    if (sit == services_.end()) return false;
    auto iit = sit->second.instances.find(std::string(id));
    if (iit == sit->second.instances.end()) return false;
    const MonoMs now = clock_.mono_ms();
    const std::int64_t src_ts = std::max(clock_.wall_ms(), iit->second.src_ts_ms + 1);
    const std::string name = sit->first;
    const std::string key_id = iit->first;
    erase_instance(sit->second, name, key_id);
    sit->second.last_live = now;
    tombstones_[{name, key_id}] = Tombstone{src_ts, now, index_};
    ++deregistered_total_;
    return true;
}

std::size_t Registry::sweep() {
    const MonoMs now = clock_.mono_ms();
    std::size_t expired = 0;
    while (!deadlines_.empty() && deadlines_.top().at < now) {
        const Deadline d = deadlines_.top();
        deadlines_.pop();
        auto sit = services_.find(d.key.first);
        if (sit == services_.end()) continue;
        auto iit = sit->second.instances.find(d.key.second);
        // A renewal or re-registration since this entry was pushed: a later entry covers it.
        if (iit == sit->second.instances.end() || iit->second.expires_at() != d.at) continue;
        if (!iit->second.expired(now)) continue;
        sit->second.last_live = now;
        erase_instance(sit->second, sit->first, d.key.second);
        ++expired;
    }
    expired_total_ += expired;

    std::erase_if(tombstones_, [&](const auto& entry) {
        return now - entry.second.rcv_ts > options_.tombstone_ms;
    });
    for (auto it = services_.begin(); it != services_.end();) {
        const Service& s = it->second;
        if (s.instances.empty() && now - s.last_live > options_.known_service_ms) {
            changed_.insert(it->first);
            ++index_;
            it = services_.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

std::optional<MonoMs> Registry::next_deadline() const {
    std::optional<MonoMs> next;
    // Expiry happens once now - rcv_ts > ttl, i.e. one millisecond after the lease end.
    if (!deadlines_.empty()) next = deadlines_.top().at + 1;
    auto earlier = [&](MonoMs t) { if (!next || t < *next) next = t; };
    for (const auto& [key, tomb] : tombstones_) earlier(tomb.rcv_ts + options_.tombstone_ms + 1);
    for (const auto& [name, s] : services_)
        if (s.instances.empty()) earlier(s.last_live + options_.known_service_ms + 1);
    return next;
}

void Registry::restore_instance(InstanceSpec spec, std::int64_t src_ts_ms,
                                std::int64_t remaining_ms) {
    const MonoMs now = clock_.mono_ms();
    Instance inst;
    inst.spec = std::move(spec);
    inst.src_ts_ms = src_ts_ms;
    // Place rcv_ts in the past so that exactly remaining_ms of the lease is left.
    inst.rcv_ts = now + remaining_ms - inst.spec.ttl_ms;
    inst.lease = std::make_shared<LeaseCell>(inst.expires_at());
    auto& service = services_[inst.spec.service];
    service.last_live = now;
    const std::string name = inst.spec.service;
    const std::string id = inst.spec.id;
    auto [it, inserted] = service.instances.insert_or_assign(id, std::move(inst));
    if (inserted) ++instance_count_;
    it->second.modify_index = bump(service, name);
    schedule(it->second);
}

void Registry::restore_tombstone(const InstanceKey& key, std::int64_t src_ts_ms,
                                 std::int64_t age_ms) {
    tombstones_[key] = Tombstone{src_ts_ms, clock_.mono_ms() - age_ms, index_};
}

void Registry::restore_known_service(const std::string& service, std::int64_t idle_ms) {
    auto& s = services_[service];
    s.last_live = clock_.mono_ms() - idle_ms;
    bump(s, service);
}

void Registry::restore_index(std::uint64_t index) {
    // Indexes never go backwards across a restart, or a blocking query holding the old index
    // would wait in vain; every restored service counts as changed, above the saved index.
    index_ = std::max(index_, index);
    for (auto& [name, s] : services_) {
        s.modify_index = ++index_;
        for (auto& [id, inst] : s.instances) inst.modify_index = std::min(inst.modify_index, index_);
    }
}

const Service* Registry::find(std::string_view service) const {
    auto it = services_.find(service);
    return it == services_.end() ? nullptr : &it->second;
}

const Instance* Registry::find(std::string_view service, std::string_view id) const {
    const Service* s = find(service);
    if (!s) return nullptr;
    auto it = s->instances.find(std::string(id));
    return it == s->instances.end() ? nullptr : &it->second;
}

std::set<std::string> Registry::take_changed() {
    std::set<std::string> out;
    out.swap(changed_);
    return out;
}

}  // namespace dnsd::registry
