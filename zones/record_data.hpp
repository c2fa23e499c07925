#pragma once
// The rdata of each record type dnsd serves, written into a WireWriter. Names in rdata come
// as lower-case wire names; compression follows the type's rules.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "registry/instance.hpp"
#include "registry/ip_address.hpp"
#include "zones/dns_name.hpp"
#include "zones/wire_types.hpp"
#include "zones/wire_writer.hpp"

namespace dnsd::zones {

struct SoaFields {
    DnsName mname;
    DnsName rname;
    std::uint32_t serial = 0;
    std::uint32_t refresh = 0;
    std::uint32_t retry = 0;
    std::uint32_t expire = 0;
    std::uint32_t minimum = 0;
};

// A for IPv4, AAAA for IPv6.
RrType address_type(const registry::IpAddress& address);
void write_address(WireWriter& out, const registry::IpAddress& address);
// RFC 2782: the target is never compressed.
void write_srv(WireWriter& out, std::uint16_t priority, std::uint16_t weight, std::uint16_t port,
               const DnsName& target);
// One character-string per entry; an entry over 255 bytes is cut at 255 (the most a
// character-string can hold), an empty list gives one empty string (RFC 6763 §6.1).
void write_txt(WireWriter& out, std::span<const std::string> strings);
void write_soa(WireWriter& out, const SoaFields& soa);
void write_ns(WireWriter& out, const DnsName& target);
// RFC 1035 type: the target may be compressed.
void write_ptr(WireWriter& out, const DnsName& target);

// The TXT strings of an instance: "version=..." when it has one, then "key=value" per meta
// entry in key order (DNS-SD style, RFC 6763 §6.3).
std::vector<std::string> instance_txt(const registry::InstanceSpec& spec);

}  // namespace dnsd::zones
