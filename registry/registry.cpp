#include "registry/registry.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <tuple>

namespace dnsd::registry {

namespace {
// 1 or 0, for critical_count_ (count_spec takes away the old spec's and adds the new one's).
std::size_t critical(const InstanceSpec& spec) { return spec.health->critical() ? 1 : 0; }
}  // namespace

Registry::Registry(const Clock& clock, RegistryOptions options)
    : clock_(clock), options_(options) {}

void Registry::count_spec(const InstanceSpec* before, const InstanceSpec* after) {
    if (before) critical_count_ -= critical(*before);
    if (after) {
        critical_count_ += critical(*after);
        longest_ttl_ms_ = std::max(longest_ttl_ms_, after->ttl_ms);
    }
}

std::uint64_t Registry::bump(Service& service, const std::string& name, const std::string* id) {
    ++index_;
    service.modify_index = index_;
    if (id)
        changed_.instance(name, *id, service.instances.size());
    else
        changed_.whole(name);
    return index_;
}

void Registry::schedule(Instance& instance) {
    if (instance.expiry_slot != Instance::no_slot && (instance.expiry_slot & held_flag))
        unschedule(instance);  // renewed while held: back into the heap
    deadlines_.schedule(instance);
}

void Registry::unschedule(Instance& instance) {
    if (instance.expiry_slot == Instance::no_slot) return;
    if (!(instance.expiry_slot & held_flag)) {
        deadlines_.remove(instance);
        return;
    }
    // Held: swap the last held instance into its place.
    const std::size_t at = instance.expiry_slot & ~held_flag;
    held_[at] = held_.back();
    held_[at]->expiry_slot = static_cast<std::uint32_t>(at) | held_flag;
    held_.pop_back();
    instance.expiry_slot = Instance::no_slot;
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
            if (service.instances.empty() && service.modify_index == 0) {
                services_.erase(spec.service);
                housekeeping_stale_ = true;
            }
            return {RenewResult::stale, index_, last_known};
        }
    } else {
        // Strictly newer than anything known, even if this node's wall clock went backwards.
        src_ts = std::max(clock_.wall_ms(), known ? last_known + 1 : 0);
    }

    if (tomb != tombstones_.end()) erase_tombstone(tomb, false);  // the instance's entry follows
    switch (accept(service, existing, std::move(spec), src_ts, now)) {
        case Accepted::created: return {RenewResult::created, index_, src_ts};
        case Accepted::updated: return {RenewResult::updated, index_, src_ts};
        case Accepted::renewed: break;
    }
    return {RenewResult::renewed, index_, src_ts};
}

Registry::Accepted Registry::accept(Service& service,
                                    std::map<std::string, Instance>::iterator existing,
                                    InstanceSpec spec, std::int64_t src_ts, MonoMs rcv_ts) {
    service.last_live = clock_.mono_ms();
    ++lease_version_;
    touch(spec.service, spec.id);

    if (existing == service.instances.end()) {
        if (service.instances.empty()) empty_services_.erase(spec.service);
        std::string id = spec.id;
        Instance& inst = service.instances.emplace(std::move(id), Instance{}).first->second;
        inst.spec = std::move(spec);
        inst.src_ts_ms = src_ts;
        inst.rcv_ts = rcv_ts;
        inst.lease = std::make_shared<LeaseCell>(inst.expires_at());
        inst.modify_index = bump(service, inst.spec.service, &inst.spec.id);
        schedule(inst);  // in its map node: the heap and the log point at it there
        ++instance_count_;
        count_spec(nullptr, &inst.spec);
        log_change(inst, rcv_ts);
        return Accepted::created;
    }

    Instance& inst = existing->second;
    const bool same = inst.spec == spec;
    if (!same) {
        count_spec(&inst.spec, &spec);
        inst.spec = std::move(spec);
    }
    inst.src_ts_ms = src_ts;
    inst.rcv_ts = rcv_ts;
    inst.lease->expires_at.store(inst.expires_at(), std::memory_order_release);
    schedule(inst);
    if (same) {
        log_renewal(inst, rcv_ts, inst.spec.ttl_ms);
        return Accepted::renewed;
    }
    inst.modify_index = bump(service, inst.spec.service, &inst.spec.id);
    log_change(inst, rcv_ts);
    return Accepted::updated;
}

