#pragma once
// From the set of browsable services to the service type enumeration (browse_zone.hpp).
// Control thread only. The PTR set takes max_ttl: it says a service exists, which no single
// lease bounds, and a service that lost its instances is still answered (NODATA, not NXDOMAIN).
#include <memory>
#include <set>
#include <string>

#include "zones/answer_builder.hpp"
#include "zones/browse_zone.hpp"
#include "zones/dns_name.hpp"

namespace dnsd::zones {

// The owner name, _services._dns-sd._udp.<apex>.
DnsName browse_name(const DnsName& apex);

// `services`: labels of the services with a live instance (and a _S._tcp name).
std::shared_ptr<const BrowseZone> build_browse_zone(AnswerBuilder& builder, const DnsName& apex,
                                                    const std::set<std::string>& services);

}  // namespace dnsd::zones
