#pragma once
// Services by name, split into 256 immutable shards. A publication that changes a few services
// copies only their shards' slots (about n/256 each, plain 16-byte copies) and, of the zones'
// owners, one chunk of 64 per change; every other shard is shared with the previous Snapshot,
// so a change costs O(changed * n/256), not O(n), even with 100k services.
//
// Each shard is a flat open-addressing table (linear probing, at most half full) of
// {hash, zone pointer} slots: a look-up hashes the label once, picks the shard by the hash's
// top byte and the slot by its low bits, and compares full hashes before it compares names.
// So a hit reads one cache line of slots and then the ServiceZone it returns (whose name it
// checks), a miss usually the slot line alone; no bucket list, no node, no key string.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "zones/name_hash.hpp"
#include "zones/service_zone.hpp"

namespace dnsd::zones {

class ServiceIndex {
public:
    static constexpr std::size_t shard_count = 256;

    ServiceIndex();

    // Query path: no allocation, no lock; `name` is the lower-case label.
    const ServiceZone* find(std::string_view name) const {
        const std::uint64_t hash = hash_name(name);
        const ShardView& view = views_[shard_of(hash)];
        // At most half the slots are taken, so the probe ends at an empty one.
        for (std::size_t i = hash & view.mask;; i = (i + 1) & view.mask) {
            const Slot& slot = view.slots[i];
            if (!slot.zone) return nullptr;
            if (slot.hash == hash && slot.zone->name == name) return slot.zone;
        }
    }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    friend class ServiceIndexEditor;

    struct Slot {
        std::uint64_t hash = 0;
        const ServiceZone* zone = nullptr;  // null: empty
    };
    // Owners of 64 consecutive slots, shared between generations of a shard until one of
    // them changes: a publication that changes one service copies one chunk, not the owners of
    // the whole shard (at 100,000 services ~390 atomic increments on cold cache lines, 11% of
    // the control thread under 10,000 heartbeats/s).
    static constexpr std::size_t owner_chunk = 64;
    using OwnerChunk = std::array<std::shared_ptr<const ServiceZone>, owner_chunk>;
    // One shard's table. The owner of slot i (chunk i / 64, entry i % 64) keeps `slots[i].zone`
    // alive; the slots hold the raw pointer beside the hash so a probe reads one array.
    struct Shard {
        std::vector<Slot> slots;
        std::vector<std::shared_ptr<OwnerChunk>> owners;  // ceil(slots / 64) chunks
        std::size_t count = 0;
    };
    // What find() needs of a shard, kept in the index itself: no hop through the Shard.
    struct ShardView {
        const Slot* slots;
        std::size_t mask;  // slot count - 1 (a power of two)
    };

    static std::size_t shard_of(std::uint64_t hash) { return static_cast<std::size_t>(hash >> 56); }
    static ShardView view_of(const Shard* shard);

    std::array<std::shared_ptr<const Shard>, shard_count> shards_{};  // null = empty shard
    std::array<ShardView, shard_count> views_;
    std::size_t size_ = 0;
};

// Control thread: a copy-on-write edit of an index. The base stays untouched (it may be
// published); shards are copied on their first change.
class ServiceIndexEditor {
public:
    explicit ServiceIndexEditor(const ServiceIndex& base) : index_(base) {}
    void put(std::shared_ptr<const ServiceZone> zone);
    void erase(std::string_view name);
    ServiceIndex finish() &&;

private:
    ServiceIndex::Shard& writable(std::size_t shard);
    // Sets the owner of slot `at` of a shard this edit copied, copying its chunk first unless
    // this shard alone holds it (a chunk held once cannot be in any published index).
    static void set_owner(ServiceIndex::Shard& shard, std::size_t at, std::shared_ptr<const ServiceZone> zone);
    // The owner of slot `at` (to read, or to fill in a shard's fresh chunks).
    static std::shared_ptr<const ServiceZone>& owner_of(const ServiceIndex::Shard& shard, std::size_t at);

    ServiceIndex index_;
    // Shards this edit already copied (so later changes to them need no new copy).
    std::array<std::shared_ptr<ServiceIndex::Shard>, ServiceIndex::shard_count> copies_{};
};

}  // namespace dnsd::zones
