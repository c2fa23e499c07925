#include "dnsd/nginx_reload_schedule.hpp"

#include <algorithm>

namespace dnsd {

void ReloadSchedule::changed(registry::MonoMs now) {
    if (pending_) return;  // already due at the first change's debounce (or a retry's backoff)
    pending_ = true;
    due_ = now + timing_.debounce_ms;
}

std::optional<registry::MonoMs> ReloadSchedule::next_start() const {
    if (!pending_ || running_) return std::nullopt;
    return due_;
}

bool ReloadSchedule::start(registry::MonoMs now) {
    if (!pending_ || running_ || now < due_) return false;
    pending_ = false;
    running_ = true;
    return true;
}

void ReloadSchedule::finished(bool ok, registry::MonoMs now) {
    running_ = false;
    if (ok) {
        failures_ = 0;
        return;  // a change during the run left pending_ set, with its own debounce
    }
    ++failures_;
    // The files on disk are newer than what nginx runs: the reload must be tried again, but
    // not in a tight loop against a broken command (or an nginx that is down).
    const registry::MonoMs retry_at = now + backoff_ms();
    due_ = pending_ ? std::max(due_, retry_at) : retry_at;
    pending_ = true;
}

std::int64_t ReloadSchedule::backoff_ms() const {
    std::int64_t delay = timing_.first_retry_ms;
    for (unsigned i = 1; i < failures_ && delay < timing_.max_retry_ms; ++i) delay *= 2;
    return std::min(delay, timing_.max_retry_ms);
}

}  // namespace dnsd
