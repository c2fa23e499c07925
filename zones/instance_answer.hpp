#pragma once
// Send time for an instance's own names: the answer written straight into the reply from its
// InstanceRecord, byte for byte what a prepared answer (answer_builder.hpp) would have held,
// then cut and finished as write_prepared() does. No allocation, no lock.
//
//   <id>.S.<apex>         address (also for ANY), TXT, SRV (target <id>.S.<apex>, its address
//                         in additional)
//   <id>._S._tcp.<apex>   SRV (also for ANY; the same target and additional) and TXT
// Names are compressed as the builder would: owners point at the question; the SRV target is
// written whole (RFC 2782), and the additional owner points at the question when the question
// is the target's name, else at the target.
#include <cstddef>
#include <cstdint>
#include <span>

#include "registry/clock.hpp"
#include "zones/instance_record.hpp"
#include "zones/lookup.hpp"
#include "zones/parsed_query.hpp"
#include "zones/prepared_response.hpp"

namespace dnsd::zones {

// `query.name` must be the name the record was found by: <id>.S.<apex> for the address, txt
// and srv parts, <id>._S._tcp.<apex> for the dnssd ones (the SRV target is derived from it).
WrittenReply write_instance_answer(const InstanceRecord& record, InstancePart part,
                                   const ParsedQuery& query, std::span<const std::uint8_t> query_bytes,
                                   std::span<std::uint8_t> reply, std::size_t limit,
                                   registry::MonoMs now, std::uint32_t max_ttl_s);

}  // namespace dnsd::zones
