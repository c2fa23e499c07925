#pragma once
// From the registry to the apex answers (apex_zone.hpp). Control thread only.
//   SOA: MNAME the first NS, RNAME hostmaster.<apex>, serial the registry index (mod 2^32),
//        minimum max_ttl (it bounds negative caching, RFC 2308 §5).
//   NS:  <id>.dnsd.<apex> for every instance of service "dnsd" (the nodes register themselves),
//        with their addresses as glue; <node_label>.dnsd.<apex> when there is none yet.
#include <memory>

#include "registry/names.hpp"
#include "registry/registry.hpp"
#include "zones/answer_builder.hpp"
#include "zones/apex_zone.hpp"
#include "zones/dns_name.hpp"
#include "zones/zone_options.hpp"

namespace dnsd::zones {

inline constexpr std::string_view name_server_service = registry::kNodeService;

// `name_servers` is the registry's service "dnsd" (null when it has none); `serial` the
// registry index.
std::shared_ptr<const ApexZone> build_apex_zone(AnswerBuilder& builder, const ZoneOptions& options,
                                                const DnsName& apex, std::uint32_t serial,
                                                const registry::Service* name_servers);

}  // namespace dnsd::zones
