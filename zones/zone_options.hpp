#pragma once
// What the zone needs to know from the configuration.
#include <cstdint>
#include <string>

namespace dnsd::zones {

struct ZoneOptions {
    std::string apex = "svc";        // --domain
    std::uint32_t max_ttl_s = 5;     // --max-ttl: the ceiling of every TTL, and the SOA minimum
    std::string node_label;          // this node's id in service "dnsd" (the NS of last resort)
    std::string version;             // dnsd's version: CH TXT version.bind / version.server
    std::string node_name;           // --node-name: CH TXT id.server / hostname.bind
};

}  // namespace dnsd::zones