void Registry::erase_instance(Service& service, const std::string& name, const std::string& id) {
    auto it = service.instances.find(id);
    if (it == service.instances.end()) return;
    housekeeping_stale_ = true;
    touch(name, id);
    // Readers holding an older snapshot see the lease as already over.
    it->second.lease->expires_at.store(std::numeric_limits<MonoMs>::min() / 2,
                                       std::memory_order_release);
    // Its news passes to the tombstone that usually follows; an expiry is no news at all.
    unlog(it->second.change_seq, false);
    unschedule(it->second);
    count_spec(&it->second.spec, nullptr);
    service.instances.erase(it);
    --instance_count_;
    if (service.instances.empty()) empty_services_.insert(name);
    bump(service, name, &id);
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
    const std::int64_t keep =
        std::max(options_.tombstone_ms, iit->second.spec.ttl_ms + options_.tombstone_margin_ms);
    erase_instance(sit->second, name, key_id);
    sit->second.last_live = now;
    put_tombstone({name, key_id}, Tombstone{src_ts, now, index_, keep, 0});
    ++deregistered_total_;
    return true;
}

std::size_t Registry::sweep() { return sweep_impl(std::nullopt, 0); }

std::size_t Registry::sweep_holding(std::string_view evictable_service, MonoMs serve_until) {
    return sweep_impl(evictable_service, serve_until);
}

