#include "zones/service_index.hpp"

namespace dnsd::zones {

std::size_t ServiceIndex::shard_of(std::string_view name) {
    // The top byte, so the shard choice does not correlate with the bucket choice inside the
    // shard's own table (which uses the low bits of the same hash).
    return NameHash{}(name) >> (8 * sizeof(std::size_t) - 8);
}

const ServiceZone* ServiceIndex::find(std::string_view name) const {
    const Shard* shard = shards_[shard_of(name)].get();
    if (!shard) return nullptr;
    const auto it = shard->find(name);
    return it == shard->end() ? nullptr : it->second.get();
}

ServiceIndex::Shard& ServiceIndexEditor::writable(std::size_t shard) {
    if (!copies_[shard]) {
        const auto& current = index_.shards_[shard];
        copies_[shard] = current ? std::make_shared<ServiceIndex::Shard>(*current) : std::make_shared<ServiceIndex::Shard>();
        index_.shards_[shard] = copies_[shard];
    }
    return *copies_[shard];
}

void ServiceIndexEditor::put(std::shared_ptr<const ServiceZone> zone) {
    ServiceIndex::Shard& shard = writable(ServiceIndex::shard_of(zone->name));
    auto [it, inserted] = shard.try_emplace(zone->name, nullptr);
    it->second = std::move(zone);
    if (inserted) ++index_.size_;
}

void ServiceIndexEditor::erase(std::string_view name) {
    const std::size_t s = ServiceIndex::shard_of(name);
    const auto& current = index_.shards_[s];
    if (!current || current->find(name) == current->end()) return;  // no copy for a no-op
    ServiceIndex::Shard& shard = writable(s);
    if (const auto it = shard.find(name); it != shard.end()) {
        shard.erase(it);
        --index_.size_;
    }
}

ServiceIndex ServiceIndexEditor::finish() && { return std::move(index_); }

}  // namespace dnsd::zones
