#include "zones/direct_response.hpp"

#include "zones/edns.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

namespace {
// Header and echoed question shared by every direct reply.
void write_start(WireWriter& out, const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                 std::uint16_t flags, std::uint16_t nscount) {
    const bool question = query.question_ok;
    out.u16(query.id);
    out.u16(static_cast<std::uint16_t>(flags | header::qr |
                                       (query.flags & (header::opcode_mask | header::rd | header::cd))));
    out.u16(question ? 1 : 0);
    out.u16(0);
    out.u16(nscount);
    out.u16(query.has_opt ? 1 : 0);
    if (question) out.bytes(query_bytes.subspan(header::size, query.question_size));
}
}  // namespace

std::size_t write_negative(const ApexZone& apex, const ParsedQuery& query,
                           std::span<const std::uint8_t> query_bytes, std::span<std::uint8_t> reply,
                           Rcode rcode) {
    WireWriter out(reply);
    write_start(out, query, query_bytes, static_cast<std::uint16_t>(header::aa | to_u16(rcode)), 1);
    const std::size_t soa_at = out.size();
    out.bytes(apex.negative_soa);
    if (!out.ok()) return 0;
    // The apex is the question name's suffix: it starts apex-length bytes before its end.
    const auto apex_at = static_cast<std::uint16_t>(header::size + query.name.length - apex.apex.size());
    for (std::uint16_t at : apex.negative_soa_pointers) {
        reply[soa_at + at] = static_cast<std::uint8_t>(0xc0 | apex_at >> 8);
        reply[soa_at + at + 1] = static_cast<std::uint8_t>(apex_at);
    }
    if (query.has_opt) write_opt(out, 0);
    return out.ok() ? out.size() : 0;
}

std::size_t write_error(const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                        std::span<std::uint8_t> reply, Rcode rcode) {
    WireWriter out(reply);
    const auto low_bits = static_cast<std::uint16_t>(to_u16(rcode) & header::rcode_mask);
    write_start(out, query, query_bytes, low_bits, 0);
    if (query.has_opt) write_opt(out, to_u16(rcode));
    return out.ok() ? out.size() : 0;
}

}  // namespace dnsd::zones
