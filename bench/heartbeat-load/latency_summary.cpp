#include "latency_summary.hpp"

#include <algorithm>
#include <cmath>

namespace hbload {

namespace {
double nearest_rank(const std::vector<double>& sorted, double percentile) {
    const auto rank = static_cast<std::size_t>(std::ceil(percentile / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}
}  // namespace

LatencySummary summarize_latencies(std::vector<double> values) {
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    return {nearest_rank(values, 50), nearest_rank(values, 99), values.back()};
}

}  // namespace hbload
