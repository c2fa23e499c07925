#pragma once
// What validation learned about a query: everything the later stages need, in plain fields.
#include <cstddef>
#include <cstdint>

#include "zones/query_name.hpp"

namespace dnsd::zones {

struct ParsedQuery {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;       // the query's flags word, as received
    std::uint8_t opcode = 0;
    bool question_ok = false;      // name, type and class were read: replies may echo them
    QueryName name;                // lower-cased question name
    std::size_t question_size = 0; // name + type + class, the bytes a reply echoes from offset 12
    std::uint16_t qtype = 0;
    std::uint16_t qclass = 0;

    // EDNS (RFC 6891): set only when exactly one well-formed OPT was found.
    bool has_opt = false;
    std::uint16_t udp_size = 0;    // the requester's payload size, as sent
    std::uint8_t edns_version = 0;
};

}  // namespace dnsd::zones
