#pragma once
// A service's instance records by id, shared between zone generations. The records are split
// into shards by hash (one shard for a small service, about 64 records per shard for a large
// one); a new generation that changes a few instances copies only their shards and shares the
// others, so registering instance N+1 of a service costs O(64), not O(N), here.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "zones/instance_record.hpp"

namespace dnsd::zones {

class InstanceTable {
public:
    // Query path: no allocation, no lock.
    const InstanceRecord* find(std::string_view id) const;
    std::size_t count(std::string_view id) const { return find(id) ? 1 : 0; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::size_t shard_count() const { return shards_.size(); }

    // Every record, in no particular order.
    template <class F>
    void for_each(F&& f) const {
        for (const auto& shard : shards_)
            if (shard)
                for (const InstanceRef& r : shard->slots)
                    if (r) f(*r);
    }

private:
    friend class InstanceTableEditor;
    // Open addressing with linear probing, a power-of-two number of slots, at most 3/4 full.
    struct Shard {
        std::vector<InstanceRef> slots;
        std::uint32_t count = 0;
    };
    std::size_t shard_of(std::uint32_t hash) const {
        return shard_bits_ == 0 ? 0 : hash >> (32 - shard_bits_);
    }

    std::vector<std::shared_ptr<const Shard>> shards_;  // null: an empty shard
    std::size_t size_ = 0;
    unsigned shard_bits_ = 0;
};

// Control thread: the next generation of a table. Starts from `base` when its shard layout
// suits `expected` records (then only what put/erase touch is copied), else from an empty
// table with a layout for `expected` (then the caller puts every record).
class InstanceTableEditor {
public:
    InstanceTableEditor(const InstanceTable& base, std::size_t expected);
    // Whether the base's records are in the edit (false: the caller must put them all).
    bool kept_base() const { return kept_base_; }

    // Inserts, or replaces the record with the same id.
    void put(InstanceRef record);
    void erase(std::string_view id);

    // Which shard a record of this hash lives in, and how many records the base shard holds,
    // so a caller that counted the records it still saw per shard can find the vanished ones.
    std::size_t shard_of(std::uint32_t hash) const { return table_.shard_of(hash); }
    std::size_t shard_count() const { return table_.shards_.size(); }
    std::size_t base_count(std::size_t shard) const;
    // The base's records of one shard (only while kept_base()).
    template <class F>
    void for_each_in_base_shard(std::size_t shard, F&& f) const {
        if (const auto& s = table_.shards_[shard])
            for (const InstanceRef& r : s->slots)
                if (r) f(*r);
    }

    InstanceTable finish() &&;

private:
    std::vector<InstanceRef>& writable(std::size_t shard);

    InstanceTable table_;
    bool kept_base_ = false;
    // Shards being edited, as plain lists (a shard holds about 64 records); rebuilt into
    // open-addressing shards by finish().
    std::vector<std::unique_ptr<std::vector<InstanceRef>>> edits_;
};

}  // namespace dnsd::zones
