#pragma once
// The zone apex: its SOA and NS answers, and the SOA record every negative answer carries.
// Rebuilt on every publication (the serial follows the registry index); it is small.
#include <array>
#include <cstdint>
#include <vector>

#include "zones/answer_store.hpp"
#include "zones/dns_name.hpp"
#include "zones/lookup.hpp"

namespace dnsd::zones {

struct ApexZone {
    DnsName apex;
    std::uint32_t serial = 0;
    AnswerStore store;
    PreparedAnswer soa;
    PreparedAnswer ns;  // NS set, the name servers' addresses in additional

    // The authority-section SOA of NXDOMAIN and NODATA (RFC 2308 §3), ready to append after
    // the echoed question. Its owner and the ends of MNAME and RNAME are pointers to the apex
    // suffix of that question, whose offset depends on the question: negative_soa_pointers
    // lists where to write them. Its TTL is max_ttl, which is also the SOA minimum.
    std::vector<std::uint8_t> negative_soa;
    std::array<std::uint16_t, 3> negative_soa_pointers{};

    // SOA, NS; ANY gets the SOA alone (RFC 8482); everything else is NODATA.
    Lookup at_apex(std::uint16_t qtype) const;
};

}  // namespace dnsd::zones
