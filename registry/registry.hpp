#pragma once
// The registry: the one writer of instance state. Not thread-safe by design: it lives on the
// control strand; readers on other threads see only published snapshots built from it.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "registry/changed_services.hpp"
#include "registry/clock.hpp"
#include "registry/expiry_heap.hpp"
#include "registry/instance.hpp"

namespace dnsd::registry {

struct RegistryOptions {
    // How long a deregistration is remembered, so that older copies cannot bring it back.
    std::int64_t tombstone_ms = 3'600'000;
    // How long a service with no live instance stays known (answered NODATA, not NXDOMAIN).
    std::int64_t known_service_ms = 3'600'000;
    // A tombstone is kept at least the killed instance's lease plus this, so that it outlives
    // any copy of that instance still travelling between nodes (a lease of a day beats an hour).
    std::int64_t tombstone_margin_ms = 300'000;
};

// A deregistered instance: its src_ts outranks every older copy still in flight.
// rcv_ts is when the deregistration happened, on this node's clock (a relayed tombstone is
// placed back by its carried age), so every node forgets it at about the same moment.
struct Tombstone {
    std::int64_t src_ts_ms = 0;
    MonoMs rcv_ts = 0;
    std::uint64_t modify_index = 0;
    std::int64_t keep_ms = 0;  // how long it is remembered; 0: RegistryOptions::tombstone_ms
    std::uint64_t change_seq = 0;  // its entry in the registry's change log; 0: none
};

struct Service {
    std::uint64_t modify_index = 0;  // registry index of the last change to this service
    MonoMs last_live = 0;            // when it last had a live instance (known-service memory)
    std::map<std::string, Instance> instances;  // by id
};

using ServiceMap = std::map<std::string, Service, std::less<>>;
using InstanceKey = std::pair<std::string, std::string>;  // (service, id)
using TombstoneMap = std::map<InstanceKey, Tombstone>;

enum class RenewResult {
    created,  // a new instance (or one back from a tombstone)
    updated,  // known instance, some field changed
    renewed,  // known instance, same fields: only the lease moved
    stale,    // src_ts not newer than what we hold (or the tombstone): nothing changed
};

// What a peer relays about an entry. Durations, never instants: the receiver's clocks are not
// the sender's. age_ms is how long ago the source heard the heartbeat (or made the tombstone),
// so the receiver places rcv_ts that far back and the copy's lease is never extended by travel.
struct InstanceCopy {
    InstanceSpec spec;
    std::int64_t src_ts_ms = 0;
    std::int64_t age_ms = 0;
    bool operator==(const InstanceCopy&) const = default;
};

struct TombstoneCopy {
    InstanceKey key;
    std::int64_t src_ts_ms = 0;
    std::int64_t age_ms = 0;
    std::int64_t keep_ms = 0;
    bool operator==(const TombstoneCopy&) const = default;
};

// Entries changed on this node between two change sequence numbers (from_seq, to_seq].
struct ChangeSet {
    std::uint64_t from_seq = 0;
    std::uint64_t to_seq = 0;
    std::vector<InstanceCopy> instances;
    std::vector<TombstoneCopy> tombstones;
    bool empty() const { return instances.empty() && tombstones.empty(); }
    bool operator==(const ChangeSet&) const = default;
};

enum class MergeResult {
    created,     // the copy is new here (or beat a tombstone)
    updated,     // newer copy with other fields
    renewed,     // newer copy, same fields: only the lease moved
    deleted,     // the tombstone removed a live copy
    tombstoned,  // the tombstone is new or newer here; nothing live was removed
    stale,       // not newer than what this node holds: nothing changed
    expired,     // dead on arrival: its lease (or memory) was used up before it got here
};

// Whether a merge taught this node something its peers may not know yet.
constexpr bool is_news(MergeResult r) {
    return r != MergeResult::stale && r != MergeResult::expired;
}

struct RenewOutcome {
    RenewResult result;
    std::uint64_t index;        // the registry index after the call
    std::int64_t src_ts_ms;     // the src_ts the instance now carries
};

class Registry {
public:
    explicit Registry(const Clock& clock, RegistryOptions options = {});

