#pragma once
// What the Snapshot found for a question: a prepared answer, an instance record to write the
// answer from, or which negative answer to build.
#include <cstdint>

#include "zones/answer_store.hpp"

namespace dnsd::zones {

class InstanceRecord;
struct ServiceZone;
enum class ServiceSet : std::uint8_t;

enum class LookupKind : std::uint8_t {
    answer,    // `store` and `answer` point at the prepared response, or `instance` is set
    nodata,    // the name exists, the type does not: NOERROR, SOA in authority (RFC 2308)
    nxdomain,  // no such name in the zone: NXDOMAIN, SOA in authority
    refused,   // not in our zone: REFUSED, no AA (we do not recurse)
};

// Which answer of an instance's own names to write at send time (instance_answer.hpp).
enum class InstancePart : std::uint8_t {
    none,       // not an instance answer: `store` and `answer` are
    address,    // <id>.S.<apex> A or AAAA (and ANY)
    txt,        // <id>.S.<apex> TXT
    srv,        // <id>.S.<apex> SRV, the address in additional
    dnssd_srv,  // <id>._S._tcp.<apex> SRV (and ANY), the address in additional
    dnssd_txt,  // <id>._S._tcp.<apex> TXT
};

struct Lookup {
    LookupKind kind = LookupKind::nxdomain;
    const AnswerStore* store = nullptr;
    const PreparedAnswer* answer = nullptr;
    // An answer written at send time from an instance record (kind is `answer`; store and
    // answer are null). The record lives as long as the Snapshot it was found in.
    const InstanceRecord* instance = nullptr;
    InstancePart part = InstancePart::none;
    // A set at _S._tcp.<apex> written at send time from this service's instances
    // (service_set_answer.hpp); kind is `answer`, store, answer and instance null.
    const ServiceZone* service = nullptr;
    ServiceSet set{};
};

// The answer if it was prepared, NODATA otherwise.
inline Lookup answer_or_nodata(const AnswerStore& store, const PreparedAnswer& answer) {
    if (!answer.present()) return {LookupKind::nodata, nullptr, nullptr};
    return {LookupKind::answer, &store, &answer};
}

inline Lookup instance_answer(const InstanceRecord& record, InstancePart part) {
    return {LookupKind::answer, nullptr, nullptr, &record, part};
}

}  // namespace dnsd::zones
