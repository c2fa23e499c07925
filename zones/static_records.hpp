#pragma once
// The --zone-file records, prepared as wire answers like everything else the query path sends.
// They fill in under the registry's part of the zone, which wins: a static (name, type) is
// served only when the registry's names give no answer for it, so a zone file can add names
// and types but never shadow a live service (and the registry's NODATA for a known but empty
// service still lets a static record of that type through: a fallback, not a conflict).
// Static names also make their empty non-terminals exist (NODATA rather than NXDOMAIN).
//
// A static CNAME answers every type at its name (RFC 1034 §3.6.2), and when its chain ends at
// static records of the asked type, they follow it in the answer (chased within the zone
// file only: a target the registry serves is left to the resolver's next query). Where the
// registry has the name too, the CNAME is not served: a CNAME cannot live beside other data.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "zones/answer_store.hpp"
#include "zones/lookup.hpp"
#include "zones/name_hash.hpp"
#include "zones/query_name.hpp"

namespace dnsd::zones {

struct StaticAnswer {
    std::uint16_t type;  // the question type it answers
    PreparedAnswer answer;
};

struct StaticNode {
    // By type, in zone order; empty for an empty non-terminal. At a CNAME: the CNAME's own
    // answer, then one per type found at the end of its chain.
    std::vector<StaticAnswer> answers;
    bool cname = false;
};

struct StaticRecords {
    AnswerStore store;
    std::unordered_map<std::string, StaticNode, NameHash, NameEqual> nodes;  // by lower-case wire name

    // What the static records say about (name, qtype): answer, nodata (the name exists) or
    // nxdomain (not a static name). `registry_has_name`: the registry's part of the zone has
    // this name without the type (its answer was NODATA), which hides a static CNAME.
    Lookup find(const QueryName& name, std::uint16_t qtype, bool registry_has_name) const;
};

}  // namespace dnsd::zones
