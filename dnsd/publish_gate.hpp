#pragma once
// When the zone is published, and which HTTP replies wait for it. Every registry change is
// committed at once, but the zone for it is built at most once per control-loop turn: the
// first change after a publication makes one publication due, later changes of the same turn
// ride along. A reply that reports a change ("200 OK") is sent only once the published index
// covers it, so what a client was told is what DNS answers. Pure bookkeeping, no I/O: Node
// posts the publication and wakes the waiters; tests drive it with their own time points.
#include <chrono>
#include <cstdint>
#include <optional>

namespace dnsd {

class PublishGate {
public:
    using Clock = std::chrono::steady_clock;

    // What a zone built at start holds: nothing is waiting yet.
    explicit PublishGate(std::uint64_t published_index = 0) : published_(published_index) {}

    // The registry moved to `index` at `now`. True when this makes a publication due (the
    // caller schedules exactly one); false when one is due already, or the index is published.
    bool changed(std::uint64_t index, Clock::time_point now);

    // A publication covering `index` went out at `now`. Returns how long the oldest change it
    // carries waited (entered the registry -> published), or nullopt when nothing was due
    // (a publication for another reason, such as the start or a zone-file reload).
    std::optional<Clock::duration> published(std::uint64_t index, Clock::time_point now);

    bool due() const { return oldest_change_.has_value(); }
    std::uint64_t published_index() const { return published_; }
    // Whether a reply about the change that made the registry `index` may go out now.
    bool visible(std::uint64_t index) const { return index <= published_; }

private:
    std::uint64_t published_;
    std::optional<Clock::time_point> oldest_change_;  // set while a publication is due
};

}  // namespace dnsd
