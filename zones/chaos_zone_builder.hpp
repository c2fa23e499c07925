#pragma once
// From the options to the CHAOS answers (chaos_zone.hpp). Built once: they never change.
//   version.bind, version.server   TXT "dnsd <version>" ("dnsd" when the version is unknown)
//   id.server, hostname.bind       TXT <node_name>, or <node_label> when no name was given;
//                                  left out (REFUSED) when neither is known
// TTL 0: the answer describes the one server that gave it, a cache must not hand it on.
#include <memory>

#include "zones/answer_builder.hpp"
#include "zones/chaos_zone.hpp"
#include "zones/zone_options.hpp"

namespace dnsd::zones {

std::shared_ptr<const ChaosZone> build_chaos_zone(AnswerBuilder& builder, const ZoneOptions& options);

}  // namespace dnsd::zones
