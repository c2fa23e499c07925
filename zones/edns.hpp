#pragma once
// EDNS(0) as dnsd speaks it (RFC 6891): what a reply may hold, and the OPT record it carries.
#include <cstddef>
#include <cstdint>
#include <span>

#include "zones/parsed_query.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

// The largest reply a query may receive: 65535 over TCP; over UDP 512 without OPT, else the
// requester's size raised to 512 (smaller values are illegal, RFC 6891 §6.2.3) and capped at
// 1232, the size that avoids IP fragmentation on practically every path (DNS flag day 2020).
std::size_t reply_size_limit(const ParsedQuery& query, bool over_tcp);

// Our OPT: root owner, payload 1232, the upper 8 bits of the rcode, version 0, DO clear (we do
// not sign), no options. Always 11 bytes.
void write_opt(WireWriter& out, std::uint16_t rcode);

// The end of a prepared reply (rcode NOERROR) of `size` bytes in `reply`: our OPT after it when
// `opt_size` (0, or the 11 bytes the caller reserved) says the query had one. The new size.
std::size_t append_opt(std::span<std::uint8_t> reply, std::size_t size, std::size_t opt_size);

}  // namespace dnsd::zones
