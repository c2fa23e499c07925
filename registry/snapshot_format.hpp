#pragma once
// The cache.json format: one vocabulary shared by the encoder and the decoder, and the decoded
// content in memory. Durations are stored, never monotonic instants: this node's monotonic clock
// starts again at every boot, so only "how much was left" and the wall time of writing survive.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "registry/clock.hpp"
#include "registry/instance.hpp"
#include "registry/registry.hpp"

namespace dnsd::registry {

// Bump on any change an older dnsd could misread; the decoder refuses versions it does not know.
inline constexpr std::int64_t snapshot_format_version = 1;

namespace snapshot_key {
inline constexpr std::string_view format_version = "format_version";
inline constexpr std::string_view written_wall_ms = "written_wall_ms";
inline constexpr std::string_view index = "index";
inline constexpr std::string_view instances = "instances";
inline constexpr std::string_view tombstones = "tombstones";
inline constexpr std::string_view known_services = "known_services";

inline constexpr std::string_view service = "service";
inline constexpr std::string_view id = "id";
inline constexpr std::string_view address = "address";
inline constexpr std::string_view port = "port";
inline constexpr std::string_view version = "version";
inline constexpr std::string_view weight = "weight";
inline constexpr std::string_view priority = "priority";
inline constexpr std::string_view meta = "meta";
inline constexpr std::string_view ttl_ms = "ttl_ms";
inline constexpr std::string_view node = "node";
inline constexpr std::string_view src_ts_ms = "src_ts_ms";
inline constexpr std::string_view remaining_ms = "remaining_ms";
inline constexpr std::string_view age_ms = "age_ms";
inline constexpr std::string_view idle_ms = "idle_ms";
}  // namespace snapshot_key

namespace snapshot_limit {
// SPEC.md: a heartbeat's ttl is 1 to 86400 seconds.
inline constexpr std::int64_t min_ttl_ms = 1;
inline constexpr std::int64_t max_ttl_ms = 86'400'000;
// Bounds every stored duration and wall time (2^53 ms is 285,000 years), so that ageing them by
// the downtime can never overflow: any real file is far inside, a damaged one is refused.
inline constexpr std::int64_t max_duration_ms = std::int64_t{1} << 53;
}  // namespace snapshot_limit

struct SnapshotInstance {
    InstanceSpec spec;
    std::int64_t src_ts_ms = 0;
    std::int64_t remaining_ms = 0;  // of the lease, when written; negative if already over
};

struct SnapshotTombstone {
    InstanceKey key;
    std::int64_t src_ts_ms = 0;
    std::int64_t age_ms = 0;  // how long ago the deregistration was, when written
};

struct SnapshotKnownService {
    std::string service;
    std::int64_t idle_ms = 0;  // how long it had been without a live instance, when written
};

struct SnapshotData {
    WallMs written_wall_ms = 0;
    std::uint64_t index = 0;
    std::vector<SnapshotInstance> instances;
    std::vector<SnapshotTombstone> tombstones;
    std::vector<SnapshotKnownService> known_services;
};

}  // namespace dnsd::registry