    // Registers or renews. Without src_ts the node assigns one strictly newer than any it
    // knows for this key (instance or tombstone), on its wall clock.
    RenewOutcome renew(InstanceSpec spec, std::optional<std::int64_t> src_ts_ms = std::nullopt);

    // Removes a live instance now and leaves a tombstone. False when no live instance exists.
    bool deregister(std::string_view service, std::string_view id);

    // Removes expired instances, tombstones past their time and services unknown for too long.
    // Returns the number of instances that expired.
    std::size_t sweep();

    // --- Gossip: merging copies relayed by peers --------------------------------------------
    // Copy against copy: the newer src_ts wins (both come from the same source's clock, or from
    // nodes that assign strictly newer stamps). Copy against tombstone: the copy wins only if it
    // is newer by src_ts AND its heartbeat was heard after the deregistration (compared through
    // carried ages, i.e. local durations), so a copy made before the deregistration on a node
    // whose wall clock runs an hour ahead cannot bring the instance back.
    MergeResult merge(const InstanceSpec& spec, std::int64_t src_ts_ms, std::int64_t age_ms);
    MergeResult merge(const InstanceCopy& copy) { return merge(copy.spec, copy.src_ts_ms, copy.age_ms); }
    MergeResult merge_tombstone(const InstanceKey& key, std::int64_t src_ts_ms, std::int64_t age_ms,
                                std::int64_t keep_ms = 0);
    MergeResult merge(const TombstoneCopy& t) {
        return merge_tombstone(t.key, t.src_ts_ms, t.age_ms, t.keep_ms);
    }

    // --- Gossip: the change log behind delta exchange -----------------------------------------
    // Every change a peer must hear about (created, updated, deregistered, and renewals once
    // their lease has moved by a quarter of the ttl since last logged) gets the next change
    // sequence number. Unlike index(), it rises on renewals: peers need fresh leases, consumers
    // of the index (SOA serial, blocking queries) do not. Each entry keeps only its latest
    // number, so the log is as large as the registry, whatever the history.
    std::uint64_t change_seq() const { return change_seq_; }
    // Changes after `seq` are complete only from here on: forgotten tombstones took their news
    // with them. Expiries are not news (every node expires by its own lease).
    std::uint64_t history_floor() const { return history_floor_; }
    // Entries whose latest change is after `seq`; nullopt when the history is gone (seq below
    // the floor) or seq comes from another life of this node (above change_seq()): ask for all.
    std::optional<ChangeSet> changes_since(std::uint64_t seq) const;
    // Entries changed on this node in the last window_ms: for a peer never exchanged with.
    ChangeSet changes_within(std::int64_t window_ms) const;
    // Everything live and every tombstone: a restarted peer's catch-up.
    ChangeSet full_state() const;
    // Adds this node's live copy or tombstone of each key to `out` (incremental probing).
    void append_copies(ChangeSet& out, const std::vector<InstanceKey>& keys) const;
    // Keys of live instances whose remaining lease is below a third of their ttl, the most
    // urgent first, at most `limit`: what a pull asks its peers to refresh.
    std::vector<InstanceKey> expiring_soon(std::size_t limit) const;

    // --- Self-preservation (see gossip_self_preservation.hpp) ---------------------------------
    // Instances whose lease is over now, except those of `except_service` (held ones included).
    std::size_t due_expiries(std::string_view except_service) const;
    // A sweep that evicts only instances of `evictable_service`; every other expired instance
    // stays, and its shared lease cell reads `serve_until` so DNS keeps answering it. Its own
    // rcv_ts is untouched: gossip still sees it as expired and never relays it.
    std::size_t sweep_holding(std::string_view evictable_service, MonoMs serve_until);
    std::size_t held_count() const { return held_.size(); }

    // The earliest moment at which sweep() has something to do, if any.
    std::optional<MonoMs> next_deadline() const;

