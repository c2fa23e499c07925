#pragma once
// The health fields of the HTTP reads, added to the views json_views.hpp builds:
//   GET /v1/services/{service}: every instance gets "health" ("passing" or "critical"; an
//     instance without a check is "passing"); a critical one also "check_output" (why) and
//     "critical_since" (Unix seconds); one with a check also "check" as it was registered.
//   GET /v1/services: every service gets "critical", the number of its critical instances.
#include <boost/json/object.hpp>

#include "registry/registry.hpp"

namespace dnsd {

boost::json::object check_json(const registry::HealthCheck& check);
void add_health_fields(boost::json::object& service_view, const registry::Service& service);
void add_critical_counts(boost::json::object& services_view, const registry::Registry& registry);

}  // namespace dnsd
