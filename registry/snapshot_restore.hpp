#pragma once
// Puts a decoded snapshot into a Registry, ageing it by the time dnsd was down.
#include <cstddef>
#include <cstdint>

#include "registry/registry.hpp"
#include "registry/snapshot_format.hpp"

namespace dnsd::registry {

struct RestoreCounts {
    std::int64_t downtime_ms = 0;        // wall time between writing and restoring (never negative)
    std::size_t instances = 0;           // restored with the rest of their lease
    std::size_t expired_while_down = 0;  // lease ran out before dnsd came back: not restored
    std::size_t tombstones = 0;
    std::size_t known_services = 0;  // services restored with no live instance
};

// The monotonic clock restarts with the node, so the downtime is measured on the wall clock:
// max(0, wall now - wall at writing); a wall clock set back counts as no downtime. Every lease
// loses the downtime, every tombstone and idle service ages by it. A service whose instances all
// expired while down stays known (NODATA, not NXDOMAIN) as if it had expired while running.
// The saved index goes to Registry::restore_index, which lifts the index and every service's
// index above it: a blocking query holding an index from before the restart returns at once.
RestoreCounts restore_snapshot(SnapshotData&& data, Registry& registry);

}  // namespace dnsd::registry
