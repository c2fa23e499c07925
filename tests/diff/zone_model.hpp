#pragma once
// What the registry holds, as read back over HTTP (/v1/services, /v1/services/{S}), and the
// master file (RFC 1035 §5) that says the same in records, for Knot to serve.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace dnsd::diff {

struct ModelInstance {
    std::string id;
    std::string address;  // IPv4 or IPv6 literal
    std::uint16_t port = 0;
    std::uint16_t weight = 0;
    std::uint16_t priority = 0;
    std::string version;
    std::map<std::string, std::string> meta;

    bool is_v6() const { return address.find(':') != std::string::npos; }
};

struct ModelService {
    std::string name;
    std::vector<ModelInstance> instances;  // in id order, as dnsd keeps them
};

struct ZoneModel {
    std::string apex = "svc";
    std::string node_name;     // the fallback NS label when service "dnsd" is empty
    std::uint32_t serial = 0;  // the registry index
    std::uint32_t ttl = 5;     // dnsd's --max-ttl: every TTL and the SOA minimum
    std::vector<ModelService> services;  // known services, empty ones included

    const ModelService* find(const std::string& name) const;
};

// Fills services from GET /v1/services/{S} bodies (by service name) and the serial from the
// /v1/services index. Returns an empty string, or what was missing or malformed.
std::string read_model(const boost::json::value& services_list,
                       const std::map<std::string, boost::json::value>& details, ZoneModel& model);

// The zone as Knot should serve it. Services without instances are left out: Knot can only
// say NXDOMAIN for them, where SPEC.md wants NODATA (the test checks those against SPEC).
std::string zone_file(const ZoneModel& model);

// TXT strings of an instance as dnsd exports them: version=..., then meta in key order.
std::vector<std::string> instance_txt(const ModelInstance& instance);

}  // namespace dnsd::diff
