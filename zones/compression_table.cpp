#include "zones/compression_table.hpp"

#include "zones/wire_types.hpp"

namespace dnsd::zones {

std::optional<std::uint16_t> CompressionTable::find(std::string_view wire_suffix) const {
    const auto it = offsets_.find(wire_suffix);
    if (it == offsets_.end()) return std::nullopt;
    return it->second;
}

void CompressionTable::remember(std::string_view wire_suffix, std::size_t offset) {
    if (frozen_ || offset > limits::max_pointer) return;
    const auto [it, inserted] =
        offsets_.emplace(std::string(wire_suffix), static_cast<std::uint16_t>(offset));
    if (inserted) order_.push_back(it->first);
}

void CompressionTable::truncate(std::size_t size) {
    while (order_.size() > size) {
        offsets_.erase(order_.back());
        order_.pop_back();
    }
}

}  // namespace dnsd::zones
