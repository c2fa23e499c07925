#pragma once
// From a parsed zone file (static_zone.hpp) to its prepared answers (static_records.hpp).
// Control thread only; built once per (re)load, independent of the registry.
//   - each RRset answers its (owner, type), TTL the file's, capped by max_ttl at send time;
//     an RRset of several records rotates like every other (static data is no exception);
//   - rdata is written as the file gave it, uncompressed (always legal, RFC 3597 §4);
//   - CNAME chains are followed through the zone file's own names, at most 8 links, loops cut.
#include <memory>

#include "zones/answer_builder.hpp"
#include "zones/dns_name.hpp"
#include "zones/static_records.hpp"
#include "zones/static_zone.hpp"

namespace dnsd::zones {

// Names outside `apex` are skipped (StaticZone::build refuses them already).
std::shared_ptr<const StaticRecords> build_static_records(AnswerBuilder& builder, const StaticZone& zone,
                                                          const DnsName& apex);

}  // namespace dnsd::zones
