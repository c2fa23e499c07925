#pragma once
// Send time for the two sets at _S._tcp.<apex>, written straight from the service's instance
// table rather than prepared: together they cost ~280 bytes per instance as prepared messages
// (a third of the zone at a million instances), and both list every instance the same way.
//
//   SRV   one record per instance, target <id>.S.<apex> (never compressed, RFC 2782); each
//         target's address in additional (its owner a pointer to the target).
//   PTR   the DNS-SD enumeration (RFC 6763 §4): one record per instance naming
//         <id>._S._tcp.<apex>; in additional what a browser asks next (§12.1): that name's SRV
//         and TXT (owners pointing at the PTR's rdata), then the SRV target's address.
//
// The set is sent whole or not at all (TC, nothing in answer), with one TTL: the lease that ends
// first (RFC 2181 §5.2). It starts at instance `rotation` modulo the service's size, the others
// in their cyclic order, as a prepared set rotates. The additional records follow in the
// table's order, instance by instance, each RRset whole, as many as fit, without TC (RFC 2181
// §9). A name past the first 16 KiB cannot be pointed at and is written whole. No allocation,
// no lock; the work is bounded by what fits, since a set too large for the reply is refused
// from the size the builder kept (ServiceZone::tcp_srv_size, enumeration_size).
#include <cstddef>
#include <cstdint>
#include <span>

#include "registry/clock.hpp"
#include "zones/instance_record.hpp"
#include "zones/parsed_query.hpp"
#include "zones/prepared_response.hpp"

namespace dnsd::zones {

class InstanceTable;
struct ServiceZone;

enum class ServiceSet : std::uint8_t {
    none,
    tcp_srv,      // _S._tcp.<apex> SRV (and ANY)
    enumeration,  // _S._tcp.<apex> PTR
};

// `query.name` must be _S._tcp.<apex> of `service`.
WrittenReply write_service_set(const ServiceZone& service, ServiceSet set, const ParsedQuery& query,
                               std::span<const std::uint8_t> query_bytes, std::span<std::uint8_t> reply,
                               std::size_t limit, registry::MonoMs now, std::uint32_t max_ttl_s,
                               std::uint32_t rotation);

// The bytes of `set`'s answer records for these instances under a _S._tcp.<apex> name of
// `tcp_name_size` wire bytes; 0 when it has none (a DNS-SD name must fit in 255 bytes).
std::size_t service_set_size(const InstanceTable& instances, ServiceSet set, std::size_t tcp_name_size);
// One instance's share of that: what a rebuild adds and takes away for the instances it changed.
std::size_t service_set_record_size(const InstanceRecord& record, ServiceSet set, std::size_t tcp_name_size);

}  // namespace dnsd::zones
