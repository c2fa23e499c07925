#include "dnsd/health_metrics.hpp"

#include "dnsd/metrics_text.hpp"

namespace dnsd {

HealthMetrics health_metrics(const HealthChecker& checker, const registry::Registry& registry) {
    HealthMetrics m;
    m.checks = checker.schedule().size();
    m.probes = checker.counters().probes;
    m.probes_failed = checker.counters().probes_failed;
    m.critical = registry.critical_instance_count();
    return m;
}

void render_health_metrics(MetricsText& out, const HealthMetrics& h) {
    out.family("dnsd_health_checks", "gauge", "Third-party health checks this node runs.");
    out.sample(h.checks);
    out.family("dnsd_health_probes_total", "counter", "Health probes run by this node, by result.");
    out.sample(h.probes - h.probes_failed, {{"result", "passing"}});
    out.sample(h.probes_failed, {{"result", "critical"}});
    out.family("dnsd_health_probes_failed_total", "counter", "Health probes that failed (critical).");
    out.sample(h.probes_failed);
    out.family("dnsd_health_critical_instances", "gauge",
               "Instances whose health check is critical (left out of DNS), whichever node probes them.");
    out.sample(h.critical);
}

}  // namespace dnsd
