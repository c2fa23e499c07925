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

// A rotating RRset [begin, end) sent from its record at `split` on: the bytes of [split, end)
// come first, then those of [begin, split). Maps an offset of the prepared message to the reply.
struct Rotation {
    std::size_t begin = 0;
    std::size_t split = 0;
    std::size_t end = 0;

    bool active() const { return split != begin; }
    std::size_t map(std::size_t offset) const {
        if (offset < begin || offset >= end) return offset;
        return offset >= split ? offset - (split - begin) : offset + (end - split);
    }
};

Rotation rotation_for(const AnswerStore& store, const PreparedAnswer& answer, std::size_t sent,
                      std::uint32_t counter) {
    const std::span<const std::uint16_t> starts = store.rotation_of(answer);
    // Cuts fall between RRsets, so the RRset is either sent whole or not at all.
    if (starts.size() < 2 || sent < answer.rotation_end) return {};
    return {starts.front(), starts[counter % starts.size()], answer.rotation_end};
}

// The prepared bytes [0, size), with the rotating RRset reordered: three block copies.
void copy_message(std::uint8_t* out, const std::uint8_t* message, std::size_t size,
                  const Rotation& r) {
    if (!r.active()) {
        std::memcpy(out, message, size);
        return;
    }
    std::memcpy(out, message, r.begin);
    std::memcpy(out + r.begin, message + r.split, r.end - r.split);
    std::memcpy(out + r.begin + (r.end - r.split), message + r.begin, r.split - r.begin);
    std::memcpy(out + r.end, message + r.end, size - r.end);
}
}  // namespace

WrittenReply write_prepared(const AnswerStore& store, const PreparedAnswer& answer,
                            const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                            std::span<std::uint8_t> reply, std::size_t limit, registry::MonoMs now,
                            std::uint32_t max_ttl_s, std::uint32_t rotation) {
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
    const Rotation rotated = rotation_for(store, answer, cut.offset, rotation);
    copy_message(out, store.bytes.data() + answer.bytes_begin, cut.offset, rotated);
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
            ttl = lease_ttl(store.members_of(group), now,
                            std::min(max_ttl_s, store.groups[group].ttl_cap));
        }
        put_u32(out + rotated.map(patch.offset), ttl);
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
