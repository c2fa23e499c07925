#pragma once
// dnsd's read answers (GET /v1/services, GET /v1/services/{service}) as tables.
#include <boost/json/value.hpp>
#include <string>

namespace dnsd::ctl {

// One row per service, sorted: SERVICE INSTANCES INDEX.
std::string services_table(const boost::json::value& answer);
// One row per instance, sorted by id: ID ADDRESS PORT WEIGHT PRIORITY VERSION EXPIRES_IN NODE,
// and HEALTH when dnsd reports one (third-party checks).
std::string instances_table(const boost::json::value& answer);

// A JSON scalar as text: strings bare, numbers as written, null/absent as "-".
std::string cell_text(const boost::json::value* value);

}  // namespace dnsd::ctl
