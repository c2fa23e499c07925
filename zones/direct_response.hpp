#pragma once
// Replies written straight into the reply buffer rather than copied from a prepared answer:
// the negative answers (their SOA record is prepared once per Snapshot, the rest is the echoed
// question) and the errors. A few dozen bytes each, so nothing is gained by preparing them.
#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/apex_zone.hpp"
#include "zones/parsed_query.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

// NXDOMAIN or NODATA (rcode noerror): AA, the question as the client wrote it, the apex SOA in
// authority with its names pointing into that question (RFC 2308 §2.1, §2.2), OPT if asked.
std::size_t write_negative(const ApexZone& apex, const ParsedQuery& query,
                           std::span<const std::uint8_t> query_bytes, std::span<std::uint8_t> reply,
                           Rcode rcode);

// FORMERR, NOTIMP, REFUSED, SERVFAIL, BADVERS: no AA; the question when it could be read, the
// opcode as received, and an OPT when the query had a valid one (it carries the upper rcode bits
// BADVERS needs). 0 when `reply` cannot hold it.
std::size_t write_error(const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                        std::span<std::uint8_t> reply, Rcode rcode);

}  // namespace dnsd::zones
