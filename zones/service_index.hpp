#pragma once
// Services by name, split into 256 immutable shards. A publication that changes a few services
// copies only their shards (about n/256 pointers each) and shares every other shard with the
// previous Snapshot, so a change costs O(changed * n/256), not O(n), even with 100k services.
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "zones/name_hash.hpp"
#include "zones/service_zone.hpp"

namespace dnsd::zones {

class ServiceIndex {
public:
    static constexpr std::size_t shard_count = 256;
    using Shard = std::unordered_map<std::string, std::shared_ptr<const ServiceZone>, NameHash,
                                     NameEqual>;

    // Query path: no allocation (heterogeneous look-up by the label in the query's buffer).
    const ServiceZone* find(std::string_view name) const;
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    friend class ServiceIndexEditor;
    static std::size_t shard_of(std::string_view name);

    std::array<std::shared_ptr<const Shard>, shard_count> shards_{};  // null = empty shard
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

    ServiceIndex index_;
    // Shards this edit already copied (so later changes to them need no new copy).
    std::array<std::shared_ptr<ServiceIndex::Shard>, ServiceIndex::shard_count> copies_{};
};

}  // namespace dnsd::zones