    // Restoring from a snapshot: ages are how much of the lease / memory was already used.
    void restore_instance(InstanceSpec spec, std::int64_t src_ts_ms, std::int64_t remaining_ms);
    void restore_tombstone(const InstanceKey& key, std::int64_t src_ts_ms, std::int64_t age_ms);
    void restore_known_service(const std::string& service, std::int64_t idle_ms);
    // The saved registry index; call it before or after the entries, the result is the same:
    // the index and every service's index end above it.
    void restore_index(std::uint64_t index);
    // After the entries: what was restored is no news to push to peers (pushing a million
    // restored copies at start cost seconds), and a peer's delta position from before the
    // restart cannot be continued: changes_since() below here answers "ask for everything".
    void finish_restore() { history_floor_ = change_seq_; }

    std::uint64_t index() const { return index_; }
    const ServiceMap& services() const { return services_; }
    const Service* find(std::string_view service) const;
    const Instance* find(std::string_view service, std::string_view id) const;
    const TombstoneMap& tombstones() const { return tombstones_; }
    std::size_t instance_count() const { return instance_count_; }
    // Instances whose health is critical, whichever node probed them: kept as they change, so
    // /metrics does not walk the registry (35 ms at 100,000 services) on the control thread.
    std::size_t critical_instance_count() const { return critical_count_; }
    // Rises with every accepted heartbeat, renewals included: leases changed, so the snapshot
    // on disk is stale even when the index is not.
    std::uint64_t lease_version() const { return lease_version_; }
    const Clock& clock() const { return clock_; }

    // What changed since the last call, by service and instance: what the zone and the health
    // checks must redo.
    ChangedServices take_changed();

    // --- Captures taken in slices (registry/snapshot_capture.hpp) -----------------------------
    // While watched, every key whose cache.json entry may have changed (its instance or
    // tombstone, or its service's standing as known without instances; {service, ""} for a
    // service alone) is noted, so that a capture spread over several turns of the control
    // thread re-reads just those at its end. Keys may repeat.
    void watch_touched(bool on) {
        watching_ = on;
        touched_.clear();
    }
    std::vector<InstanceKey> take_touched() {
        std::vector<InstanceKey> out;
        out.swap(touched_);
        return out;
    }

    // Totals since start, for /metrics.
    std::uint64_t expired_total() const { return expired_total_; }
    std::uint64_t deregistered_total() const { return deregistered_total_; }

private:
    enum class Accepted { created, updated, renewed };
    Accepted accept(Service& service, std::map<std::string, Instance>::iterator existing,
                    InstanceSpec spec, std::int64_t src_ts, MonoMs rcv_ts);
    void put_tombstone(const InstanceKey& key, const Tombstone& tombstone);
    std::int64_t keep_of(const Tombstone& t) const { return t.keep_ms > 0 ? t.keep_ms : options_.tombstone_ms; }
    std::size_t sweep_impl(std::optional<std::string_view> evictable_only, MonoMs serve_until);
    using TombstoneEntry = TombstoneMap::value_type;
    // What a change log entry points at: a live instance or a tombstone (both in map nodes,
    // which never move; whatever erases one takes its log entry out first).
    class LogRef {
    public:
        explicit LogRef(const Instance* i) : bits_(reinterpret_cast<std::uintptr_t>(i)) {}
        explicit LogRef(const TombstoneEntry* t) : bits_(reinterpret_cast<std::uintptr_t>(t) | 1u) {}
        LogRef() = default;
        bool null() const { return bits_ == 0; }
        const Instance* instance() const {
            return bits_ & 1u ? nullptr : reinterpret_cast<const Instance*>(bits_);
        }
        const TombstoneEntry* tombstone() const {
            return bits_ & 1u ? reinterpret_cast<const TombstoneEntry*>(bits_ & ~std::uintptr_t{1}) : nullptr;
        }

