#pragma once
// What the Snapshot found for a question: a prepared answer, or which negative answer to build.
#include <cstdint>

#include "zones/answer_store.hpp"

namespace dnsd::zones {

enum class LookupKind : std::uint8_t {
    answer,    // `store` and `answer` point at the prepared response
    nodata,    // the name exists, the type does not: NOERROR, SOA in authority (RFC 2308)
    nxdomain,  // no such name in the zone: NXDOMAIN, SOA in authority
    refused,   // not in our zone: REFUSED, no AA (we do not recurse)
};

struct Lookup {
    LookupKind kind = LookupKind::nxdomain;
    const AnswerStore* store = nullptr;
    const PreparedAnswer* answer = nullptr;
};

// The answer if it was prepared, NODATA otherwise.
inline Lookup answer_or_nodata(const AnswerStore& store, const PreparedAnswer& answer) {
    if (!answer.present()) return {LookupKind::nodata, nullptr, nullptr};
    return {LookupKind::answer, &store, &answer};
}

}  // namespace dnsd::zones
