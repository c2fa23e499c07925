#include "zones/prepared_response.hpp"

#include <algorithm>
#include <cstring>

#include "zones/edns.hpp"
#include "zones/ttl.hpp"
#include "zones/wire_types.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

namespace {
void put_u16(std::uint8_t* at, std::uint16_t v) {
    at[0] = static_cast<std::uint8_t>(v >> 8);
    at[1] = static_cast<std::uint8_t>(v);
}

void put_u32(std::uint8_t* at, std::uint32_t v) {
    at[0] = static_cast<std::uint8_t>(v >> 24);
    at[1] = static_cast<std::uint8_t>(v >> 16);
    at[2] = static_cast<std::uint8_t>(v >> 8);
    at[3] = static_cast<std::uint8_t>(v);
}

// The last cut at or before `room` bytes. The first cut (right after the question) always fits
// a 512-byte reply, so there is one.
const CutPoint& last_cut_within(std::span<const CutPoint> cuts, std::size_t room) {
    if (cuts.back().offset <= room) return cuts.back();
    const auto after = std::upper_bound(cuts.begin(), cuts.end(), room,
                                        [](std::size_t r, const CutPoint& c) { return r < c.offset; });
    return after == cuts.begin() ? cuts.front() : *(after - 1);
}
}  // namespace

WrittenReply write_prepared(const AnswerStore& store, const PreparedAnswer& answer,
                            const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                            std::span<std::uint8_t> reply, std::size_t limit, registry::MonoMs now,
                            std::uint32_t max_ttl_s) {
    // The answer was found by this very name, lower-cased; a different length means a bug.
    if (answer.question_size != query.question_size) return {};
    const std::size_t opt = query.has_opt ? limits::opt_record : 0;
    limit = std::min(limit, reply.size());
    const std::span<const CutPoint> cuts = store.cuts_of(answer);
    const CutPoint& whole = cuts.back();
    if (limit < cuts.front().offset + opt) return {};
    const CutPoint& cut = last_cut_within(cuts, limit - opt);
    const bool truncated = answer.incomplete || cut.an < whole.an || cut.ns < whole.ns;

    std::uint8_t* out = reply.data();
    std::memcpy(out, store.bytes.data() + answer.bytes_begin, cut.offset);
    std::memcpy(out + header::id, query_bytes.data() + header::id, 2);
    const std::uint16_t flags = static_cast<std::uint16_t>(
        header::qr | header::aa | (query.flags & (header::rd | header::cd)) |
        (truncated ? header::tc : 0));
    put_u16(out + header::flags, flags);
    put_u16(out + header::ancount, cut.an);
    put_u16(out + header::nscount, cut.ns);
    put_u16(out + header::arcount, static_cast<std::uint16_t>(cut.ar + (opt ? 1 : 0)));
    // The client's own spelling of the name: answers point at it, so they echo its case.
    std::memcpy(out + header::size, query_bytes.data() + header::size, query.question_size);

    // Records of one RRset are adjacent and share a group: one TTL computation per RRset.
    std::uint32_t group = UINT32_MAX;
    std::uint32_t ttl = 0;
    for (const TtlPatch& patch : store.patches_of(answer)) {
        if (patch.offset >= cut.offset) break;
        if (patch.group != group) {
            group = patch.group;
            ttl = lease_ttl(store.members_of(group), now, max_ttl_s);
        }
        put_u32(out + patch.offset, ttl);
    }

    std::size_t size = cut.offset;
    if (opt) {
        WireWriter w(reply.subspan(size, opt));
        write_opt(w, 0);
        size += opt;
    }
    return {size, truncated};
}

}  // namespace dnsd::zones
