#pragma once
// dnsd's own figure beside ours: the dnsd_publish_delay_seconds histogram from GET /metrics,
// read before and after the run, so that only this run's publications count.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "load_options.hpp"

namespace hbload {

struct HistogramCounts {
    std::vector<std::pair<double, double>> buckets;  // (upper bound in seconds, cumulative count)
    double count = 0;                                 // the +Inf bucket
};

// Reads `family` from a Prometheus text exposition; nullopt when it is not there.
std::optional<HistogramCounts> parse_histogram(const std::string& text, const std::string& family);

// GET /metrics from dnsd (a short blocking exchange, bounded by a 2 s deadline) and its
// dnsd_publish_delay_seconds; nullopt when dnsd does not answer or has no such histogram.
std::optional<HistogramCounts> fetch_publish_delay(const Endpoint& http);

// The observations in `after` that `before` did not have (counters only rise).
HistogramCounts histogram_delta(const HistogramCounts& before, const HistogramCounts& after);

// The q-quantile (0..1) as Prometheus's histogram_quantile() estimates it: linear inside the
// bucket that holds the rank. 0 for an empty histogram.
double histogram_quantile(const HistogramCounts& histogram, double q);

}  // namespace hbload
