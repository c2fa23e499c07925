#pragma once
// /metrics for the health checks: read from the checker and the registry when scraped.
#include "dnsd/health_checker.hpp"
#include "dnsd/metrics.hpp"
#include "registry/registry.hpp"

namespace dnsd {

HealthMetrics health_metrics(const HealthChecker& checker, const registry::Registry& registry);

}  // namespace dnsd
