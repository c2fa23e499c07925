#include "zones/query_parser.hpp"

#include "zones/lowered_name.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

namespace {
std::uint16_t get_u16(std::span<const std::uint8_t> m, std::size_t at) {
    return static_cast<std::uint16_t>(m[at] << 8 | m[at + 1]);
}

// Steps over the options inside OPT rdata: each is code, length, data, and they must fill the
// rdata exactly.
bool options_fill(std::span<const std::uint8_t> rdata) {
    std::size_t at = 0;
    while (rdata.size() - at >= 4) {
        const std::size_t len = get_u16(rdata, at + 2);
        if (rdata.size() - at - 4 < len) return false;
        at += 4 + len;
    }
    return at == rdata.size();
}
}  // namespace

HeaderCheck check_header(std::span<const std::uint8_t> message, ParsedQuery& out) {
    if (message.size() < header::size) return HeaderCheck::too_short;
    out.id = get_u16(message, header::id);
    out.flags = get_u16(message, header::flags);
    out.opcode = static_cast<std::uint8_t>((out.flags & header::opcode_mask) >> header::opcode_shift);
    if (out.flags & header::qr) return HeaderCheck::is_response;
    if (out.opcode != static_cast<std::uint8_t>(Opcode::query)) return HeaderCheck::not_query;
    if (get_u16(message, header::qdcount) != 1) return HeaderCheck::bad_qdcount;
    return HeaderCheck::ok;
}

QuestionCheck read_question(WireReader& reader, ParsedQuery& out) {
    const std::size_t start = reader.offset();
    std::size_t name_end = start;
    switch (read_lowered_name(reader.message(), start, out.name, name_end)) {
        case NameStatus::ok: reader.skip(name_end - start); break;
        case NameStatus::truncated: return QuestionCheck::truncated;
        case NameStatus::pointer: return QuestionCheck::compressed;
        case NameStatus::too_long: return QuestionCheck::too_long;
        case NameStatus::bad_label:
        case NameStatus::bad_pointer: return QuestionCheck::bad_label;
    }
    if (!reader.u16(out.qtype) || !reader.u16(out.qclass)) return QuestionCheck::truncated;
    // OPT is a pseudo-record: asking for it is meaningless (RFC 6891 §6.1.1).
    if (out.qtype == to_u16(RrType::opt)) return QuestionCheck::meta_type;
    out.question_size = reader.offset() - start;
    out.question_ok = true;
    return QuestionCheck::ok;
}

SectionCheck check_sections(std::span<const std::uint8_t> message) {
    if (get_u16(message, header::ancount) != 0) return SectionCheck::has_answers;
    if (get_u16(message, header::nscount) != 0) return SectionCheck::has_authority;
    return SectionCheck::ok;
}

AdditionalCheck read_additional(WireReader& reader, ParsedQuery& out) {
    const std::uint16_t count = get_u16(reader.message(), header::arcount);
    bool seen_opt = false;
    std::uint8_t version = 0;
    std::uint16_t udp_size = 0;
    for (std::uint16_t i = 0; i < count; ++i) {
        const std::size_t owner_at = reader.offset();
        if (reader.skip_name() != NameStatus::ok) return AdditionalCheck::malformed;
        const bool root_owner = reader.offset() == owner_at + 1;
        std::uint16_t type = 0;
        std::uint16_t rclass = 0;
        std::uint32_t ttl = 0;
        std::uint16_t rdlength = 0;
        if (!reader.u16(type) || !reader.u16(rclass) || !reader.u32(ttl) || !reader.u16(rdlength))
            return AdditionalCheck::malformed;
        const std::size_t rdata_at = reader.offset();
        if (!reader.skip(rdlength)) return AdditionalCheck::malformed;
        // Other additional records (a TSIG we do not check, say) are stepped over.
        if (type != to_u16(RrType::opt)) continue;
        if (seen_opt) return AdditionalCheck::second_opt;
        if (!root_owner) return AdditionalCheck::opt_not_root;
        if (!options_fill(reader.message().subspan(rdata_at, rdlength)))
            return AdditionalCheck::bad_options;
        seen_opt = true;
        udp_size = rclass;
        version = static_cast<std::uint8_t>(ttl >> 16);
    }
    out.has_opt = seen_opt;
    out.udp_size = udp_size;
    out.edns_version = version;
    return version != 0 ? AdditionalCheck::bad_version : AdditionalCheck::ok;
}

TrailingCheck check_trailing(const WireReader& reader) {
    return reader.remaining() == 0 ? TrailingCheck::ok : TrailingCheck::trailing_bytes;
}

ScopeCheck check_scope(const ParsedQuery& query) {
    if (query.qclass != to_u16(RrClass::in) && query.qclass != to_u16(RrClass::ch))
        return ScopeCheck::other_class;
    // No zone transfers: the zone changes with every heartbeat, peers gossip instead.
    if (query.qtype == to_u16(RrType::axfr) || query.qtype == to_u16(RrType::ixfr))
        return ScopeCheck::zone_transfer;
    return ScopeCheck::ok;
}

QueryVerdict parse_query(std::span<const std::uint8_t> message, ParsedQuery& out) {
    switch (check_header(message, out)) {
        case HeaderCheck::ok: break;
        case HeaderCheck::too_short:
        case HeaderCheck::is_response: return QueryVerdict::drop;
        case HeaderCheck::not_query: return QueryVerdict::notimp;
        case HeaderCheck::bad_qdcount: return QueryVerdict::formerr;
    }
    WireReader reader(message);
    reader.skip(header::size);
    if (read_question(reader, out) != QuestionCheck::ok) return QueryVerdict::formerr;
    if (check_sections(message) != SectionCheck::ok) return QueryVerdict::formerr;
    switch (read_additional(reader, out)) {
        case AdditionalCheck::ok: break;
        case AdditionalCheck::bad_version: return QueryVerdict::badvers;
        default: return QueryVerdict::formerr;
    }
    if (check_trailing(reader) != TrailingCheck::ok) return QueryVerdict::formerr;
    if (check_scope(out) != ScopeCheck::ok) return QueryVerdict::refused;
    return QueryVerdict::answer;
}

}  // namespace dnsd::zones
