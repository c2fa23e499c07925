#pragma once
// Time is injected so that leases, expiry, gossip and snapshots are tested without sleeping.
// Two clocks, never mixed: the monotonic one measures durations on this node (rcv_ts, expiry),
// the wall one stamps src_ts and lets a snapshot survive a restart.
#include <cstdint>

namespace dnsd::registry {

using MonoMs = std::int64_t;  // milliseconds on this node's monotonic clock
using WallMs = std::int64_t;  // milliseconds since the Unix epoch

class Clock {
public:
    virtual ~Clock() = default;
    virtual MonoMs mono_ms() const = 0;
    virtual WallMs wall_ms() const = 0;
};

class SystemClock final : public Clock {
public:
    MonoMs mono_ms() const override;
    WallMs wall_ms() const override;
};

// A clock tests move by hand.
class ManualClock final : public Clock {
public:
    explicit ManualClock(MonoMs mono = 1'000'000, WallMs wall = 1'770'000'000'000)
        : mono_(mono), wall_(wall) {}
    MonoMs mono_ms() const override { return mono_; }
    WallMs wall_ms() const override { return wall_; }
    void advance_ms(std::int64_t ms) { mono_ += ms; wall_ += ms; }
    void set_wall_ms(WallMs wall) { wall_ = wall; }

private:
    MonoMs mono_;
    WallMs wall_;
};

}  // namespace dnsd::registry
