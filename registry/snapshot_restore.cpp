#include "registry/snapshot_restore.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace dnsd::registry {

namespace {

// For each service that lost instances while dnsd was down: how long ago the latest lease ended.
using ExpiredServices = std::map<std::string, std::int64_t, std::less<>>;

void note_expired(ExpiredServices& expired, const std::string& service, std::int64_t idle_ms) {
    auto it = expired.find(service);
    if (it == expired.end())
        expired.emplace(service, idle_ms);
    else
        it->second = std::min(it->second, idle_ms);
}

}  // namespace

RestoreCounts restore_snapshot(SnapshotData&& data, Registry& registry) {
    RestoreCounts counts;
    // Decoded wall times and durations are bounded (snapshot_limit), so none of this overflows.
    counts.downtime_ms =
        std::max<std::int64_t>(0, registry.clock().wall_ms() - data.written_wall_ms);
    const std::int64_t downtime = counts.downtime_ms;

    for (const SnapshotTombstone& t : data.tombstones) {
        registry.restore_tombstone(t.key, t.src_ts_ms, t.age_ms + downtime);
        ++counts.tombstones;
    }
    for (const SnapshotKnownService& s : data.known_services) {
        registry.restore_known_service(s.service, s.idle_ms + downtime);
        ++counts.known_services;
    }

    ExpiredServices expired;
    for (SnapshotInstance& inst : data.instances) {
        // Alive at exactly 0 left, as Instance::expired() counts it.
        if (inst.remaining_ms < downtime) {
            note_expired(expired, inst.spec.service, downtime - inst.remaining_ms);
            ++counts.expired_while_down;
            continue;
        }
        registry.restore_instance(std::move(inst.spec), inst.src_ts_ms,
                                  inst.remaining_ms - downtime);
        ++counts.instances;
    }
    for (const auto& [service, idle_ms] : expired) {
        const Service* s = registry.find(service);
        if (s && !s->instances.empty()) continue;  // still has live instances
        registry.restore_known_service(service, idle_ms);
        ++counts.known_services;
    }

    registry.restore_index(data.index);
    registry.finish_restore();
    return counts;
}

}  // namespace dnsd::registry
