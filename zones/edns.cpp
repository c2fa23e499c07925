#include "zones/edns.hpp"

#include <algorithm>

#include "zones/wire_types.hpp"

namespace dnsd::zones {

std::size_t reply_size_limit(const ParsedQuery& query, bool over_tcp) {
    if (over_tcp) return limits::max_message;
    if (!query.has_opt) return limits::classic_udp;
    return std::clamp<std::size_t>(query.udp_size, limits::classic_udp, limits::edns_udp);
}

void write_opt(WireWriter& out, std::uint16_t rcode) {
    out.u8(0);  // root owner
    out.u16(to_u16(RrType::opt));
    out.u16(static_cast<std::uint16_t>(limits::edns_udp));
    out.u8(static_cast<std::uint8_t>(rcode >> 4));  // extended rcode: bits 4..11 of the rcode
    out.u8(0);                                      // version
    out.u16(0);                                     // DO and Z
    out.u16(0);                                     // no options
}

std::size_t append_opt(std::span<std::uint8_t> reply, std::size_t size, std::size_t opt_size) {
    if (opt_size == 0) return size;
    WireWriter w(reply.subspan(size, opt_size));
    write_opt(w, 0);
    return size + opt_size;
}

}  // namespace dnsd::zones
