#pragma once
// A capture of what cache.json holds, taken in slices so that the control thread never stops
// for the whole registry: at 500,000 instances one capture_snapshot() took a few hundred
// milliseconds, and every heartbeat that arrived meanwhile waited (DNS visibility outliers).
//
// step() copies the next few thousand entries in key order; between steps the control thread
// runs other work, and the registry notes every key it touches (Registry::watch_touched).
// After the walk, further steps re-read the touched keys, in rounds, until what is left fits
// one step; finish(), in the same turn as the step that returned true, re-reads those. The
// parts then make, on any thread (assemble()), exactly what capture_snapshot() would have
// given at the moment of finish(): every entry as it was then, every duration measured then.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "registry/snapshot_format.hpp"

namespace dnsd::registry {

// The latest state of a key touched since a capture's walk began, as last re-read (nothing
// set: the key is gone); the walked copy of such a key is out of date.
struct RereadEntry {
    std::optional<SnapshotInstance> instance;
    std::optional<SnapshotTombstone> tombstone;
    std::optional<MonoMs> known_last_live;  // for {service, ""}
};

// The pieces of a sliced capture; assemble() on the writer thread makes the SnapshotData.
struct CaptureParts {
    // Copied slice by slice. Durations hold instants until assemble(): remaining_ms the lease
    // end, age_ms the tombstone's rcv_ts, idle_ms the service's last_live (all MonoMs).
    SnapshotData walked;
    // The keys touched during the walk and their state at finish(), in the same form. Handed
    // over as the map they were gathered in: turning tens of thousands of them into sorted
    // lists is the writer thread's work (assemble()), not a pause of the control thread.
    std::map<InstanceKey, RereadEntry> reread;
    MonoMs now = 0;  // when finish() ran: what every duration is measured against

    SnapshotData assemble() &&;
};

class SlicedCapture {
public:
    // Room for the copies of `instances` instances and the few that may come while the capture
    // runs, faulted in (registry/prefault.hpp). Made on the snapshot writer thread, so that the
    // control thread, filling it slice by slice, does not stop for page faults: at 500,000
    // instances the copies take 110 MiB, and the faults were the longest pauses of a capture.
    static std::vector<SnapshotInstance> storage_for(std::size_t instances);

    // Starts watching the registry's changes. `storage`: an empty vector whose capacity the
    // copies go into (storage_for()); with too little, the copies make their own room.
    explicit SlicedCapture(Registry& registry, std::vector<SnapshotInstance> storage = {});
    ~SlicedCapture();                             // stops watching
    SlicedCapture(const SlicedCapture&) = delete;
    SlicedCapture& operator=(const SlicedCapture&) = delete;

    // Copies about `budget` more entries; true once every entry has been walked.
    bool step(std::size_t budget);
    // After step() returned true, in the same turn of the control thread.
    CaptureParts finish();

private:
    enum class Stage { instances, tombstones, catching_up };
    bool walk_instances(std::size_t budget, std::size_t& copied);
    bool walk_tombstones(std::size_t budget, std::size_t& copied);
    bool catch_up(std::size_t budget, std::size_t& copied);
    static std::vector<InstanceKey> with_services(std::vector<InstanceKey> keys);
    void reread(const InstanceKey& key);

    Registry& registry_;
    CaptureParts parts_;
    Stage stage_ = Stage::instances;
    // Where the walk goes on: service next_service_ (from its start, or after instance
    // after_id_), then the tombstones after after_tombstone_. Keys, not iterators: the
    // registry changes between steps.
    std::string next_service_;
    std::optional<std::string> after_id_;
    std::optional<InstanceKey> after_tombstone_;

    // Every key touched since the walk began, as last re-read (RereadEntry).
    std::map<InstanceKey, RereadEntry> reread_;
    std::vector<InstanceKey> pending_;  // being re-read, sorted, from next_pending_ on
    std::size_t next_pending_ = 0;
    std::vector<InstanceKey> final_keys_;  // what finish() re-reads
    static constexpr int max_rounds = 8;
    int rounds_ = 0;
};

}  // namespace dnsd::registry
