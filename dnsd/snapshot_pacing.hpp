#pragma once
// How soon cache.json may be written again, given what the last write cost. A write copies the
// whole registry on the control thread (in slices) and encodes it on the writer thread: at
// 100,000 x 5 instances that was about two seconds of CPU, and with heartbeats changing the
// registry all the time the scheduler started the next write a second after the last one ended,
// so half of a core went to rewriting the file and heartbeats were refused for want of it.
// The pacing keeps that work under a fixed share of the time: after a write that took T (from
// the start of its capture to the file being on disk), the next one starts no sooner than
// rest_factor x T later, and never more than max_rest later. A small registry (a few
// milliseconds per write) keeps the scheduler's own delays (a second after a change, five after
// renewals); a large one is written less often, so a kill -9 loses up to that long of renewals.
// SIGTERM still writes everything (SnapshotScheduler::write_now ignores the pacing).
#include <chrono>

namespace dnsd {

class SnapshotPacing {
public:
    using Clock = std::chrono::steady_clock;
    // Snapshot work takes at most 1 / (1 + rest_factor) of the time: 10%.
    static constexpr int rest_factor = 9;
    static constexpr std::chrono::milliseconds max_rest{60'000};

    // A write that started at `started` finished (on disk, or failed) at `finished`.
    void wrote(Clock::time_point started, Clock::time_point finished);
    // The delay to arm for a write wanted `wanted` from `now`: at least `wanted`, and not before
    // the rest after the last write is over.
    std::chrono::milliseconds delay(std::chrono::milliseconds wanted, Clock::time_point now) const;
    // The rest after the last write (0 before the first), for logs and /metrics.
    std::chrono::milliseconds last_rest() const { return last_rest_; }
    std::chrono::milliseconds last_cost() const { return last_cost_; }

private:
    Clock::time_point rest_until_{};
    std::chrono::milliseconds last_rest_{0};
    std::chrono::milliseconds last_cost_{0};
};

}  // namespace dnsd
