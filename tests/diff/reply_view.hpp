#pragma once
// A reply reduced to what the differential test compares: rcode, flags, and each section as
// a set of records in presentation form without TTL (orders differ by design: dnsd rotates),
// with the TTLs kept aside for the "dnsd's TTL <= Knot's" rule.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "dns_client.hpp"

namespace dnsd::diff {

// "owner TYPE rdata". Names are case-insensitive (RFC 4343) and a server may spell a name
// from its zone or from a compression target of any case, so only the answer's owners keep
// their case (SPEC.md: answers echo the question's case); other names are lower-cased.
using RecordSet = std::set<std::string>;

struct ReplyView {
    bool ok = false;
    std::string failure;  // when !ok
    int rcode = -1;
    bool aa = false;
    bool tc = false;
    bool qr = false;
    std::optional<std::uint16_t> edns_udp_size;  // nullopt: no OPT
    std::string question;                        // owner text of the question, case kept
    RecordSet answer;
    RecordSet authority;
    RecordSet additional;                        // OPT excluded (it is edns_udp_size)
    std::map<std::string, std::uint32_t> ttl;    // record text -> TTL, all sections
    std::string text;                            // dig-like dump, for messages

    // The types present in the answer section, e.g. {"A"} or {"SRV"}.
    std::set<std::string> answer_types() const;
    // The answer records of one type.
    RecordSet answer_of(const std::string& type) const;
};

ReplyView view_of(const e2e::DnsReply& reply);

// The type mnemonic of a record text ("api.svc. SRV 0 10 8861 ..." -> "SRV").
std::string type_of(const std::string& record);

}  // namespace dnsd::diff
