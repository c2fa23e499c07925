#include "dnsd/publish_delay_histogram.hpp"

#include <cstdio>

namespace dnsd {

namespace {

// Prometheus parses Go's float syntax; %.9g keeps 0.00005 short and exact enough.
std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", seconds);
    return text;
}

}  // namespace

void PublishDelayHistogram::observe(std::chrono::steady_clock::duration delay) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(delay).count();
    const double seconds = static_cast<double>(ns) / 1e9;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        if (seconds <= kBounds[i]) {
            buckets_[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    sum_ns_.fetch_add(ns > 0 ? static_cast<std::uint64_t>(ns) : 0, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

double PublishDelayHistogram::sum_seconds() const {
    return static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
}

std::uint64_t PublishDelayHistogram::cumulative(std::size_t bound) const {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= bound && i < buckets_.size(); ++i)
        total += buckets_[i].load(std::memory_order_relaxed);
    return total;
}

void PublishDelayHistogram::render(std::string& out) const {
    constexpr const char* name = "dnsd_publish_delay_seconds";
    out.append("# HELP ").append(name).append(
        " Per zone publication: how long its oldest registry change waited to be published "
        "to the DNS threads.\n");
    out.append("# TYPE ").append(name).append(" histogram\n");
    // Read the count first: buckets observed meanwhile can only make them larger, and the
    // +Inf bucket must equal _count.
    const std::uint64_t total = count();
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        const std::uint64_t n = std::min(cumulative(i), total);
        out.append(name).append("_bucket{le=\"").append(format_seconds(kBounds[i]))
            .append("\"} ").append(std::to_string(n)).append("\n");
    }
    out.append(name).append("_bucket{le=\"+Inf\"} ").append(std::to_string(total)).append("\n");
    out.append(name).append("_sum ").append(format_seconds(sum_seconds())).append("\n");
    out.append(name).append("_count ").append(std::to_string(total)).append("\n");
}

}  // namespace dnsd
