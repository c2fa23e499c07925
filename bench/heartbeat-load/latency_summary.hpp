#pragma once
// Percentiles of the visibility samples (nearest rank, as wrk and dnsperf report them).
#include <vector>

namespace hbload {

struct LatencySummary {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

LatencySummary summarize_latencies(std::vector<double> values);

}  // namespace hbload
