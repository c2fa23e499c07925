#pragma once
// When to run --nginx-reload-cmd: a pure state machine over an injected time, so debounce,
// "never two at once" and retry with backoff are tested without processes or sleeping.
//  - changed(): a file changed; a reload is due `debounce` after the first change not yet
//    covered by a run. Later changes within that window ride along (no starvation under a
//    stream of changes: the due time is not pushed back).
//  - start(): a run begins; never while one is in flight.
//  - finished(): a failure retries after a backoff that doubles up to `max_retry`; a change
//    that arrived during the run gets a run of its own.
#include <chrono>
#include <cstdint>
#include <optional>

#include "registry/clock.hpp"

namespace dnsd {

struct ReloadTiming {
    std::int64_t debounce_ms = 1000;
    std::int64_t first_retry_ms = 1000;
    std::int64_t max_retry_ms = 60'000;
};

class ReloadSchedule {
public:
    explicit ReloadSchedule(ReloadTiming timing = {}) : timing_(timing) {}

    void changed(registry::MonoMs now);
    // When the next run may start; nullopt when nothing is pending or a run is in flight.
    std::optional<registry::MonoMs> next_start() const;
    // True (and the run is in flight) when a run is pending, due and none is in flight.
    bool start(registry::MonoMs now);
    void finished(bool ok, registry::MonoMs now);

    bool running() const { return running_; }
    bool pending() const { return pending_; }
    unsigned failures() const { return failures_; }  // consecutive, reset by a success

private:
    std::int64_t backoff_ms() const;

    ReloadTiming timing_;
    bool pending_ = false;
    bool running_ = false;
    registry::MonoMs due_ = 0;
    unsigned failures_ = 0;
};

}  // namespace dnsd
