#pragma once
// Everything one service contributes to the zone, immutable once published:
//   S.<apex>                A, AAAA, SRV (targets' addresses in additional)       prepared
//   _S._tcp.<apex>          SRV (the same set); PTR to every DNS-SD instance name, with their
//                           SRV, TXT and addresses in additional (RFC 6763 §4, §12.1)
//                                                                               from the records
//   <id>.S.<apex>           A or AAAA, TXT, SRV                                 from the record
//   <id>._S._tcp.<apex>     the DNS-SD instance name (RFC 6763 §4.1): SRV (target <id>.S.<apex>,
//                           its address in additional) and TXT, the same as at <id>.S.<apex>
// The answers at S.<apex> are prepared messages (bounded by the 64 KiB a message holds); those
// at _S._tcp.<apex> (service_set_answer.hpp) and the instances' own answers are written at
// query time from one compact record per instance, and those
// records are shared with the previous generation unless their registry entry changed.
// A service is rebuilt alone when it changes; the Snapshot shares the others.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "zones/answer_store.hpp"
#include "zones/instance_table.hpp"
#include "zones/lookup.hpp"
#include "zones/wire_types.hpp"

namespace dnsd::zones {

struct ServiceZone {
    std::string name;  // the service label, lower case
    AnswerStore store;
    PreparedAnswer a;        // at S.<apex>; absent when no IPv4 instance
    PreparedAnswer aaaa;     // at S.<apex>; absent when no IPv6 instance
    PreparedAnswer srv;      // at S.<apex>
    InstanceTable instances;
    // The same records in id order: the order of the sets at S.<apex>, kept so that the next
    // generation can insert or drop a changed instance by binary search instead of walking
    // the registry's whole service again. Empty for a service of fewer than 16 instances,
    // which that walk costs little.
    std::vector<const InstanceRecord*> in_id_order;
    // The answer records of the sets at _S._tcp.<apex>, in bytes (service_set_size()); 0: none
    // (no _S._tcp name, no instance, or for the PTR set no DNS-SD name that fits in 255 bytes).
    std::uint32_t tcp_srv_size = 0;
    std::uint32_t enumeration_size = 0;
    // False when "_" + the service label is no label (63 bytes): no _S._tcp names at all.
    bool has_tcp_name = true;

    // ANY gets one RRset that exists (RFC 8482 §4.1): the addresses for S and <id>.S, the SRV
    // set for _S._tcp. Short, and what a client asking ANY almost always wants.
    Lookup at_service(std::uint16_t qtype) const;
    Lookup at_tcp_name(std::uint16_t qtype) const;
    // NXDOMAIN for an id the service does not have.
    Lookup at_instance(std::string_view id, std::uint16_t qtype) const;
    // <id>._S._tcp.<apex>: SRV (also for ANY) and TXT; NXDOMAIN for an unknown id.
    Lookup at_dnssd_instance(std::string_view id, std::uint16_t qtype) const;
};

}  // namespace dnsd::zones
