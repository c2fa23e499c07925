#pragma once
// How dnsd's reply to one query must relate to Knot's. Every rule but `identical` is a
// deliberate difference, named here with its reason (the list the issue asks for):
//
//  - spec_known_empty: a known service with no live instance. SPEC.md wants NODATA (negative
//    caches and nginx must not turn an outage into a long one); a zone file cannot express a
//    name with no records, so Knot, which does not have it, says NXDOMAIN. dnsd is checked
//    against SPEC.md instead: NOERROR, AA, empty answer, the apex SOA in authority.
//  - any_minimal: RFC 8482 lets a server answer ANY with any one RRset of the name; dnsd
//    does, Knot gives all of them. dnsd's answer must be exactly one non-empty RRset that Knot
//    serves at that name, or empty where Knot's is empty.
//
// Differences that apply to every rule, also deliberate:
//  - TTLs: dnsd counts down to the end of the lease; Knot serves the zone-file TTL (= dnsd's
//    --max-ttl). So dnsd's TTL <= Knot's, not equal.
//  - Order: dnsd rotates records from query to query; sections are compared as sets.
//  - Additional section: dnsd must carry all Knot does; extras are allowed when they are
//    records of the zone (dnsd adds SRV/TXT/addresses to DNS-SD PTR answers, RFC 6763 §12.1).
//  - Case of names other than the answer's owners: compared case-insensitively (RFC 4343);
//    both servers spell them from their zone or from whichever name they compress against.
//  - A truncated UDP reply (TC): only rcode and flags are compared, and the answer records
//    dnsd did send must be whole RRsets; the TCP retry is then compared as `identical`.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <ldns/ldns.h>

#include "dns_client.hpp"
#include "reply_view.hpp"

namespace dnsd::diff {

enum class Rule { identical, spec_known_empty, any_minimal };

struct Query {
    std::string name;  // with the final dot, case as sent
    ldns_rr_type type = LDNS_RR_TYPE_A;
    e2e::Transport transport = e2e::Transport::udp;
    std::optional<std::uint16_t> edns;  // nullopt: no OPT

    std::string describe() const;  // "API.svc. SRV udp edns=512"
    e2e::DnsQuestion question() const;
};

struct Expectations {
    Rule rule = Rule::identical;
    RecordSet apex_soa;         // for spec_known_empty: Knot's SOA answer
    RecordSet name_records;     // for any_minimal: every record Knot has at the name
    RecordSet whole_answer;     // for a TC reply: the answer the same query got over TCP
    // Whether Knot serves this record (lower case text), for extras in the additional section.
    std::function<bool(const std::string&)> zone_has;
};

// One line per disagreement, each naming the query and both sides; empty when they agree.
std::vector<std::string> compare(const Query& query, const ReplyView& dnsd, const ReplyView& knot,
                                 const Expectations& expect);

std::string lower(std::string s);

}  // namespace dnsd::diff
