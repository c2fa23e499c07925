#pragma once
// What changed between two answers of GET /v1/services/{service}, for `dnsctl watch`. The
// countdown "expires_in" is not a change; everything else dnsd reports (address, port, weight,
// priority, version, meta, ttl, node, health, ...) is.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace dnsd::ctl {

using InstanceSet = std::map<std::string, boost::json::object>;  // by id, without expires_in

struct InstanceChange {
    enum class Kind { added, removed, changed };
    Kind kind = Kind::added;
    std::string id;
    std::string detail;  // added/removed: the instance; changed: "weight 100 -> 50, ..."
};

InstanceSet instance_set(const boost::json::value& service_answer);
std::vector<InstanceChange> diff_instances(const InstanceSet& before, const InstanceSet& after);

// "10.0.0.3:8861 weight=100 priority=0 version=1.2.3 node=n1" (and health= when present).
std::string describe_instance(const boost::json::object& instance);
// "2026-11-21T11:40:03Z api added api-1 10.0.0.3:8861 weight=100 ..."
std::string change_line(std::chrono::system_clock::time_point when, const std::string& service,
                        const InstanceChange& change);
std::string iso8601_utc(std::chrono::system_clock::time_point when);

}  // namespace dnsd::ctl
