#pragma once
// Prepared answers: whole responses in wire format, built when the registry changes, so that a
// query only copies bytes and patches a few fields. One AnswerStore holds the answers of a
// service (or of the apex) in a handful of flat arrays instead of a few small heap blocks per
// answer, which keeps a zone of 100k instances compact and cache-friendly.
//
// Each answer is a complete message for the lower-case question name:
//   header template (QR AA, counts) | question placeholder | answer | authority | additional
// Its compression pointers target offset 12 (the question) or later; the query path copies
// the client's question over the placeholder (same length), which echoes the client's case.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "registry/instance.hpp"

namespace dnsd::zones {

// A TTL field to fill at send time from the leases of the RRset the record belongs to.
struct TtlPatch {
    std::uint16_t offset;  // of the 32-bit TTL field in the message
    std::uint32_t group;   // index into AnswerStore::groups
};

// A place where the message may end: after a whole RRset, with the counts up to there. The
// first cut of every answer is right after the question; the last is the end of the message.
struct CutPoint {
    std::uint16_t offset;
    std::uint16_t an;
    std::uint16_t ns;
    std::uint16_t ar;
};

// The leases an RRset came from; its TTL is bounded by the one that ends first. An empty group
// (SOA, fallback NS) is bounded by max_ttl alone. `ttl_cap` bounds it further: a zone-file
// record's own TTL, or 0 for the CHAOS records nobody should cache.
struct LeaseGroup {
    std::uint32_t begin;  // range in AnswerStore::members
    std::uint32_t end;
    std::uint32_t ttl_cap = UINT32_MAX;
};

// Where one answer lives inside its store. size == 0 means "no such answer" (NODATA).
struct PreparedAnswer {
    std::uint32_t bytes_begin = 0;
    std::uint16_t size = 0;
    std::uint16_t question_size = 0;  // qname + type + class of the placeholder
    std::uint32_t patches_begin = 0;
    std::uint32_t patch_count = 0;
    std::uint32_t cuts_begin = 0;
    std::uint32_t cut_count = 0;
    // The builder ran out of the 64 KiB a message may hold while writing answer or authority
    // records: every copy of this answer says TC.
    bool incomplete = false;
    // The RRset whose order rotates from query to query (round-robin, as BIND's rrset-order
    // cyclic): `rotation_count` records whose start offsets are AnswerStore::record_starts
    // [rotation_at, rotation_at + count), ending at `rotation_end`. Its records are position-
    // independent (their names point only at what precedes the RRset, nothing points into
    // them), so any rotation is a block copy. Fewer than 2 records: nothing rotates.
    std::uint32_t rotation_at = 0;
    std::uint16_t rotation_count = 0;
    std::uint16_t rotation_end = 0;

    bool present() const { return size != 0; }
};

struct AnswerStore {
    std::vector<std::uint8_t> bytes;
    std::vector<TtlPatch> patches;
    std::vector<CutPoint> cuts;
    std::vector<LeaseGroup> groups;
    std::vector<std::uint16_t> record_starts;  // of rotating RRsets; see PreparedAnswer
    // Raw pointers for the hot path; `owners` keeps the cells alive as long as the store, unless
    // they were borrowed (add_borrowed_group).
    std::vector<const registry::LeaseCell*> members;
    std::vector<std::shared_ptr<const registry::LeaseCell>> owners;

    std::span<const std::uint8_t> message(const PreparedAnswer& a) const {
        return {bytes.data() + a.bytes_begin, a.size};
    }
    std::span<const TtlPatch> patches_of(const PreparedAnswer& a) const {
        return {patches.data() + a.patches_begin, a.patch_count};
    }
    std::span<const CutPoint> cuts_of(const PreparedAnswer& a) const {
        return {cuts.data() + a.cuts_begin, a.cut_count};
    }
    std::span<const registry::LeaseCell* const> members_of(std::uint32_t group) const {
        const LeaseGroup& g = groups[group];
        return {members.data() + g.begin, g.end - g.begin};
    }
    std::span<const std::uint16_t> rotation_of(const PreparedAnswer& a) const {
        return {record_starts.data() + a.rotation_at, a.rotation_count};
    }

    // A new lease group over `leases`; returns its index.
    std::uint32_t add_group(std::span<const std::shared_ptr<registry::LeaseCell>> leases,
                            std::uint32_t ttl_cap = UINT32_MAX);
    // The same over cells the caller keeps alive as long as the store: a service zone's
    // instance records own its cells, so its store need not (16 bytes an instance).
    std::uint32_t add_borrowed_group(std::span<const registry::LeaseCell* const> leases);
    // Releases the spare capacity the builders left behind: the store is immutable from here.
    void shrink();
};

}  // namespace dnsd::zones
