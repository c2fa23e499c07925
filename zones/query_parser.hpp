#pragma once
// Validation of a received query, in a fixed order of small stages (as Knot's answer_query):
//   header:      < 12 bytes → drop; QR set → drop (never answer an answer: reflection loops);
//                opcode != QUERY → NOTIMP; QDCOUNT != 1 → FORMERR
//   question:    bad label, pointer, over 255 bytes, cut short, meta type OPT → FORMERR
//   sections:    ANCOUNT or NSCOUNT != 0 → FORMERR (a query carries neither)
//   additional:  malformed record, OPT not at the root, a second OPT → FORMERR;
//                EDNS version != 0 → BADVERS (RFC 6891 §6.1.3)
//   trailing:    bytes after the last record → FORMERR
//   scope:       class other than IN or CH, or a zone transfer → REFUSED (CH goes on to the
//                few CHAOS names a server answers about itself, chaos_zone.hpp)
// Each stage says what it found in its own enum; parse_query maps them to one verdict.
#include <cstdint>
#include <span>

#include "zones/parsed_query.hpp"
#include "zones/wire_reader.hpp"

namespace dnsd::zones {

enum class HeaderCheck : std::uint8_t { ok, too_short, is_response, not_query, bad_qdcount };
enum class QuestionCheck : std::uint8_t { ok, truncated, bad_label, compressed, too_long, meta_type };
enum class SectionCheck : std::uint8_t { ok, has_answers, has_authority };
enum class AdditionalCheck : std::uint8_t {
    ok,
    malformed,     // a record cut short or with a bad owner name
    opt_not_root,  // RFC 6891 §6.1.1: the OPT owner is the root
    second_opt,    // RFC 6891 §6.1.1: at most one OPT
    bad_options,   // OPT rdata that is not a sequence of whole options
    bad_version,   // an EDNS version we do not speak
};
enum class TrailingCheck : std::uint8_t { ok, trailing_bytes };
enum class ScopeCheck : std::uint8_t { ok, other_class, zone_transfer };

enum class QueryVerdict : std::uint8_t { answer, drop, formerr, notimp, badvers, refused };

HeaderCheck check_header(std::span<const std::uint8_t> message, ParsedQuery& out);
QuestionCheck read_question(WireReader& reader, ParsedQuery& out);
SectionCheck check_sections(std::span<const std::uint8_t> message);
AdditionalCheck read_additional(WireReader& reader, ParsedQuery& out);
TrailingCheck check_trailing(const WireReader& reader);
ScopeCheck check_scope(const ParsedQuery& query);

// All stages in order. `out` holds what was learned up to the stage that decided.
QueryVerdict parse_query(std::span<const std::uint8_t> message, ParsedQuery& out);

}  // namespace dnsd::zones
