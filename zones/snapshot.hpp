#pragma once
// One published, immutable view of the zone: the apex, every service's prepared answers, the
// DNS-SD browse list, the CHAOS names and the zone file's records. DNS threads read it without
// locks; the publisher replaces it as a whole.
#include <cstdint>
#include <memory>

#include "zones/apex_zone.hpp"
#include "zones/browse_zone.hpp"
#include "zones/chaos_zone.hpp"
#include "zones/lookup.hpp"
#include "zones/query_name.hpp"
#include "zones/service_index.hpp"
#include "zones/static_records.hpp"

namespace dnsd::zones {

// The parts that change rarely or never, shared from one publication to the next. Any may be
// null: that part is empty.
struct SnapshotExtras {
    std::shared_ptr<const BrowseZone> browse;
    std::shared_ptr<const ChaosZone> chaos;
    std::shared_ptr<const StaticRecords> statics;
};

class Snapshot {
public:
    Snapshot(std::shared_ptr<const ApexZone> apex, ServiceIndex services, std::uint32_t max_ttl_s,
             std::uint64_t generation, SnapshotExtras extras = {})
        : apex_(std::move(apex)), services_(std::move(services)), extras_(std::move(extras)),
          max_ttl_s_(max_ttl_s), generation_(generation) {}

    // Class IN. Classifies a lower-case question name by its shape below the apex:
    //   <apex>                         SOA, NS
    //   S.<apex>                       service S (NODATA when S is known but has no live instance)
    //   _S._tcp.<apex>                 SRV and DNS-SD PTR of service S
    //   <id>.S.<apex>                  instance id of S
    //   <id>._S._tcp.<apex>            DNS-SD instance id of S: SRV, TXT
    //   _services._dns-sd._udp.<apex>  DNS-SD PTR to every _S._tcp.<apex> with a live instance
    //   _tcp, _udp, _dns-sd._udp       empty non-terminals while any service is known: NODATA
    //   anything else below            NXDOMAIN
    //   outside the apex               REFUSED
    // Then the zone file's records fill in what the registry does not answer (static_records.hpp).
    // No allocation: labels are looked up as string_views into `name`.
    Lookup find(const QueryName& name, std::uint16_t qtype) const;
    // Class CH: the server's own version.bind and friends, REFUSED for anything else.
    Lookup find_chaos(const QueryName& name, std::uint16_t qtype) const;

    const ApexZone& apex() const { return *apex_; }
    const std::shared_ptr<const ApexZone>& apex_ptr() const { return apex_; }
    const ServiceIndex& services() const { return services_; }
    const SnapshotExtras& extras() const { return extras_; }
    std::uint32_t max_ttl_s() const { return max_ttl_s_; }
    std::uint64_t generation() const { return generation_; }

private:
    // The registry's part of the zone alone.
    Lookup find_dynamic(const QueryName& name, std::size_t depth, std::uint16_t qtype) const;

    std::shared_ptr<const ApexZone> apex_;
    ServiceIndex services_;
    SnapshotExtras extras_;
    std::uint32_t max_ttl_s_;
    std::uint64_t generation_;
};

}  // namespace dnsd::zones
