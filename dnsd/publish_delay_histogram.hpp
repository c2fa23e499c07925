#pragma once
// dnsd_publish_delay_seconds: for each zone publication, how long the oldest registry change
// it carries waited, from entering the registry to its Snapshot being swapped in for the DNS
// threads. The server's own share of "a heartbeat is visible in DNS within 1 ms" (issue 5).
// Observed on the control thread, rendered when scraped; fixed buckets, no allocation.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace dnsd {

class PublishDelayHistogram {
public:
    // Upper bounds in seconds (the "le" labels), finest where the 1 ms target lies.
    static constexpr std::array<double, 14> kBounds{0.00005, 0.0001, 0.00025, 0.0005, 0.001,
                                                    0.0025,  0.005,  0.01,    0.025,  0.05,
                                                    0.1,     0.25,   0.5,     1};

    void observe(std::chrono::steady_clock::duration delay);

    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    double sum_seconds() const;
    // Observations at or below kBounds[i] (cumulative, as Prometheus wants them).
    std::uint64_t cumulative(std::size_t bound) const;

    // Appends the family in the Prometheus text format: HELP, TYPE histogram, one _bucket per
    // bound and +Inf, _sum, _count.
    void render(std::string& out) const;

private:
    std::array<std::atomic<std::uint64_t>, kBounds.size()> buckets_{};  // not cumulative
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace dnsd
