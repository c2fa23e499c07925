#include "dnsd/publish_gate.hpp"

namespace dnsd {

bool PublishGate::changed(std::uint64_t index, Clock::time_point now) {
    if (index <= published_ || oldest_change_) return false;
    oldest_change_ = now;
    return true;
}

std::optional<PublishGate::Clock::duration> PublishGate::published(std::uint64_t index,
                                                                   Clock::time_point now) {
    if (index > published_) published_ = index;
    if (!oldest_change_) return std::nullopt;
    const auto waited = now - *oldest_change_;
    oldest_change_.reset();
    return waited;
}

}  // namespace dnsd