    private:
        std::uintptr_t bits_ = 0;  // the low bit tells which: both are aligned to 8
    };
    void log_change(Instance& instance, MonoMs rcv_ts);
    void log_change(TombstoneEntry& tombstone);
    void log_renewal(Instance& instance, MonoMs rcv_ts, std::int64_t ttl_ms);
    std::uint64_t next_log_seq(std::uint64_t previous, LogRef ref);
    void unlog(std::uint64_t& seq, bool loses_news);
    void erase_tombstone(TombstoneMap::iterator it, bool loses_news);
    InstanceCopy copy_of(const Instance& instance, MonoMs now) const;
    TombstoneCopy copy_of(const InstanceKey& key, const Tombstone& t, MonoMs now) const;
    void append(ChangeSet& out, const InstanceKey& key, MonoMs now) const;
    void append(ChangeSet& out, LogRef ref, MonoMs now) const;

    // A change to instance `id` of the service, or (id null) to the service as a whole.
    std::uint64_t bump(Service& service, const std::string& name, const std::string* id);
    // Keeps the counts over every instance's spec (critical_count_, longest_ttl_ms_) as `after`
    // replaces `before`; null for none (an instance created, or erased).
    void count_spec(const InstanceSpec* before, const InstanceSpec* after);
    // Calls f(const Instance&) for every instance whose lease may end before `t`: the deadline
    // heap's entries before it, and every held instance (they are outside the heap). f checks.
    template <class F>
    void for_each_ending_before(MonoMs t, F&& f) const {
        deadlines_.for_each_before(t, f);
        for (const Instance* held : held_) f(*held);
    }
    void schedule(Instance& instance);
    void unschedule(Instance& instance);
    void erase_instance(Service& service, const std::string& name, const std::string& id);
    void touch(const std::string& service, const std::string& id) {
        if (watching_) touched_.emplace_back(service, id);
    }

    const Clock& clock_;
    RegistryOptions options_;
    std::uint64_t index_ = 0;
    std::size_t instance_count_ = 0;
    std::size_t critical_count_ = 0;
    // The longest ttl any instance ever had (it never shrinks): leases that have more than a
    // third of it left cannot be expiring soon, so expiring_soon() stops looking there.
    std::int64_t longest_ttl_ms_ = 0;
    ServiceMap services_;
    TombstoneMap tombstones_;
    // next_deadline()'s walk over tombstones and empty services, cached: it ran after every
    // heartbeat, O(services) each time. Anything that adds or removes a tombstone or empties
    // a service marks it stale; a cached time that came early only makes a sweep find nothing.
    mutable bool housekeeping_stale_ = true;
    mutable std::optional<MonoMs> housekeeping_next_;
    // The services with no live instance (known services, forgotten after known_service_ms):
    // the sweep and next_deadline() look at these, not at every service, which at 100,000
    // services cost a few milliseconds of the control thread per gossip round.
    std::set<std::string, std::less<>> empty_services_;
    ChangedServices changed_;
    bool watching_ = false;
    std::vector<InstanceKey> touched_;
    std::uint64_t lease_version_ = 0;
    std::uint64_t expired_total_ = 0;
    std::uint64_t deregistered_total_ = 0;

    // Every live instance's lease end, except those held by self-preservation, which wait in
    // held_ (their expiry_slot is held_flag | index) and go back into the heap at each sweep.
    static constexpr std::uint32_t held_flag = 0x8000'0000;
    ExpiryHeap deadlines_;
    std::vector<Instance*> held_;

    struct LogEntry {
        std::uint64_t seq;
        LogRef ref;  // null once its entry moved on (a later change) or left the registry
        MonoMs at;   // when logged, for changes_within
    };
    std::uint64_t change_seq_ = 0;
    std::uint64_t history_floor_ = 0;
    // In sequence order (appended, so sorted); each instance or tombstone holds the number of
    // its one live entry. A superseded entry is nulled in place and the dead ones are dropped
    // when they reach a quarter of the live ones: 24 bytes per entry in a deque, where a map
    // node cost 64, and no allocation per change.
    std::deque<LogEntry> change_log_;
    std::size_t dead_log_entries_ = 0;
    void kill_log_entry(std::uint64_t seq);
};

}  // namespace dnsd::registry
