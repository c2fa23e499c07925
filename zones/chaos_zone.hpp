#pragma once
// The CHAOS-class names through which a server tells about itself (the BIND convention, and
// RFC 4892 for id.server): TXT at version.bind and version.server says "dnsd <version>", TXT
// at id.server and hostname.bind the node's name. dnsd serves no other CH data: any other CH
// name, or another type at these names, is REFUSED (an IN SOA in a CH negative answer would
// be nonsense, and there is no CH zone to be authoritative for).
#include <cstdint>
#include <vector>

#include "zones/answer_store.hpp"
#include "zones/dns_name.hpp"
#include "zones/lookup.hpp"
#include "zones/query_name.hpp"

namespace dnsd::zones {

struct ChaosName {
    DnsName name;
    PreparedAnswer txt;
};

struct ChaosZone {
    AnswerStore store;
    std::vector<ChaosName> names;

    // TXT (and ANY, which gets the same single RRset) at a known name; REFUSED otherwise.
    Lookup find(const QueryName& name, std::uint16_t qtype) const;
};

}  // namespace dnsd::zones
