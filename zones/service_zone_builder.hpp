#pragma once
// From one registry service to its part of the zone (service_zone.hpp). Control thread only.
#include <memory>
#include <string>
#include <vector>

#include "registry/registry.hpp"
#include "zones/answer_builder.hpp"
#include "zones/dns_name.hpp"
#include "zones/service_zone.hpp"

namespace dnsd::zones {

// Every instance the registry holds is included, except those whose health check is critical: the registry is the source of truth and its
// sweep removes expired ones (marking the service changed). Between a lease's end and that
// sweep the instance is still served, with TTL 0. An instance whose name would exceed 255
// bytes is left out (no query could name it anyway). A service whose own name is too long
// yields nullptr.
//
// `previous`, the same service in the zone now published (or null), lends its instance records
// and table shards: an instance whose registry entry did not change (same modify_index, same
// lease cell) keeps its record, so a change to one instance builds one record, copies about 64
// table slots, and prepares the service-level answers again (those hold at most the 4,096
// instances a 64 KiB message can name in one set).
//
// `changed_ids`, with `previous`: only these instances changed since `previous` was built, so
// only they are looked up in the registry (null: every instance is compared, a walk over the
// whole service).
std::shared_ptr<const ServiceZone> build_service_zone(AnswerBuilder& builder, const DnsName& apex,
                                                      const std::string& name,
                                                      const registry::Service& service,
                                                      const ServiceZone* previous = nullptr,
                                                      const std::vector<std::string>* changed_ids = nullptr);

}  // namespace dnsd::zones
