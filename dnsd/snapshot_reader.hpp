#pragma once
// A DNS worker's view of the published zone. Refreshing costs one atomic load of the
// generation per batch; only when it moved does the worker take the new shared_ptr, so the
// reference count is not bounced between cores on every query.
#include <cstdint>
#include <memory>

#include "zones/publisher.hpp"

namespace dnsd {

class SnapshotReader {
public:
    explicit SnapshotReader(const zones::ZonePublisher& publisher) : publisher_(publisher) {}

    const zones::Snapshot& current() {
        const std::uint64_t gen = publisher_.generation();
        if (!snapshot_ || gen != generation_) {
            generation_ = gen;
            snapshot_ = publisher_.current();
        }
        return *snapshot_;
    }

private:
    const zones::ZonePublisher& publisher_;
    std::shared_ptr<const zones::Snapshot> snapshot_;
    std::uint64_t generation_ = 0;
};

}  // namespace dnsd
