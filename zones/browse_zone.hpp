#pragma once
// DNS-SD service type enumeration (RFC 6763 §9): _services._dns-sd._udp.<apex> PTR lists
// _S._tcp.<apex> for every service that has a live instance. It spans all services, so it is
// rebuilt whenever that set changes, not with each service.
#include "zones/answer_store.hpp"

namespace dnsd::zones {

struct BrowseZone {
    AnswerStore store;
    PreparedAnswer services;  // absent when no service has a live instance (NODATA)
};

}  // namespace dnsd::zones