std::size_t Registry::sweep_impl(std::optional<std::string_view> evictable_only,
                                 MonoMs serve_until) {
    const MonoMs now = clock_.mono_ms();
    // Held instances are reconsidered every time: they are held again or, when holding
    // ended, evicted (renewed ones left held_ when they were renewed).
    for (Instance* held : held_) {
        held->expiry_slot = Instance::no_slot;
        deadlines_.schedule(*held);
    }
    held_.clear();
    std::size_t expired = 0;
    housekeeping_stale_ = true;
    while (!deadlines_.empty() && deadlines_.top().at < now) {
        Instance& inst = *deadlines_.top().instance;
        if (!inst.expired(now)) {  // cannot happen: every entry is its instance's lease end
            deadlines_.remove(inst);
            continue;
        }
        auto sit = services_.find(inst.spec.service);
        if (evictable_only && sit->first != *evictable_only) {
            inst.lease->expires_at.store(serve_until, std::memory_order_release);
            deadlines_.remove(inst);
            inst.expiry_slot = static_cast<std::uint32_t>(held_.size()) | held_flag;
            held_.push_back(&inst);
            continue;
        }
        sit->second.last_live = now;
        const std::string id = inst.spec.id;
        erase_instance(sit->second, sit->first, id);
        ++expired;
    }
    expired_total_ += expired;

    for (auto it = tombstones_.begin(); it != tombstones_.end();) {
        if (now - it->second.rcv_ts > keep_of(it->second)) {
            const auto next = std::next(it);
            erase_tombstone(it, true);
            it = next;
        } else {
            ++it;
        }
    }
    for (auto it = empty_services_.begin(); it != empty_services_.end();) {
        const auto sit = services_.find(*it);
        if (sit == services_.end() || !sit->second.instances.empty()) {  // cannot happen
            it = empty_services_.erase(it);
            continue;
        }
        if (now - sit->second.last_live > options_.known_service_ms) {
            changed_.whole(sit->first);
            touch(sit->first, {});
            ++index_;
            services_.erase(sit);
            it = empty_services_.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

std::size_t Registry::due_expiries(std::string_view except_service) const {
    const MonoMs now = clock_.mono_ms();
    // Every live lease has an entry in the heap; the run-out ones are found from its top, so
    // this costs what is due, not the registry (it runs at each sweep: with a steady trickle
    // of expiries, a walk over 500,000 instances each time held the control thread for tens of
    // milliseconds). Held instances are outside the heap: counted from their own list.
    std::size_t due = 0;
    const auto count = [&](const Instance& inst) {
        if (inst.expired(now) && inst.spec.service != except_service) ++due;
    };
    for_each_ending_before(now, count);
    return due;
}

MergeResult Registry::merge(const InstanceSpec& spec, std::int64_t src_ts_ms, std::int64_t age_ms) {
    const MonoMs now = clock_.mono_ms();
    const MonoMs rcv = now - std::max<std::int64_t>(age_ms, 0);
    if (now - rcv > spec.ttl_ms) return MergeResult::expired;
    const InstanceKey key{spec.service, spec.id};

    auto sit = services_.find(spec.service);
    if (sit != services_.end()) {
        auto existing = sit->second.instances.find(spec.id);
        if (existing != sit->second.instances.end() && src_ts_ms <= existing->second.src_ts_ms)
            return MergeResult::stale;
    }
    auto tomb = tombstones_.find(key);
    if (tomb != tombstones_.end()) {
        const bool newer = src_ts_ms > tomb->second.src_ts_ms && rcv > tomb->second.rcv_ts;
        if (!newer) return MergeResult::stale;
        erase_tombstone(tomb, false);  // the instance's entry follows
    }
    Service& service = services_[spec.service];
    switch (accept(service, service.instances.find(spec.id), spec, src_ts_ms, rcv)) {
        case Accepted::created: return MergeResult::created;
        case Accepted::updated: return MergeResult::updated;
        case Accepted::renewed: break;
    }
    return MergeResult::renewed;
}

MergeResult Registry::merge_tombstone(const InstanceKey& key, std::int64_t src_ts_ms,
                                      std::int64_t age_ms, std::int64_t keep_ms) {
    const MonoMs now = clock_.mono_ms();
    const MonoMs rcv = now - std::max<std::int64_t>(age_ms, 0);
    const std::int64_t keep = std::max(keep_ms, options_.tombstone_ms);
    if (now - rcv > keep) return MergeResult::expired;

    auto tomb = tombstones_.find(key);
    if (tomb != tombstones_.end()) {
        if (src_ts_ms <= tomb->second.src_ts_ms) return MergeResult::stale;
        put_tombstone(key, Tombstone{src_ts_ms, rcv, index_, std::max(keep, keep_of(tomb->second)), 0});
        return MergeResult::tombstoned;
    }
    auto sit = services_.find(key.first);
    if (sit != services_.end()) {
        auto iit = sit->second.instances.find(key.second);
        if (iit != sit->second.instances.end()) {
            const Instance& live = iit->second;
            // The same rule as merge(), seen from the other side: the copy survives only if
            // it is newer both by src_ts and by when it was heard.
            if (live.src_ts_ms > src_ts_ms && live.rcv_ts > rcv) return MergeResult::stale;
            erase_instance(sit->second, sit->first, key.second);
            sit->second.last_live = now;
            put_tombstone(key, Tombstone{src_ts_ms, rcv, index_, keep, 0});
            ++deregistered_total_;
            return MergeResult::deleted;
        }
    }
    // Nothing here to remove, but the tombstone must travel on and stop older copies.
    put_tombstone(key, Tombstone{src_ts_ms, rcv, index_, keep, 0});
    return MergeResult::tombstoned;
}

void Registry::put_tombstone(const InstanceKey& key, const Tombstone& tombstone) {
    // A restore puts tombstones in key order: appending at the end then costs no search.
    const bool last = tombstones_.empty() || std::prev(tombstones_.end())->first < key;
    auto it = last ? tombstones_.emplace_hint(tombstones_.end(), key, Tombstone{})
                   : tombstones_.try_emplace(key).first;
    const std::uint64_t seq = it->second.change_seq;
    it->second = tombstone;
    it->second.change_seq = seq;  // log_change moves the entry, keeping one per key
    housekeeping_stale_ = true;
    touch(key.first, key.second);
    log_change(*it);
}

void Registry::erase_tombstone(TombstoneMap::iterator it, bool loses_news) {
    touch(it->first.first, it->first.second);
    unlog(it->second.change_seq, loses_news);
    tombstones_.erase(it);
    housekeeping_stale_ = true;
}

void Registry::kill_log_entry(std::uint64_t seq) {
    auto it = std::lower_bound(change_log_.begin(), change_log_.end(), seq,
                               [](const LogEntry& e, std::uint64_t s) { return e.seq < s; });
    if (it == change_log_.end() || it->seq != seq || it->ref.null()) return;
    it->ref = LogRef();
    ++dead_log_entries_;
    if (dead_log_entries_ * 4 < change_log_.size() - dead_log_entries_ || dead_log_entries_ < 64) return;
    change_log_.erase(std::remove_if(change_log_.begin(), change_log_.end(),
                                     [](const LogEntry& e) { return e.ref.null(); }),
                      change_log_.end());
    dead_log_entries_ = 0;
}

std::uint64_t Registry::next_log_seq(std::uint64_t previous, LogRef ref) {
    if (previous != 0) kill_log_entry(previous);
    ++change_seq_;
    // Sequence numbers only rise: the new entry goes at the end.
    change_log_.push_back(LogEntry{change_seq_, ref, clock_.mono_ms()});
    return change_seq_;
}

void Registry::log_change(Instance& instance, MonoMs rcv_ts) {
    instance.change_seq = next_log_seq(instance.change_seq, LogRef(&instance));
    instance.logged_rcv = rcv_ts;
}

void Registry::log_change(TombstoneEntry& tombstone) {
    tombstone.second.change_seq = next_log_seq(tombstone.second.change_seq, LogRef(&tombstone));
}

void Registry::log_renewal(Instance& instance, MonoMs rcv_ts, std::int64_t ttl_ms) {
    // Every heartbeat relayed to every node would cost a full spread per heartbeat; a quarter of
    // the lease is the most a peer's copy lags behind, far from the lease's end.
    if (instance.change_seq != 0 && rcv_ts - instance.logged_rcv < ttl_ms / 4) return;
    log_change(instance, rcv_ts);
}

void Registry::unlog(std::uint64_t& seq, bool loses_news) {
    if (seq == 0) return;
    if (loses_news) history_floor_ = std::max(history_floor_, seq);
    kill_log_entry(seq);
    seq = 0;
}

InstanceCopy Registry::copy_of(const Instance& instance, MonoMs now) const {
    return InstanceCopy{instance.spec, instance.src_ts_ms, now - instance.rcv_ts};
}

TombstoneCopy Registry::copy_of(const InstanceKey& key, const Tombstone& t, MonoMs now) const {
    return TombstoneCopy{key, t.src_ts_ms, now - t.rcv_ts, keep_of(t)};
}

void Registry::append(ChangeSet& out, LogRef ref, MonoMs now) const {
    if (const Instance* inst = ref.instance()) {
        // An expired copy kept by self-preservation is dead on arrival anywhere: not sent.
        if (!inst->expired(now)) out.instances.push_back(copy_of(*inst, now));
        return;
    }
    const TombstoneEntry& t = *ref.tombstone();
    out.tombstones.push_back(copy_of(t.first, t.second, now));
}

void Registry::append(ChangeSet& out, const InstanceKey& key, MonoMs now) const {
    if (const Instance* inst = find(key.first, key.second)) {
        // An expired copy kept by self-preservation is dead on arrival anywhere: not sent.
        if (!inst->expired(now)) out.instances.push_back(copy_of(*inst, now));
        return;
    }
    auto tomb = tombstones_.find(key);
    if (tomb != tombstones_.end()) out.tombstones.push_back(copy_of(key, tomb->second, now));
}

std::optional<ChangeSet> Registry::changes_since(std::uint64_t seq) const {
    if (seq < history_floor_ || seq > change_seq_) return std::nullopt;
    const MonoMs now = clock_.mono_ms();
    ChangeSet out;
    out.from_seq = seq;
    out.to_seq = change_seq_;
    auto it = std::upper_bound(change_log_.begin(), change_log_.end(), seq,
                               [](std::uint64_t s, const LogEntry& e) { return s < e.seq; });
    for (; it != change_log_.end(); ++it)
        if (!it->ref.null()) append(out, it->ref, now);
    return out;
}

ChangeSet Registry::changes_within(std::int64_t window_ms) const {
    const MonoMs now = clock_.mono_ms();
    ChangeSet out;
    out.to_seq = change_seq_;
    out.from_seq = change_seq_;
    // Sequence order is time order: walk back from the newest until the window's start.
    for (auto it = change_log_.rbegin(); it != change_log_.rend(); ++it) {
        if (it->ref.null()) continue;
        if (now - it->at > window_ms) break;
        out.from_seq = it->seq - 1;
        append(out, it->ref, now);
    }
    return out;
}

void Registry::append_copies(ChangeSet& out, const std::vector<InstanceKey>& keys) const {
    const MonoMs now = clock_.mono_ms();
    for (const auto& key : keys) append(out, key, now);
}

std::vector<InstanceKey> Registry::expiring_soon(std::size_t limit) const {
    const MonoMs now = clock_.mono_ms();
    std::vector<std::pair<std::int64_t, const Instance*>> soon;
    const auto consider = [&](const Instance& inst) {
        if (inst.remaining_ms(now) < inst.spec.ttl_ms / 3) soon.emplace_back(inst.remaining_ms(now), &inst);
    };
    // Less than a third of its ttl left means less than a third of the longest: only the
    // deadline heap's earliest entries can qualify, so each gossip round looks at those rather
    // than every instance (tens of milliseconds at 500,000). Held instances are not in it.
    for_each_ending_before(now + longest_ttl_ms_ / 3, consider);
    const std::size_t n = std::min(limit, soon.size());
    std::partial_sort(soon.begin(), soon.begin() + static_cast<std::ptrdiff_t>(n), soon.end(),
                      [](const auto& a, const auto& b) {  // the most urgent, then by key
                          return std::tie(a.first, a.second->spec.service, a.second->spec.id) <
                                 std::tie(b.first, b.second->spec.service, b.second->spec.id);
                      });
    std::vector<InstanceKey> out;
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(soon[i].second->spec.service, soon[i].second->spec.id);
    return out;
}

ChangeSet Registry::full_state() const {
    const MonoMs now = clock_.mono_ms();
    ChangeSet out;
    out.to_seq = change_seq_;
    for (const auto& [name, service] : services_)
        for (const auto& [id, inst] : service.instances)
            if (!inst.expired(now)) out.instances.push_back(copy_of(inst, now));
    for (const auto& [key, t] : tombstones_) out.tombstones.push_back(copy_of(key, t, now));
    return out;
}

std::optional<MonoMs> Registry::next_deadline() const {
    std::optional<MonoMs> next;
    // Expiry happens once now - rcv_ts > ttl, i.e. one millisecond after the lease end.
    if (!deadlines_.empty()) next = deadlines_.top().at + 1;
    auto earlier = [&](MonoMs t) { if (!next || t < *next) next = t; };
    if (housekeeping_stale_) {
        housekeeping_next_.reset();
        auto sooner = [&](MonoMs t) { if (!housekeeping_next_ || t < *housekeeping_next_) housekeeping_next_ = t; };
        for (const auto& [key, tomb] : tombstones_) sooner(tomb.rcv_ts + keep_of(tomb) + 1);
        for (const std::string& name : empty_services_)
            if (const auto it = services_.find(name); it != services_.end())
                sooner(it->second.last_live + options_.known_service_ms + 1);
        housekeeping_stale_ = false;
    }
    if (housekeeping_next_) earlier(*housekeeping_next_);
    return next;
}

void Registry::restore_instance(InstanceSpec spec, std::int64_t src_ts_ms,
                                std::int64_t remaining_ms) {
    const MonoMs now = clock_.mono_ms();
    // Snapshots list instances by service: the service is most often the last one, or new
    // and after it (a million look-ups by name cost a noticeable part of a restore).
    const bool last = !services_.empty() && std::prev(services_.end())->first == spec.service;
    const bool after = services_.empty() || std::prev(services_.end())->first < spec.service;
    auto& service = last    ? std::prev(services_.end())->second
                    : after ? services_.emplace_hint(services_.end(), spec.service, Service{})->second
                            : services_[spec.service];
    service.last_live = now;
    touch(spec.service, spec.id);
    if (service.instances.empty() && !empty_services_.empty()) empty_services_.erase(spec.service);
    // Ids come in order within a service too.
    const bool id_last = service.instances.empty() || std::prev(service.instances.end())->first < spec.id;
    auto [it, inserted] = id_last ? std::pair{service.instances.emplace_hint(service.instances.end(), spec.id, Instance{}), true}
                                  : service.instances.try_emplace(spec.id);
    Instance& inst = it->second;
    if (inserted) {
        ++instance_count_;
    } else {  // the same key twice in a file: the later entry wins, as it always did
        unlog(inst.change_seq, false);
        unschedule(inst);
    }
    count_spec(inserted ? nullptr : &inst.spec, &spec);
    inst.spec = std::move(spec);
    inst.src_ts_ms = src_ts_ms;
    // Place rcv_ts in the past so that exactly remaining_ms of the lease is left.
    inst.rcv_ts = now + remaining_ms - inst.spec.ttl_ms;
    inst.lease = std::make_shared<LeaseCell>(inst.expires_at());
    // A restore rebuilds everything after it; whole services keep the change list small.
    inst.modify_index = bump(service, inst.spec.service, nullptr);
    schedule(inst);
    log_change(inst, inst.rcv_ts);
}

void Registry::restore_tombstone(const InstanceKey& key, std::int64_t src_ts_ms,
                                 std::int64_t age_ms) {
    put_tombstone(key, Tombstone{src_ts_ms, clock_.mono_ms() - age_ms, index_, 0, 0});
}

void Registry::restore_known_service(const std::string& service, std::int64_t idle_ms) {
    auto& s = services_[service];
    s.last_live = clock_.mono_ms() - idle_ms;
    if (s.instances.empty()) empty_services_.insert(service);
    housekeeping_stale_ = true;
    touch(service, {});
    bump(s, service, nullptr);
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

ChangedServices Registry::take_changed() {
    ChangedServices out;
    std::swap(out, changed_);
    return out;
}

}  // namespace dnsd::registry
