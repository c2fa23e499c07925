#include "dnsd/snapshot_pacing.hpp"

#include <algorithm>

namespace dnsd {

void SnapshotPacing::wrote(Clock::time_point started, Clock::time_point finished) {
    last_cost_ = std::chrono::ceil<std::chrono::milliseconds>(std::max(finished - started, Clock::duration::zero()));
    last_rest_ = std::min(last_cost_ * rest_factor, max_rest);
    rest_until_ = finished + last_rest_;
}

std::chrono::milliseconds SnapshotPacing::delay(std::chrono::milliseconds wanted, Clock::time_point now) const {
    const auto resting = std::chrono::ceil<std::chrono::milliseconds>(rest_until_ - now);
    return std::max(wanted, resting);
}

}  // namespace dnsd
