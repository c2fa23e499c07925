#include "zones/answer_store.hpp"

namespace dnsd::zones {

std::uint32_t AnswerStore::add_group(std::span<const std::shared_ptr<registry::LeaseCell>> leases,
                                     std::uint32_t ttl_cap) {
    const auto begin = static_cast<std::uint32_t>(members.size());
    for (const auto& lease : leases) {
        if (!lease) continue;  // no lease known: bounded by max_ttl only
        members.push_back(lease.get());
        owners.push_back(lease);
    }
    groups.push_back({begin, static_cast<std::uint32_t>(members.size()), ttl_cap});
    return static_cast<std::uint32_t>(groups.size() - 1);
}

std::uint32_t AnswerStore::add_borrowed_group(std::span<const registry::LeaseCell* const> leases) {
    const auto begin = static_cast<std::uint32_t>(members.size());
    members.insert(members.end(), leases.begin(), leases.end());
    groups.push_back({begin, static_cast<std::uint32_t>(members.size())});
    return static_cast<std::uint32_t>(groups.size() - 1);
}

void AnswerStore::shrink() {
    bytes.shrink_to_fit();
    patches.shrink_to_fit();
    cuts.shrink_to_fit();
    groups.shrink_to_fit();
    record_starts.shrink_to_fit();
    members.shrink_to_fit();
    owners.shrink_to_fit();
}

}  // namespace dnsd::zones
