#include "registry/snapshot_capture.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include "registry/prefault.hpp"

namespace dnsd::registry {

namespace {

// The state of one instance as captured, its lease end still an instant.
SnapshotInstance walked_instance(const Instance& inst) {
    return SnapshotInstance{inst.spec, inst.src_ts_ms, inst.expires_at()};
}

bool key_less(const SnapshotInstance& a, const SnapshotInstance& b) {
    if (a.spec.service != b.spec.service) return a.spec.service < b.spec.service;
    return a.spec.id < b.spec.id;
}

bool is_touched(const std::vector<InstanceKey>& touched, std::string_view service,
                std::string_view id) {
    // The order of InstanceKey (pair of strings), without building one per look-up.
    const auto before = [](const InstanceKey& k, std::pair<std::string_view, std::string_view> v) {
        return k.first != v.first ? std::string_view(k.first) < v.first : std::string_view(k.second) < v.second;
    };
    auto it = std::lower_bound(touched.begin(), touched.end(), std::pair{service, id}, before);
    return it != touched.end() && it->first == service && it->second == id;
}

// The walked entries not touched since, merged with the re-read ones; both are in key order.
template <typename T, typename Stale, typename Less>
std::vector<T> merged(std::vector<T>&& walked, std::vector<T>&& reread, Stale stale, Less less) {
    std::vector<T> out;
    out.reserve(walked.size() + reread.size());
    auto r = reread.begin();
    for (T& w : walked) {
        if (stale(w)) continue;
        while (r != reread.end() && less(*r, w)) out.push_back(std::move(*r++));
        out.push_back(std::move(w));
    }
    std::move(r, reread.end(), std::back_inserter(out));
    return out;
}

}  // namespace

std::vector<SnapshotInstance> SlicedCapture::storage_for(std::size_t instances) {
    std::vector<SnapshotInstance> storage;
    // Heartbeats keep registering while the writer prepares this and the capture walks:
    // an eighth more, so that the walk does not outgrow it and move every copy made so far.
    storage.reserve(instances + instances / 8 + 1024);
    prefault(storage.data(), storage.capacity() * sizeof(SnapshotInstance));
    return storage;
}

SlicedCapture::SlicedCapture(Registry& registry, std::vector<SnapshotInstance> storage)
    : registry_(registry) {
    registry_.watch_touched(true);
    storage.clear();
    parts_.walked.instances = std::move(storage);
    parts_.walked.instances.reserve(registry_.instance_count());  // nothing when storage had room
}

SlicedCapture::~SlicedCapture() { registry_.watch_touched(false); }

bool SlicedCapture::step(std::size_t budget) {
    std::size_t copied = 0;
    if (stage_ == Stage::instances) {
        if (!walk_instances(budget, copied)) return false;
        stage_ = Stage::tombstones;
    }
    if (stage_ == Stage::tombstones) {
        if (!walk_tombstones(budget, copied)) return false;
        stage_ = Stage::catching_up;
    }
    return catch_up(budget, copied);
}

bool SlicedCapture::walk_instances(std::size_t budget, std::size_t& copied) {
    const ServiceMap& services = registry_.services();
    for (auto sit = services.lower_bound(next_service_); sit != services.end(); ++sit) {
        const auto& [name, service] = *sit;
        const bool resuming = after_id_ && name == next_service_;
        if (!resuming && service.instances.empty())
            parts_.walked.known_services.push_back({name, service.last_live});
        auto iit = resuming ? service.instances.upper_bound(*after_id_) : service.instances.begin();
        for (; iit != service.instances.end(); ++iit, ++copied) {
            if (copied >= budget) {  // go on from here next time
                next_service_ = name;
                if (iit == service.instances.begin()) after_id_.reset();
                else after_id_ = std::prev(iit)->first;
                return false;
            }
            parts_.walked.instances.push_back(walked_instance(iit->second));
        }
    }
    return true;
}

bool SlicedCapture::walk_tombstones(std::size_t budget, std::size_t& copied) {
    const TombstoneMap& tombstones = registry_.tombstones();
    auto it = after_tombstone_ ? tombstones.upper_bound(*after_tombstone_) : tombstones.begin();
    for (; it != tombstones.end(); ++it, ++copied) {
        if (copied >= budget) {
            if (it != tombstones.begin()) after_tombstone_ = std::prev(it)->first;
            return false;
        }
        parts_.walked.tombstones.push_back({it->first, it->second.src_ts_ms, it->second.rcv_ts});
    }
    return true;
}

// Keys touched during a long walk (heartbeats keep arriving) can be many: they are re-read in
// slices too, each round shorter than the one before, until what is left fits one slice.
bool SlicedCapture::catch_up(std::size_t budget, std::size_t& copied) {
    for (;;) {
        while (next_pending_ < pending_.size()) {
            if (copied >= budget) return false;
            reread(pending_[next_pending_++]);
            ++copied;
        }
        std::vector<InstanceKey> fresh = registry_.take_touched();
        pending_.clear();
        next_pending_ = 0;
        // Changes arriving as fast as the rounds re-read them would never let it end: after a
        // few rounds finish() takes the rest, about one round's worth of changes.
        if (fresh.size() + copied <= budget || ++rounds_ > max_rounds) {
            final_keys_ = std::move(fresh);  // finish() re-reads these, in the same turn
            return true;
        }
        pending_ = with_services(std::move(fresh));
    }
}

std::vector<InstanceKey> SlicedCapture::with_services(std::vector<InstanceKey> keys) {
    // A touched instance may change whether its service is known without instances: its
    // service is re-read as {service, ""}.
    const std::size_t n = keys.size();
    for (std::size_t i = 0; i < n; ++i) keys.emplace_back(keys[i].first, std::string());
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

void SlicedCapture::reread(const InstanceKey& key) {
    RereadEntry& r = reread_[key];
    r = RereadEntry{};
    if (key.second.empty()) {
        if (const Service* s = registry_.find(key.first); s && s->instances.empty())
            r.known_last_live = s->last_live;
        return;
    }
    if (const Instance* inst = registry_.find(key.first, key.second)) r.instance = walked_instance(*inst);
    if (auto t = registry_.tombstones().find(key); t != registry_.tombstones().end())
        r.tombstone = SnapshotTombstone{key, t->second.src_ts_ms, t->second.rcv_ts};
}

CaptureParts SlicedCapture::finish() {
    parts_.now = registry_.clock().mono_ms();
    parts_.walked.written_wall_ms = registry_.clock().wall_ms();
    parts_.walked.index = registry_.index();
    // Normally just final_keys_; after a step that did not complete, everything outstanding.
    std::vector<InstanceKey> last = std::move(final_keys_);
    for (std::size_t i = next_pending_; i < pending_.size(); ++i) last.push_back(pending_[i]);
    for (InstanceKey& key : registry_.take_touched()) last.push_back(std::move(key));
    registry_.watch_touched(false);
    for (const InstanceKey& key : with_services(std::move(last))) reread(key);
    parts_.reread = std::move(reread_);  // O(1): see CaptureParts::reread
    reread_.clear();
    return std::move(parts_);
}

SnapshotData CaptureParts::assemble() && {
    // The touched keys and their re-read state as sorted lists, in key order as the map holds
    // them.
    std::vector<InstanceKey> keys;
    SnapshotData fresh;
    keys.reserve(reread.size());
    for (auto& [key, r] : reread) {
        keys.push_back(key);
        if (r.instance) fresh.instances.push_back(std::move(*r.instance));
        if (r.tombstone) fresh.tombstones.push_back(std::move(*r.tombstone));
        if (r.known_last_live) fresh.known_services.push_back({key.first, *r.known_last_live});
    }
    reread.clear();

    SnapshotData out;
    out.written_wall_ms = walked.written_wall_ms;
    out.index = walked.index;
    out.instances = merged(
        std::move(walked.instances), std::move(fresh.instances),
        [&](const SnapshotInstance& i) { return is_touched(keys, i.spec.service, i.spec.id); }, key_less);
    out.tombstones = merged(
        std::move(walked.tombstones), std::move(fresh.tombstones),
        [&](const SnapshotTombstone& t) { return is_touched(keys, t.key.first, t.key.second); },
        [](const SnapshotTombstone& a, const SnapshotTombstone& b) { return a.key < b.key; });
    out.known_services = merged(
        std::move(walked.known_services), std::move(fresh.known_services),
        [&](const SnapshotKnownService& k) { return is_touched(keys, k.service, {}); },
        [](const SnapshotKnownService& a, const SnapshotKnownService& b) { return a.service < b.service; });
    // Instants to durations, all measured at finish(): as if captured whole then.
    for (SnapshotInstance& i : out.instances) i.remaining_ms -= now;
    for (SnapshotTombstone& t : out.tombstones) t.age_ms = now - t.age_ms;
    for (SnapshotKnownService& k : out.known_services) k.idle_ms = now - k.idle_ms;
    return out;
}

}  // namespace dnsd::registry
