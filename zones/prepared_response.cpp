#include "zones/prepared_response.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "zones/edns.hpp"
#include "zones/wire_types.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

namespace {
void put_u16(std::uint8_t* at, std::uint16_t v) {
    at[0] = static_cast<std::uint8_t>(v >> 8);
    at[1] = static_cast<std::uint8_t>(v);
}

// A TTL in network byte order, ready to be stored with one 4-byte copy per record.
std::uint32_t big_endian(std::uint32_t v) {
    if constexpr (std::endian::native == std::endian::little) return __builtin_bswap32(v);
    return v;
}

// The TTL of the RRsets of `group` (ttl.hpp's rule): the remaining lease of the member that
// ends first, in whole seconds, capped. One division per RRset instead of one per member.
std::uint32_t group_ttl(const AnswerStore& store, std::uint32_t group, registry::MonoMs now,
                        std::uint32_t max_ttl_s) {
    const LeaseGroup& g = store.groups[group];
    const std::uint32_t cap = std::min(max_ttl_s, g.ttl_cap);
    if (g.begin == g.end) return cap;  // no lease: bounded by the caps alone
    registry::MonoMs first_end = std::numeric_limits<registry::MonoMs>::max();
    for (std::uint32_t i = g.begin; i < g.end; ++i) {
        // Relaxed: each cell is one independent value; a renewal racing with this read gives
        // either the old or the new lease end, both of which are true at some instant.
        first_end = std::min(first_end, store.members[i]->expires_at.load(std::memory_order_relaxed));
    }
    const std::int64_t remaining_ms = first_end - now;
    if (remaining_ms <= 0) return 0;
    const std::int64_t seconds = remaining_ms / 1000;
    return seconds < cap ? static_cast<std::uint32_t>(seconds) : cap;
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

// The prepared bytes [0, size), with the rotating RRset reordered.
void copy_message(std::uint8_t* out, const std::uint8_t* message, std::size_t size,
                  const Rotation& r) {
    std::memcpy(out, message, size);
    if (!r.active()) return;
    // The RRset's bytes again, rotated: copying them twice costs less than a fourth call.
    std::memcpy(out + r.begin, message + r.split, r.end - r.split);
    std::memcpy(out + r.begin + (r.end - r.split), message + r.begin, r.split - r.begin);
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

    // The lease cells are scattered over the registry's heap, one cache miss each when the
    // service is cold. The answer's first RRset usually names every lease the answer has (the
    // additional records repeat them), so asking for those lines now lets their misses overlap
    // with the copy instead of following it one after another.
    const std::span<const TtlPatch> patches = store.patches_of(answer);
    if (!patches.empty())
        for (const registry::LeaseCell* cell : store.members_of(patches.front().group))
            __builtin_prefetch(cell);

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
    std::uint32_t ttl = 0;  // big-endian
    for (const TtlPatch& patch : patches) {
        if (patch.offset >= cut.offset) break;
        if (patch.group != group) {
            group = patch.group;
            ttl = big_endian(group_ttl(store, group, now, max_ttl_s));
        }
        std::memcpy(out + rotated.map(patch.offset), &ttl, sizeof ttl);
    }

    return {append_opt(reply, cut.offset, opt), truncated};
}

}  // namespace dnsd::zones
