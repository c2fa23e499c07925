#pragma once
// One published, immutable view of the zone: the apex and every service's prepared answers.
// DNS threads read it without locks; the publisher replaces it as a whole.
#include <cstdint>
#include <memory>

#include "zones/apex_zone.hpp"
#include "zones/lookup.hpp"
#include "zones/query_name.hpp"
#include "zones/service_index.hpp"

namespace dnsd::zones {

class Snapshot {
public:
    Snapshot(std::shared_ptr<const ApexZone> apex, ServiceIndex services, std::uint32_t max_ttl_s,
             std::uint64_t generation)
        : apex_(std::move(apex)), services_(std::move(services)), max_ttl_s_(max_ttl_s),
          generation_(generation) {}

    // Classifies a lower-case question name by its shape below the apex and finds its answer:
    //   <apex>                    SOA, NS
    //   S.<apex>                  service S (NODATA when S is known but has no live instance)
    //   _S._tcp.<apex>            SRV of service S
    //   <id>.S.<apex>             instance id of S
    //   _tcp.<apex>               an empty non-terminal while any service exists: NODATA
    //   anything else below       NXDOMAIN (room for the DNS-SD browse tree and zone-file names)
    //   outside the apex          REFUSED
    // No allocation: labels are looked up as string_views into `name`.
    Lookup find(const QueryName& name, std::uint16_t qtype) const;

    const ApexZone& apex() const { return *apex_; }
    const ServiceIndex& services() const { return services_; }
    std::uint32_t max_ttl_s() const { return max_ttl_s_; }
    std::uint64_t generation() const { return generation_; }

private:
    std::shared_ptr<const ApexZone> apex_;
    ServiceIndex services_;
    std::uint32_t max_ttl_s_;
    std::uint64_t generation_;
};

}  // namespace dnsd::zones
