#include "zones/service_index.hpp"

#include <utility>

namespace dnsd::zones {

namespace {
// The first table of a shard; doubled whenever it would be over half full.
constexpr std::size_t min_slots = 8;

// Where `hash` sits in `slots`, or the empty slot where it would go.
template <typename Slots>
std::size_t probe(const Slots& slots, std::uint64_t hash, std::string_view name) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const auto& slot = slots[i];
        if (!slot.zone || (slot.hash == hash && slot.zone->name == name)) return i;
    }
}
}  // namespace

ServiceIndex::ServiceIndex() {
    for (ShardView& v : views_) v = view_of(nullptr);
}

ServiceIndex::ShardView ServiceIndex::view_of(const Shard* shard) {
    // An empty shard's table: one empty slot, so find() needs no null check.
    static constexpr Slot no_zone{};
    if (!shard || shard->slots.empty()) return {&no_zone, 0};
    return {shard->slots.data(), shard->slots.size() - 1};
}

ServiceIndex::Shard& ServiceIndexEditor::writable(std::size_t shard) {
    if (!copies_[shard]) {
        const auto& current = index_.shards_[shard];
        copies_[shard] = current ? std::make_shared<ServiceIndex::Shard>(*current)
                                 : std::make_shared<ServiceIndex::Shard>();
        index_.shards_[shard] = copies_[shard];
    }
    return *copies_[shard];
}

void ServiceIndexEditor::set_owner(ServiceIndex::Shard& shard, std::size_t at,
                                   std::shared_ptr<const ServiceZone> zone) {
    std::shared_ptr<ServiceIndex::OwnerChunk>& chunk = shard.owners[at / ServiceIndex::owner_chunk];
    // Only the control thread copies chunk pointers; other threads may only drop theirs. So a
    // count of 1 cannot rise behind our back, and a count above 1 at worst costs a copy.
    if (chunk.use_count() != 1) chunk = std::make_shared<ServiceIndex::OwnerChunk>(*chunk);
    (*chunk)[at % ServiceIndex::owner_chunk] = std::move(zone);
}

std::shared_ptr<const ServiceZone>& ServiceIndexEditor::owner_of(const ServiceIndex::Shard& shard, std::size_t at) {
    return (*shard.owners[at / ServiceIndex::owner_chunk])[at % ServiceIndex::owner_chunk];
}

void ServiceIndexEditor::put(std::shared_ptr<const ServiceZone> zone) {
    const std::uint64_t hash = hash_name(zone->name);
    const std::size_t s = ServiceIndex::shard_of(hash);
    ServiceIndex::Shard& shard = writable(s);
    if (2 * (shard.count + 1) > shard.slots.size()) {  // grow: rehash into twice the slots
        std::size_t size = shard.slots.empty() ? min_slots : 2 * shard.slots.size();
        while (2 * (shard.count + 1) > size) size *= 2;
        ServiceIndex::Shard grown;
        grown.slots.resize(size);
        grown.owners.resize((size + ServiceIndex::owner_chunk - 1) / ServiceIndex::owner_chunk);
        for (auto& chunk : grown.owners) chunk = std::make_shared<ServiceIndex::OwnerChunk>();
        grown.count = shard.count;
        for (std::size_t i = 0; i < shard.slots.size(); ++i) {
            if (!shard.slots[i].zone) continue;
            const std::size_t at = probe(grown.slots, shard.slots[i].hash, shard.slots[i].zone->name);
            grown.slots[at] = shard.slots[i];
            owner_of(grown, at) = owner_of(shard, i);  // a copy: the old chunks may be published
        }
        shard = std::move(grown);
    }
    const std::size_t at = probe(shard.slots, hash, zone->name);
    if (!shard.slots[at].zone) {
        ++shard.count;
        ++index_.size_;
    }
    shard.slots[at] = {hash, zone.get()};
    set_owner(shard, at, std::move(zone));
    index_.views_[s] = ServiceIndex::view_of(&shard);
}

void ServiceIndexEditor::erase(std::string_view name) {
    const std::uint64_t hash = hash_name(name);
    const std::size_t s = ServiceIndex::shard_of(hash);
    if (!index_.find(name)) return;  // no copy for a no-op
    ServiceIndex::Shard& shard = writable(s);
    std::size_t hole = probe(shard.slots, hash, name);
    // Backward-shift deletion: later members of the same probe run move up into the hole, so
    // no tombstones are needed and every run stays unbroken.
    const std::size_t mask = shard.slots.size() - 1;
    for (std::size_t j = (hole + 1) & mask; shard.slots[j].zone; j = (j + 1) & mask) {
        const std::size_t home = shard.slots[j].hash & mask;
        // Slot j may fill the hole unless its home lies cyclically in (hole, j].
        const bool home_after_hole = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (home_after_hole) continue;
        shard.slots[hole] = shard.slots[j];
        set_owner(shard, hole, owner_of(shard, j));
        hole = j;
    }
    shard.slots[hole] = {};
    set_owner(shard, hole, nullptr);
    --shard.count;
    --index_.size_;
    index_.views_[s] = ServiceIndex::view_of(&shard);
}

ServiceIndex ServiceIndexEditor::finish() && { return std::move(index_); }

}  // namespace dnsd::zones
